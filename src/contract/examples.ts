// Examples for every operation, keyed by operationId: its request bodies (where it takes one), its success
// answer, and for each error status one body per code that status lists, with the message Kasir sends.
// reference.ts attaches them to /openapi.json; test/contract/examples.test.ts validates each against its
// operation's own schema and checks no operation lacks one.
import type { Static } from 'typebox';
import type * as operations from './operations.ts';
import type { ErrorCode, FieldProblem } from './common.ts';
import type { PaymentMethodConfigsWire } from './method-configs.ts';
import type { CustomerObject } from './customers.ts';
import { CALLBACK_EVENTS } from '../domain/statuses.ts';
import { IDEMPOTENCY_CONFLICT } from '../domain/refusal.ts';
import * as sample from './example-objects.ts';

export type OperationId = keyof typeof operations;
export type { ErrorCode } from './common.ts';

export interface NamedExample {
  summary: string;
  value: unknown;
}

export interface OperationExamples {
  /** Request bodies by name, for the operations that take one. */
  request?: Record<string, NamedExample>;
  /** The 200 answer's body. */
  success: unknown;
  /** The field a 400 names for this operation (none when its only 400 is a body that is not JSON). */
  badField?: Static<typeof FieldProblem>;
  /** Messages that differ from ERROR_MESSAGES for this operation (e.g. which resource is missing). */
  messages?: Partial<Record<ErrorCode, string>>;
}

const ok = (data: unknown) => ({ code: '00', message: 'Success', data });
const onePage = (items: unknown[]) => ({
  code: '00',
  message: 'Success',
  data: items,
  pagination: { page: 1, perPage: 20, totalItems: items.length, totalPages: 1 },
});

/** One enabled method of GET /v2/payment-method-configs, as the sandbox answers it. */
const methodConfig = (acceptedChannels: string[], minimum: number, maximum: number, maximumExpiry: string) => ({
  enabled: true,
  acceptedChannels,
  minimumAmount: { value: minimum, currency: 'IDR' },
  maximumAmount: { value: maximum, currency: 'IDR' },
  maximumExpiry,
});

/** What Kasir says with each code, unless the operation's `messages` says otherwise. */
export const ERROR_MESSAGES: Record<ErrorCode, string> = {
  api_validation_error: 'The request is invalid',
  card_decryption_failed:
    "paymentMethod.card.encryptedCard could not be decrypted: encrypt the card JSON with this session's encryptionKey (RSA-OAEP, SHA-256) and send it base64",
  credentials_invalid: 'The access token is missing, invalid or expired',
  resource_missing: `The payment session with ID ${sample.requireActionSession.id} cannot be found`,
  duplicate_error: `A payment session with clientReferenceId ${sample.requireActionSession.clientReferenceId} is still open; cancel it or use another clientReferenceId`,
  idempotency_error: IDEMPOTENCY_CONFLICT,
  payload_too_large: 'Request body is too large',
  unsupported_media_type: 'Unsupported Media Type',
  invalid_state: `Payment session is PAID; it can be cancelled only when status is REQUIRE_PAYMENT_METHOD or REQUIRE_CONFIRMATION`,
  payment_session_expired: `Payment session ${sample.requireActionSession.id} has expired`,
  concurrent_update: 'The payment session is being changed by another request; retry',
  capture_amount_exceeded: 'Capturing 200000 would exceed the authorized amount: 50000 of 150000 is left to capture',
  refund_amount_exceeded: `A refund of 8000 IDR exceeds what remains refundable on charge ${sample.paidCharge.id}: 7000 IDR (10000 paid, 3000 refunded or being refunded)`,
  frequency_above_limit: 'Too many access-token requests; retry after 12 s',
  service_unavailable: 'The service is temporarily unavailable; retry shortly',
};

/** Field problems that come with a code beyond the 400's (the capture that asks for too much names its field). */
export const ERROR_DETAILS: Partial<Record<ErrorCode, Static<typeof FieldProblem>[]>> = {
  capture_amount_exceeded: [{ field: 'amount.value', message: 'at most 50000 can still be captured' }],
};

const refundMissing = { resource_missing: `The refund with ID ${sample.REFUND_ID} cannot be found` };

export const OPERATION_EXAMPLES = {
  createAccessToken: {
    request: { token: { summary: 'Client credentials', value: { grantType: 'client_credentials' } } },
    success: ok({
      accessToken:
        'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJtZXJjaGFudElkIjoiZGVtbyIsImV4cCI6MTkwNDA4NjcwMH0.x1QmQ9mJ4cQn0m8eUuYv7i2b3kKq2f5yJ0wH6s9dT1E',
      expiresIn: '900',
      tokenType: 'Bearer',
    }),
    badField: { field: 'grantType', message: 'grantType must be one of client_credentials' },
    messages: { credentials_invalid: 'The client id or client secret is wrong' },
  },
  createPayment: {
    request: {
      autoConfirm: {
        summary: 'Finalize the payment method early: PERMATA virtual account (autoConfirm: true)',
        value: sample.createAutoConfirmBody,
      },
      confirmLater: {
        summary: 'Finalize the payment method later: the shopper picks on the page (autoConfirm: false)',
        value: sample.createConfirmLaterBody,
      },
    },
    success: ok(sample.requireActionSession),
    badField: { field: 'redirectUrl', message: 'redirectUrl must be object' },
    messages: { concurrent_update: 'Could not create the payment session because of concurrent changes; retry' },
  },
  listPayments: {
    success: onePage([sample.paidSession]),
    badField: { field: 'perPage', message: 'perPage must be <= 100' },
  },
  listCharges: {
    success: onePage([sample.paidCharge]),
    badField: { field: 'perPage', message: 'perPage must be <= 100' },
  },
  getPayment: {
    success: ok(sample.paidSession),
    badField: { field: 'id', message: 'id must not contain a NUL character (U+0000)' },
  },
  confirmPayment: {
    request: {
      virtualAccount: { summary: 'A PERMATA virtual account', value: sample.confirmBody },
      encryptedCard: {
        summary: 'A card, encrypted with the session’s encryptionKey (API mode)',
        value: { paymentMethod: { type: 'CARD', card: { encryptedCard: 'kQ3v…base64 RSA-OAEP ciphertext…Zg==' } } },
      },
    },
    success: ok(sample.confirmedSession),
    badField: { field: 'paymentMethod.type', message: 'paymentMethod.type must be one of VIRTUAL_ACCOUNT, QR, EWALLET, CARD' },
    messages: {
      invalid_state:
        'Payment session is PAID; it can be confirmed only when status is REQUIRE_PAYMENT_METHOD or REQUIRE_CONFIRMATION',
    },
  },
  cancelPayment: {
    request: { cancel: { summary: 'The customer asked', value: { cancellationReason: 'REQUESTED_BY_CUSTOMER' } } },
    success: ok(sample.cancelledSession),
    badField: {
      field: 'cancellationReason',
      message: 'cancellationReason must be one of REQUESTED_BY_CUSTOMER, DUPLICATED, VOID_SESSION',
    },
  },
  capturePayment: {
    request: { partial: { summary: 'Capture 100,000 of the authorization, keep the rest open', value: sample.captureBody } },
    success: ok(sample.capture),
    badField: { field: 'releaseRemainingAmount', message: 'releaseRemainingAmount is required' },
    messages: { invalid_state: 'Only a card payment created with captureMethod manual can be captured' },
  },
  getCustomer: {
    success: ok({
      id: sample.requireActionSession.customerId ?? '',
      storedPaymentMethods: [
        {
          token: 'pm_01938f61a2b37c4d8e5f60718293a4b5',
          paymentMethod: 'CARD',
          paymentChannel: 'VISA',
          status: 'ACTIVE',
          createdAt: '2030-12-29T06:24:02.118Z',
          card: { first6: '444000', last4: '0001', brand: 'VISA', expMonth: '12', expYear: '2030', fingerprint: 'fp_9c1e2d7a' },
        },
      ],
    } satisfies Static<typeof CustomerObject>),
    badField: { field: 'customerId', message: 'customerId must not contain a NUL character (U+0000)' },
    messages: { resource_missing: 'The customer with ID 969805e7-c744-5a86-9cc1-2c95926f7417 cannot be found' },
  },
  simulatePayment: {
    request: {
      pay: { summary: 'The shopper pays', value: { paymentSessionId: sample.requireActionSession.id, chargeStatus: 'SUCCESS' } },
    },
    success: ok({ updated: true }),
    badField: { field: 'chargeStatus', message: 'chargeStatus must be one of SUCCESS, EXPIRED, FAILED' },
    messages: {
      invalid_state: 'Payment session is PAID; it can be paid only when status is REQUIRE_ACTION or PROCESSING or ACTIVE',
    },
  },
  getPaymentMethodConfigs: {
    success: ok({
      virtualAccount: methodConfig(
        ['BCA', 'BRI', 'MANDIRI', 'BNI', 'BSI', 'CIMB', 'PERMATA', 'BNC', 'DANAMON'],
        10000,
        9999999999,
        '30 DAYS',
      ),
      qr: methodConfig([], 1000, 10000000, '60 MINUTES'),
      ewallet: methodConfig(['DANA', 'SHOPEEPAY', 'OVO'], 10000, 10000000, '5 DAYS'),
      card: methodConfig(['VISA', 'MASTERCARD', 'JCB'], 10000, 9999999999, '30 DAYS'),
      installment: { enabled: false },
    } satisfies PaymentMethodConfigsWire),
    badField: { field: 'X-REQUEST-ID', message: 'X-REQUEST-ID must not contain a NUL character (U+0000)' },
  },
  listCallbacks: {
    success: onePage([sample.deliveredCallback]),
    badField: { field: 'event', message: `event must be one of ${CALLBACK_EVENTS.join(', ')}` },
  },
  resendCallback: {
    success: ok(sample.resentCallback),
    // No body is expected; one that is sent but is not JSON is refused before validation, with no field.
    messages: {
      api_validation_error: "Body is not valid JSON but content-type is set to 'application/json'",
      resource_missing: `The callback with ID ${sample.CALLBACK_ID} cannot be found`,
      invalid_state: 'The callback is being delivered right now; try again when this attempt ends',
    },
  },
  streamEvents: {
    // The 200 is text/event-stream: its example is the data of one message.
    success: sample.streamedEvent,
    badField: { field: 'events', message: 'events names unknown events: PAYMENT.SETTLED' },
    messages: { frequency_above_limit: 'At most 5 event streams may be open at once' },
  },
  createRefund: {
    request: {
      partial: {
        summary: 'Refund part of a paid VA session to a bank account',
        value: {
          clientReferenceId: 'RF-INV001-1',
          paymentSessionId: sample.paidSession.id,
          amount: { value: '3000', currency: 'IDR' },
          reason: 'REQUESTED_BY_CUSTOMER',
          description: 'Barang rusak',
          transferDestination: sample.pendingRefund.transferDestination,
          metadata: { ticket: 'CS-1' },
        },
      },
      rest: {
        summary: 'Refund what remains (isFullAmount)',
        value: {
          clientReferenceId: 'RF-INV001-2',
          paymentSessionId: sample.paidSession.id,
          isFullAmount: true,
          reason: 'CANCELLATION',
          transferDestination: sample.pendingRefund.transferDestination,
        },
      },
    },
    success: ok(sample.pendingRefund),
    badField: { field: 'reason', message: 'reason is required' },
    messages: {
      resource_missing: `The payment session with ID ${sample.paidSession.id} cannot be found`,
      duplicate_error:
        'A refund with clientReferenceId RF-INV001-1 already exists; use another clientReferenceId for another refund',
      invalid_state: `Charge ${sample.waitingCharge.id} is WAITING_FOR_USER_ACTION; only SUCCESS charges can be refunded`,
      concurrent_update: 'Could not create the refund because of concurrent changes; retry',
    },
  },
  getRefund: {
    success: ok(sample.succeededRefund),
    badField: { field: 'id', message: 'id must not contain a NUL character (U+0000)' },
    messages: refundMissing,
  },
  listRefunds: {
    success: onePage([sample.succeededRefund]),
    badField: { field: 'status', message: 'status must be one of PENDING, WAITING_BANK_TRANSFER, SUCCESS, FAILED, CANCELLED' },
  },
  simulateRefund: {
    request: { succeed: { summary: 'The transfer arrives', value: { refundId: sample.REFUND_ID, status: 'SUCCESS' } } },
    success: ok(sample.succeededRefund),
    badField: { field: 'status', message: 'status must be one of SUCCESS, FAILED' },
    messages: {
      ...refundMissing,
      invalid_state: `Refund ${sample.REFUND_ID} cannot move from SUCCESS to FAILED`,
      concurrent_update: 'The refund is being changed by another request; retry',
    },
  },
} satisfies Record<OperationId, OperationExamples>;

const TRACE_ID = '5f0c9e2a7b1d4c3e8a6f2b9d0e1c4a7b';

/** The body an operation answers with `code`, as Kasir's error handler builds it. */
export function errorExample(operationId: OperationId, status: number, code: ErrorCode) {
  const examples: OperationExamples = OPERATION_EXAMPLES[operationId];
  const field = status === 400 && code === 'api_validation_error' ? examples.badField : undefined;
  const details = field ? [field] : (ERROR_DETAILS[code] ?? []);
  return {
    code,
    message: examples.messages?.[code] ?? ERROR_MESSAGES[code],
    error: {
      type: status >= 500 ? 'GATEWAY_ERROR' : 'API_ERROR',
      source: status >= 500 ? 'SYSTEM' : 'UPSTREAM',
      details,
      traceId: TRACE_ID,
    },
  };
}
