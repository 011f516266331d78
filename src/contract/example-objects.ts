// The objects the reference's examples are made of: the seed's two create bodies (the README's walk-through)
// and the session, charge, refund and callback they lead to, as Kasir answers them. Typed by the wire
// types, so a renamed field fails the build; test/contract/examples.test.ts validates them against the schemas.
import type { Static } from 'typebox';
import type { PaymentSessionWire } from './payments.ts';
import type { ChargeWire } from './charges.ts';
import type { RefundWire } from './refunds.ts';
import type { CallbackWire } from './callbacks.ts';
import type { Capture, CaptureRequest } from './captures.ts';

const SESSION_ID = '01938f2a-6c1e-7b3d-9a41-2f5e8c7d1a90';
const CHARGE_ID = '01938f2a-6c20-7c55-8e0f-4b1d2a3c5e67';
const LATER_SESSION_ID = '01938f2b-1a07-7e61-8cbd-168935078c1f';
const QR_SESSION_ID = '01938f2c-44d0-7a1b-b2c3-d4e5f6a7b8c9';
export const REFUND_ID = '01938f31-0b9e-7f12-b8a3-6e2c1d0f4b58';
export const CALLBACK_ID = 'cb_01938f2a-8e51-72c1-88b8-77635237d818';
const CUSTOMER_ID = '969805e7-c744-5a86-9cc1-2c95926f7417';
const REFERENCE = '1751610085';
const CREATED = '2030-12-29T06:21:25.301Z';
const PAID = '2030-12-29T06:24:02.118Z';
const EXPIRY = '2030-12-30T23:59:00Z';

const idr = (value: number) => ({ value, currency: 'IDR' as const });
const redirectUrl = {
  successReturnUrl: 'https://merchant.com/success',
  failureReturnUrl: 'https://merchant.com/failure',
  expirationReturnUrl: 'https://merchant.com/expiration',
};
const customer = {
  givenName: 'Reforza Jordan',
  sureName: 'Geotama',
  email: 'reforza@pivot-payment.com',
  phoneNumber: { countryCode: '+62', number: '89699990001' },
};
const orderInformation = {
  productDetails: [{ type: 'PHYSICAL', category: 'FASHION', name: 'Dress Kasual Warna Putih', quantity: 1, price: idr(100000) }],
};
const permata = {
  channel: 'PERMATA',
  virtualAccountNumber: '8625000018486549',
  virtualAccountName: 'Reforza Pivot',
  expiryAt: EXPIRY,
};

/** The seed's "finalize the payment method early" body (the seed's expiryAt, 2025, has passed: here 2030). */
export const createAutoConfirmBody = {
  clientReferenceId: REFERENCE,
  amount: idr(10000),
  paymentMethod: { type: 'VIRTUAL_ACCOUNT' },
  paymentMethodOptions: { virtualAccount: { channel: 'PERMATA', virtualAccountName: 'Reforza Pivot', expiryAt: EXPIRY } },
  mode: 'REDIRECT',
  redirectUrl,
  customer,
  orderInformation,
  autoConfirm: true,
  statementDescriptor: 'Reforza Pivot',
  expiryAt: EXPIRY,
  metadata: { invoiceNo: 'INV001' },
};

/** The seed's "finalize the payment method later" body: no method, the shopper or the merchant picks it. */
export const createConfirmLaterBody = {
  clientReferenceId: '1751612565',
  amount: idr(10000),
  mode: 'REDIRECT',
  redirectUrl,
  customer,
  autoConfirm: false,
  statementDescriptor: 'Reforza Pivot',
  expiryAt: EXPIRY,
  metadata: { invoiceNo: 'INV001' },
};

export const confirmBody = {
  paymentMethod: { type: 'VIRTUAL_ACCOUNT' },
  paymentMethodOptions: { virtualAccount: { channel: 'PERMATA', virtualAccountName: 'Reforza Pivot' } },
};

export const captureBody: Static<typeof CaptureRequest> = { releaseRemainingAmount: false, amount: idr(100000) };

/** The VA charge of the early flow, waiting for the shopper's transfer. */
export const waitingCharge: ChargeWire = {
  id: CHARGE_ID,
  paymentSessionId: SESSION_ID,
  paymentSessionClientReferenceId: REFERENCE,
  amount: idr(10000),
  statementDescriptor: 'Reforza Pivot',
  status: 'WAITING_FOR_USER_ACTION',
  authorizedAmount: null,
  capturedAmount: null,
  isCaptured: false,
  createdAt: CREATED,
  updatedAt: CREATED,
  paidAt: null,
  virtualAccount: permata,
};

export const paidCharge: ChargeWire = {
  ...waitingCharge,
  status: 'SUCCESS',
  capturedAmount: idr(10000),
  isCaptured: true,
  updatedAt: PAID,
  paidAt: PAID,
};

/** The early flow's answer to create: the VA number is ready (REQUIRE_ACTION). */
export const requireActionSession: PaymentSessionWire = {
  id: SESSION_ID,
  clientReferenceId: REFERENCE,
  amount: idr(10000),
  autoConfirm: true,
  mode: 'REDIRECT',
  bypassStatusPage: false,
  redirectUrl,
  paymentType: 'SINGLE',
  paymentMethod: { type: 'VIRTUAL_ACCOUNT', virtualAccount: permata },
  statementDescriptor: 'Reforza Pivot',
  saveForFutureUse: false,
  showSavedPayment: false,
  status: 'REQUIRE_ACTION',
  investigationStatus: null,
  createdAt: CREATED,
  updatedAt: CREATED,
  expiryAt: EXPIRY,
  paymentUrl: 'https://kasir.example/detail?token=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1dWlkIjoiMDE5MzhmMmEifQ.sig',
  chargeDetails: [waitingCharge],
  customerId: CUSTOMER_ID,
  customer: { givenName: 'Reforza Jordan', surname: 'Geotama', email: 'reforza@pivot-payment.com' },
  orderInformation,
  cancelledAt: null,
  cancellationReason: null,
  metadata: { invoiceNo: 'INV001' },
};

export const paidSession: PaymentSessionWire = {
  ...requireActionSession,
  status: 'PAID',
  updatedAt: PAID,
  chargeDetails: [paidCharge],
};

/** The later flow once confirmed: the same VA step, on a session created without a method. */
export const confirmedSession: PaymentSessionWire = {
  ...requireActionSession,
  id: LATER_SESSION_ID,
  clientReferenceId: '1751612565',
  autoConfirm: false,
  orderInformation: null,
  chargeDetails: [{ ...waitingCharge, paymentSessionId: LATER_SESSION_ID, paymentSessionClientReferenceId: '1751612565' }],
};

export const cancelledSession: PaymentSessionWire = {
  ...confirmedSession,
  paymentMethod: null,
  status: 'CANCELLED',
  updatedAt: PAID,
  expiryAt: PAID,
  chargeDetails: null,
  cancelledAt: PAID,
  cancellationReason: 'REQUESTED_BY_CUSTOMER',
};

const staticQr = {
  acquirer: 'BNC',
  qrContent:
    '00020101021126680015ID.CO.KASIR.WWW011993600490123456789010215KSR1234567890120303URE51440014ID.CO.QRIS.WWW0215ID12345678901230303URE5204539953033605802ID5909TOKO KOPI6007JAKARTA61051011062560114qris-counter-1052501938f2c44d07a1bb2c3d4e5f0705KASIR63047265',
  qrUrl: null,
  qrType: 'STATIC',
  merchantName: 'TOKO KOPI',
  expiryAt: null,
};

/** A static QRIS (MULTIPLE, open amount) after one shopper paid 25,000: it stays ACTIVE for the next. */
export const activeMultipleSession: PaymentSessionWire = {
  ...requireActionSession,
  id: QR_SESSION_ID,
  clientReferenceId: 'qris-counter-1',
  amount: idr(0),
  autoConfirm: true,
  mode: 'API',
  paymentType: 'MULTIPLE',
  paymentMethod: { type: 'QR', qr: staticQr },
  statementDescriptor: 'Toko Kopi',
  status: 'ACTIVE',
  updatedAt: PAID,
  expiryAt: null,
  paymentUrl: undefined,
  chargeDetails: [
    {
      ...paidCharge,
      id: '01938f2e-7c11-7d2a-9e3f-0a1b2c3d4e5f',
      paymentSessionId: QR_SESSION_ID,
      paymentSessionClientReferenceId: 'qris-counter-1',
      amount: idr(25000),
      capturedAmount: idr(25000),
      statementDescriptor: 'Toko Kopi',
      virtualAccount: undefined,
      qr: staticQr,
    },
  ],
  customerId: null,
  customer: null,
  orderInformation: null,
  metadata: null,
};

export const capture: Static<typeof Capture> = {
  id: '01938f40-2d6a-7b8c-9d0e-1f2a3b4c5d6e',
  paymentSessionId: '01938f3f-55aa-7c01-8b02-a1b2c3d4e5f6',
  paymentSessionClientReferenceId: 'card-1',
  releaseRemainingAmount: false,
  amount: idr(100000),
  status: 'SUCCESS',
  createdAt: PAID,
  updatedAt: PAID,
};

/** Part of the paid VA session refunded to the customer's bank account. */
export const pendingRefund: RefundWire = {
  id: REFUND_ID,
  clientReferenceId: 'RF-INV001-1',
  paymentSessionId: SESSION_ID,
  chargeId: CHARGE_ID,
  isFullAmount: false,
  amount: { value: '3000', currency: 'IDR' },
  capturedAmount: { value: '10000', currency: 'IDR' },
  reason: 'REQUESTED_BY_CUSTOMER',
  description: 'Barang rusak',
  method: 'AUTO',
  transferDestination: {
    channelCode: 'BCA',
    channelInformation: { accountNumber: '999966660001', accountName: 'Reforza Jordan Geotama' },
  },
  status: 'PENDING',
  destinationType: null,
  metadata: { ticket: 'CS-1' },
  createdAt: '2030-12-30T02:00:00.000Z',
  updatedAt: '2030-12-30T02:00:00.000Z',
};

export const waitingRefund: RefundWire = {
  ...pendingRefund,
  status: 'WAITING_BANK_TRANSFER',
  updatedAt: '2030-12-30T02:00:05.000Z',
};
export const succeededRefund: RefundWire = {
  ...pendingRefund,
  status: 'SUCCESS',
  destinationType: 'ACCOUNT',
  updatedAt: '2030-12-30T02:00:10.000Z',
};
export const failedRefund: RefundWire = {
  ...pendingRefund,
  status: 'FAILED',
  destinationType: 'ACCOUNT',
  failureCode: 'DECLINED_BY_CHANNEL',
  failureMessage: 'The bank refused the transfer',
  updatedAt: '2030-12-30T02:00:10.000Z',
};

/** The dashboard's "send test callback" body: a sample payment, not a real one. */
export const testCallbackData = {
  id: 'test_01938f50-0a1b-7c2d-8e3f-4a5b6c7d8e9f',
  clientReferenceId: 'kasir-test-callback',
  amount: idr(10000),
  status: 'PAID',
  createdAt: PAID,
};

/** PAYMENT.PAID, delivered on the second attempt after the merchant's endpoint answered 503 once. */
export const deliveredCallback: CallbackWire = {
  id: CALLBACK_ID,
  resourceType: 'payment_session',
  resourceId: SESSION_ID,
  paymentSessionId: SESSION_ID,
  event: 'PAYMENT.PAID',
  status: 'DELIVERED',
  attemptCount: 2,
  nextAttemptAt: null,
  createdAt: PAID,
  deliveredAt: '2030-12-29T06:29:02.240Z',
  payload: { event: 'PAYMENT.PAID', data: paidSession },
  attempts: [
    { attemptedAt: '2030-12-29T06:24:02.130Z', httpStatus: 503, latencyMs: 41, responseExcerpt: 'upstream down', error: null },
    { attemptedAt: '2030-12-29T06:29:02.200Z', httpStatus: 200, latencyMs: 20, responseExcerpt: 'ok', error: null },
  ],
};

/** The same callback just after POST /resend: due now, a new retry cycle, its history kept. */
export const resentCallback: CallbackWire = {
  ...deliveredCallback,
  status: 'PENDING',
  attemptCount: 0,
  nextAttemptAt: '2030-12-31T09:00:00.000Z',
  deliveredAt: null,
};

/** One message of GET /v2/events/stream: the PAYMENT.PAID callback above, with the headers Kasir sends it with. */
export const streamedEvent = {
  id: CALLBACK_ID,
  event: 'PAYMENT.PAID',
  resourceType: 'payment_session',
  resourceId: SESSION_ID,
  createdAt: PAID,
  body: JSON.stringify({ event: 'PAYMENT.PAID', data: paidSession }),
  headers: {
    'content-type': 'application/json',
    'user-agent': 'Kasir-Callbacks/0.1',
    'x-api-key': 'cbk_4f1d2c9e0b7a',
    'webhook-id': CALLBACK_ID,
    'webhook-timestamp': '1924842242',
    'webhook-signature': 'v1,3s1xLZqXb0yJ0mEo8cZxS9n0b6rW2wq9dQb1p7sJk0Q=',
  },
};
