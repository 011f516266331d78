// Payment sessions on the wire (pivot-api §5.2–§6.1): what merchants send to create, confirm, cancel and
// simulate, and the Payment Session Object every answer and callback carries. Field names and lengths follow
// Pivot; spellings Pivot uses twice are accepted and documented as aliases.
import { Type, type Static } from 'typebox';
import {
  CANCELLATION_REASONS,
  MERCHANT_CANCELLATION_REASONS,
  MODES,
  PAYMENT_METHOD_TYPES,
  PAYMENT_TYPES,
  SESSION_STATUSES,
  SIMULATION_OUTCOMES,
} from '../domain/statuses.ts';
import { CardInput, EwalletMethodInput, PaymentMethodOptions } from './methods.ts';
import { Charge, PaymentMethod } from './charges.ts';
import { Customer, OrderInformation, RedirectUrl } from './shopper.ts';
import { Amount, AmountInput, Enum, FreeObject, Nullable, NullableRef, PageQuery, Ref, Str, Timestamp } from './common.ts';

// ---- requests ----

export { PaymentMethodOptions } from './methods.ts';

export const PaymentMethodInput = Type.Object(
  {
    type: Enum(PAYMENT_METHOD_TYPES),
    card: Type.Optional(Ref(CardInput)),
    /** Pivot's confirm example nests the options here; accepted as an alias of the sibling field. */
    paymentMethodOptions: Type.Optional(Ref(PaymentMethodOptions)),
    ewallet: Type.Optional(EwalletMethodInput),
  },
  { $id: 'PaymentMethodInput' },
);

const createFields = Type.Object({
  clientReferenceId: Str(100, 1, { pattern: '^[A-Za-z0-9._:-]+$', description: "Merchant's unique payment reference" }),
  amount: Type.Optional(Ref(AmountInput)),
  // The default is stated in words: openapi-typescript would make a property with `default` required in a component.
  paymentType: Type.Optional(
    Enum(PAYMENT_TYPES, { description: 'SINGLE (default) or MULTIPLE (API mode, QR or VIRTUAL_ACCOUNT)' }),
  ),
  paymentMethod: Type.Optional(Ref(PaymentMethodInput)),
  paymentMethodOptions: Type.Optional(Ref(PaymentMethodOptions)),
  saveForFutureUse: Type.Optional(Type.Boolean()),
  saveForFuture: Type.Optional(Type.Boolean({ description: 'Spelling in two Pivot examples; alias of saveForFutureUse' })),
  showSavedPayment: Type.Optional(Type.Boolean()),
  mode: Type.Optional(Enum(MODES)),
  bypassStatusPage: Type.Optional(Type.Boolean()),
  redirectUrl: Ref(RedirectUrl),
  customerId: Type.Optional(Str(255, 0)),
  customer: Type.Optional(Ref(Customer)),
  orderInformation: Type.Optional(Ref(OrderInformation)),
  autoConfirm: Type.Optional(Type.Boolean()),
  statementDescriptor: Type.Optional(Str(20, 1)),
  expirationMode: Type.Optional(Enum(['LOOSE', 'STRICT'] as const)),
  expiryAt: Type.Optional(Timestamp),
  metadata: Type.Optional(FreeObject),
  recurringId: Type.Optional(Str(100)),
  initiateFirstAuthorization: Type.Optional(Type.Boolean()),
  splitRoutingConfigurations: Type.Optional(Type.Array(FreeObject, { maxItems: 50 })),
});

/**
 * `amount` is required (pivot-api §5.2) except on a MULTIPLE session, where it may be left out for an open
 * amount (and must be, for a static QR): the second allOf member says exactly that, so generated clients
 * type it and validation refuses a SINGLE session without one.
 */
export const CreatePaymentRequest = Type.Intersect(
  [
    createFields,
    Type.Union([
      Type.Object({ amount: Ref(AmountInput) }),
      Type.Object({ paymentType: Enum(['MULTIPLE'] as const, { description: 'open amount' }) }),
    ]),
  ],
  { $id: 'CreatePaymentRequest' },
);
export type CreatePaymentBody = Static<typeof CreatePaymentRequest>;

export const CreatePaymentHeaders = Type.Object({
  'x-request-id': Type.String({
    pattern: '^[A-Za-z0-9]{16,36}$',
    description:
      'Idempotency key: 16–36 letters and digits, kept 24 h. The same key with the same body replays the first answer.',
    example: '7f3a9c2e4b1d48e6a0f5c3b2d1e4f6a8',
  }),
});

export const ConfirmPaymentRequest = Type.Object(
  {
    paymentMethod: Type.Optional(Ref(PaymentMethodInput)),
    paymentMethodOptions: Type.Optional(Ref(PaymentMethodOptions)),
  },
  { $id: 'ConfirmPaymentRequest' },
);
export type ConfirmPaymentBody = Static<typeof ConfirmPaymentRequest>;

export const CancelPaymentRequest = Type.Object(
  { cancellationReason: Enum(MERCHANT_CANCELLATION_REASONS) },
  { $id: 'CancelPaymentRequest' },
);

export const SimulationRequest = Type.Object(
  {
    paymentSessionId: Type.String({ minLength: 1, maxLength: 100 }),
    chargeStatus: Enum(SIMULATION_OUTCOMES, { description: 'SUCCESS or EXPIRED (Pivot); FAILED is a Kasir extension' }),
    amount: Type.Optional(Ref(AmountInput)),
  },
  { $id: 'SimulationRequest' },
);

export const SimulationResult = Type.Object({ updated: Type.Boolean() }, { $id: 'SimulationResult' });

export const SessionIdParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 100, description: 'Payment session id' }),
});

export const ListPaymentsQuery = Type.Object({
  ...PageQuery,
  clientReferenceId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  status: Type.Optional(Enum(SESSION_STATUSES)),
});

// ---- responses ----

export const PaymentSession = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    clientReferenceId: Type.String(),
    amount: Ref(Amount),
    autoConfirm: Type.Boolean(),
    mode: Enum(MODES),
    bypassStatusPage: Type.Boolean(),
    redirectUrl: Type.Object({
      successReturnUrl: Type.Optional(Type.String()),
      failureReturnUrl: Type.Optional(Type.String()),
      expirationReturnUrl: Type.Optional(Type.String()),
    }),
    paymentType: Enum(PAYMENT_TYPES),
    paymentMethod: NullableRef(PaymentMethod),
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
    paymentUrl: Type.Optional(
      Type.String({
        description:
          'Hosted payment page (REDIRECT mode); in API mode, where the shopper goes for a charge that needs them elsewhere: the 3-D Secure page of a card, the wallet of a DANA or ShopeePay charge',
      }),
    ),
    encryptionKey: Type.Optional(
      Type.String({
        description:
          "Card sessions in API mode confirmed later: base64 RSA public key (SPKI, 2048 bits), this session's own; encrypt the card with RSA-OAEP SHA-256",
      }),
    ),
    chargeDetails: Nullable(Type.Array(Ref(Charge))),
    customerId: Nullable(Type.String()),
    customer: Nullable(FreeObject),
    orderInformation: Nullable(FreeObject),
    splitRoutingConfigurations: Type.Optional(Type.Array(FreeObject)),
    cancelledAt: Nullable(Type.String()),
    cancellationReason: Nullable(Enum(CANCELLATION_REASONS)),
    metadata: Nullable(FreeObject),
  },
  { $id: 'PaymentSession', description: 'Payment Session Object (pivot-api §6.1)' },
);
export type PaymentSessionWire = Static<typeof PaymentSession>;
