// Wire schemas written once (TypeBox): they validate requests, type handlers, shape responses and
// generate the OpenAPI document. Field names and lengths follow pivot-api.md §5–§6.
import { Type, type Static, type TSchema } from 'typebox';
import {
  CANCELLATION_REASONS,
  CHARGE_STATUSES,
  MODES,
  PAYMENT_METHOD_TYPES,
  PAYMENT_TYPES,
  SESSION_STATUSES,
} from '../domain/statuses.ts';
import { VA_CHANNELS, CURRENCIES } from '../domain/payment-methods.ts';

/**
 * `nullable: true` rather than anyOf [T, null]: fast-json-stringify must otherwise run an ajv check on
 * every value to pick the branch (measured as the largest serialisation cost), and OpenAPI 3.0 reads
 * the keyword directly.
 */
export const Nullable = <T extends TSchema>(schema: T) => Type.Unsafe<Static<T> | null>({ ...schema, nullable: true });
const Enum = <T extends string>(values: readonly T[], options: Record<string, unknown> = {}) =>
  Type.Enum(values as T[], options);

const Str = (max: number, min = 1, extra: Record<string, unknown> = {}) => Type.String({ minLength: min, maxLength: max, ...extra });
const Timestamp = Type.String({ format: 'date-time', maxLength: 40, description: 'ISO-8601 timestamp, UTC' });

export const Amount = Type.Object(
  {
    value: Type.Integer({ minimum: 1, maximum: 999_999_999_999_999, description: 'Integer amount (IDR has no decimals)' }),
    currency: Enum(CURRENCIES, { description: 'ISO 4217 code' }),
  },
  { additionalProperties: true },
);
/** Responses may carry 0 (open-amount MULTIPLE sessions). */
export const AmountOut = Type.Object({ value: Type.Integer(), currency: Type.String() });

const PhoneNumber = Type.Object({
  countryCode: Str(4, 2, { pattern: '^\\+[0-9]{1,3}$' }),
  number: Str(15, 4, { pattern: '^[1-9][0-9]*$', description: 'Digits without the leading 0, e.g. 89699990001' }),
});

const Email = Str(255, 3, { format: 'email' });

const RefundPreference = Type.Object({
  method: Enum(['AUTO', 'TRANSFER_ONLY'] as const),
  transferDestination: Type.Optional(
    Type.Object({
      channelCode: Str(20),
      channelInformation: Type.Object({ accountNumber: Str(30), accountName: Str(50) }),
    }),
  ),
});

const personFields = {
  givenName: Type.Optional(Str(255)),
  surname: Type.Optional(Str(255, 0)),
  sureName: Type.Optional(Str(255, 0, { description: 'Legacy spelling of surname; accepted, never emitted' })),
  email: Type.Optional(Email),
  phoneNumber: Type.Optional(PhoneNumber),
};

export const Customer = Type.Object({ ...personFields, refundPreference: Type.Optional(RefundPreference) });

const addressFields = {
  addressLine1: Type.Optional(Str(255)),
  addressLine2: Type.Optional(Str(255, 0)),
  city: Type.Optional(Str(255)),
  provinceState: Type.Optional(Str(255)),
  country: Type.Optional(Str(2, 2, { pattern: '^[A-Z]{2}$' })),
  postalCode: Type.Optional(Str(10)),
};

const ProductDetail = Type.Object({
  type: Enum(['PHYSICAL', 'DIGITAL', 'SERVICE'] as const),
  category: Type.Optional(Str(255)),
  subCategory: Type.Optional(Str(255)),
  name: Type.Optional(Str(255)),
  description: Type.Optional(Str(255)),
  quantity: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
  price: Amount,
});

export const OrderInformation = Type.Object({
  productDetails: Type.Array(ProductDetail, { minItems: 1, maxItems: 200 }),
  billingInfo: Type.Optional(Type.Object({ ...personFields, ...addressFields })),
  shippingInfo: Type.Optional(
    Type.Object({
      ...personFields,
      ...addressFields,
      method: Type.Optional(Enum(['REGULAR', 'NEXTDAY', 'SAMEDAY', 'INSTANT'] as const)),
      shippingFee: Type.Optional(Amount),
    }),
  ),
});

const ReturnUrl = Str(255, 1, { description: 'Absolute http(s) URL (https only in production)' });
export const RedirectUrl = Type.Object({
  successReturnUrl: Type.Optional(ReturnUrl),
  failureReturnUrl: Type.Optional(ReturnUrl),
  expirationReturnUrl: Type.Optional(ReturnUrl),
});

const VirtualAccountOptions = Type.Object({
  channel: Type.Optional(Enum(VA_CHANNELS)),
  virtualAccountName: Type.Optional(Str(100, 0)),
  virtualAccountNumber: Type.Optional(Str(23, 4, { pattern: '^[0-9]+$' })),
  expiryAt: Type.Optional(Timestamp),
});

export const PaymentMethodOptions = Type.Object({
  virtualAccount: Type.Optional(VirtualAccountOptions),
  qr: Type.Optional(Type.Object({ expiryAt: Type.Optional(Timestamp) })),
  ewallet: Type.Optional(Type.Object({ channel: Type.Optional(Str(20)), expiryAt: Type.Optional(Timestamp) })),
  card: Type.Optional(Type.Object({}, { additionalProperties: true })),
});

export const PaymentMethodIn = Type.Object({
  type: Enum(PAYMENT_METHOD_TYPES),
  /** Pivot's confirm example nests the options here; accepted as an alias of the sibling field. */
  paymentMethodOptions: Type.Optional(PaymentMethodOptions),
});

const FreeObject = Type.Object({}, { additionalProperties: true });

export const CreatePaymentBody = Type.Object({
  clientReferenceId: Str(100, 1, { pattern: '^[A-Za-z0-9._:-]+$', description: "Merchant's unique payment reference" }),
  amount: Type.Optional(Amount),
  paymentType: Type.Optional(Enum(PAYMENT_TYPES, { default: 'SINGLE' })),
  paymentMethod: Type.Optional(PaymentMethodIn),
  paymentMethodOptions: Type.Optional(PaymentMethodOptions),
  saveForFutureUse: Type.Optional(Type.Boolean()),
  saveForFuture: Type.Optional(Type.Boolean({ description: 'Spelling in two Pivot examples; alias of saveForFutureUse' })),
  showSavedPayment: Type.Optional(Type.Boolean()),
  mode: Type.Optional(Enum(MODES)),
  bypassStatusPage: Type.Optional(Type.Boolean()),
  redirectUrl: RedirectUrl,
  customerId: Type.Optional(Str(255, 0)),
  customer: Type.Optional(Customer),
  orderInformation: Type.Optional(OrderInformation),
  autoConfirm: Type.Optional(Type.Boolean()),
  statementDescriptor: Type.Optional(Str(20, 1)),
  expirationMode: Type.Optional(Enum(['LOOSE', 'STRICT'] as const)),
  expiryAt: Type.Optional(Timestamp),
  metadata: Type.Optional(FreeObject),
  recurringId: Type.Optional(Str(100)),
  initiateFirstAuthorization: Type.Optional(Type.Boolean()),
  splitRoutingConfigurations: Type.Optional(Type.Array(FreeObject, { maxItems: 50 })),
});
export type CreatePaymentBody = Static<typeof CreatePaymentBody>;

export const ConfirmPaymentBody = Type.Object({
  paymentMethod: Type.Optional(PaymentMethodIn),
  paymentMethodOptions: Type.Optional(PaymentMethodOptions),
});
export type ConfirmPaymentBody = Static<typeof ConfirmPaymentBody>;

// ---- responses ----

const VirtualAccountOut = Type.Object({
  channel: Nullable(Type.String()),
  virtualAccountNumber: Nullable(Type.String()),
  virtualAccountName: Nullable(Type.String()),
  expiryAt: Nullable(Type.String()),
});
const QrOut = Type.Object({
  acquirer: Type.String(),
  qrContent: Type.String(),
  qrUrl: Nullable(Type.String()),
  qrType: Type.String(),
  merchantName: Type.String(),
  expiryAt: Nullable(Type.String()),
});

export const ChargeObject = Type.Object({
  id: Type.String(),
  paymentSessionId: Type.String(),
  paymentSessionClientReferenceId: Type.String(),
  amount: AmountOut,
  statementDescriptor: Type.String(),
  status: Enum(CHARGE_STATUSES),
  authorizedAmount: Nullable(AmountOut),
  capturedAmount: Nullable(AmountOut),
  isCaptured: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  paidAt: Nullable(Type.String()),
  virtualAccount: Type.Optional(VirtualAccountOut),
  qr: Type.Optional(QrOut),
  failureCode: Type.Optional(Type.String()),
  failureMessage: Type.Optional(Nullable(Type.String())),
});

export const PaymentSessionObject = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    clientReferenceId: Type.String(),
    amount: AmountOut,
    autoConfirm: Type.Boolean(),
    mode: Enum(MODES),
    bypassStatusPage: Type.Boolean(),
    redirectUrl: Type.Object({
      successReturnUrl: Type.Optional(Type.String()),
      failureReturnUrl: Type.Optional(Type.String()),
      expirationReturnUrl: Type.Optional(Type.String()),
    }),
    paymentType: Enum(PAYMENT_TYPES),
    paymentMethod: Nullable(
      Type.Object({ type: Enum(PAYMENT_METHOD_TYPES), virtualAccount: Type.Optional(VirtualAccountOut), qr: Type.Optional(QrOut) }),
    ),
    statementDescriptor: Type.String(),
    expirationMode: Type.Optional(Type.String()),
    recurringId: Type.Optional(Type.String()),
    initiateFirstAuthorization: Type.Optional(Type.Boolean()),
    saveForFutureUse: Type.Boolean(),
    showSavedPayment: Type.Boolean(),
    status: Enum(SESSION_STATUSES),
    investigationStatus: Nullable(Type.String()),
    createdAt: Type.String(),
    updatedAt: Type.String(),
    expiryAt: Nullable(Type.String()),
    paymentUrl: Type.Optional(Type.String({ description: 'Hosted payment page (REDIRECT mode)' })),
    chargeDetails: Nullable(Type.Array(ChargeObject)),
    customerId: Nullable(Type.String()),
    customer: Nullable(FreeObject),
    orderInformation: Nullable(FreeObject),
    splitRoutingConfigurations: Type.Optional(Type.Array(FreeObject)),
    cancelledAt: Nullable(Type.String()),
    cancellationReason: Nullable(Enum(CANCELLATION_REASONS)),
    metadata: Nullable(FreeObject),
  },
  { description: 'Payment Session Object (pivot-api §6.1)' },
);

export const Pagination = Type.Object({
  page: Type.Integer(),
  perPage: Type.Integer(),
  totalItems: Type.Integer(),
  totalPages: Type.Integer(),
});

/** Query fields every list endpoint shares (pivot-api §3.4: max 100 per page, default 20). */
export const PageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1 })),
  perPage: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
};

export function pageOf(query: { page?: number; perPage?: number }): { page: number; perPage: number } {
  return { page: query.page ?? 1, perPage: query.perPage ?? 20 };
}

export function Envelope<T extends TSchema>(data: T) {
  return Type.Object({ code: Type.Literal('00'), message: Type.String(), data });
}

export function ListEnvelope<T extends TSchema>(item: T) {
  return Type.Object({ code: Type.Literal('00'), message: Type.String(), data: Type.Array(item), pagination: Pagination });
}

export const ErrorEnvelope = Type.Object(
  {
    code: Type.String({ description: 'Error code, e.g. api_validation_error' }),
    message: Type.String(),
    error: Type.Object({
      type: Enum(['API_ERROR', 'GATEWAY_ERROR'] as const),
      source: Enum(['UPSTREAM', 'DOWNSTREAM', 'SYSTEM'] as const),
      details: Type.Array(Type.Object({ field: Type.String(), message: Type.String() })),
      traceId: Type.String(),
    }),
  },
  { description: 'Error envelope' },
);

export const SessionIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

