// Payment sessions on the wire (pivot-api §5.2–§6.1): what merchants send to create, confirm, cancel and
// simulate, and the Payment Session Object every answer and callback carries. Field names and lengths follow
// Pivot; spellings Pivot uses twice are accepted and documented as aliases.
import { Type, type Static } from 'typebox';
import {
  CANCELLATION_REASONS,
  CHARGE_STATUSES,
  MERCHANT_CANCELLATION_REASONS,
  MODES,
  PAYMENT_METHOD_TYPES,
  PAYMENT_TYPES,
  SESSION_STATUSES,
  SIMULATION_OUTCOMES,
} from '../domain/statuses.ts';
import { CURRENCIES, EWALLET_CHANNELS } from '../domain/payment-methods.ts';
import { EwalletMethodInput, PaymentMethodOptions } from './methods.ts';
import {
  Amount,
  AmountInput,
  type AmountWire,
  Enum,
  FreeObject,
  Nullable,
  NullableRef,
  PageQuery,
  Ref,
  Str,
  Timestamp,
} from './common.ts';

// ---- requests ----

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

export const Customer = Type.Object(
  { ...personFields, refundPreference: Type.Optional(RefundPreference) },
  { $id: 'Customer', description: 'Customer Object as sent; returned as sent (sureName read as surname)' },
);

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
  price: Ref(AmountInput),
});

export const OrderInformation = Type.Object(
  {
    productDetails: Type.Array(ProductDetail, { minItems: 1, maxItems: 200 }),
    billingInfo: Type.Optional(Type.Object({ ...personFields, ...addressFields })),
    shippingInfo: Type.Optional(
      Type.Object({
        ...personFields,
        ...addressFields,
        method: Type.Optional(Enum(['REGULAR', 'NEXTDAY', 'SAMEDAY', 'INSTANT'] as const)),
        shippingFee: Type.Optional(Ref(AmountInput)),
      }),
    ),
  },
  { $id: 'OrderInformation' },
);

const ReturnUrl = Str(255, 1, { description: 'Absolute http(s) URL (https only in production)' });
export const RedirectUrl = Type.Object(
  {
    successReturnUrl: Type.Optional(ReturnUrl),
    failureReturnUrl: Type.Optional(ReturnUrl),
    expirationReturnUrl: Type.Optional(ReturnUrl),
  },
  { $id: 'RedirectUrl' },
);

export { PaymentMethodOptions } from './methods.ts';

/**
 * The shopper's card as a merchant's own page sends it (pivot-api §5.2 paymentMethod.card): only encrypted,
 * on confirm, with the session's encryptionKey. A raw number or CVC is refused (Kasir never takes card
 * data in the clear over its API), and so are fields Kasir does not use yet, by name.
 */
export const CardInput = Type.Object(
  {
    encryptedCard: Type.Optional(
      Str(500, 1, {
        description:
          'Base64 RSA-OAEP (SHA-256) ciphertext, under the session\'s encryptionKey, of the JSON {"number","expMonth","expYear","cvc","cardHolderName"?}',
      }),
    ),
    token: Type.Optional(
      Str(100, 20, {
        description:
          "A saved card's token (GET /v1/customers/{customerId} storedPaymentMethods), for the same customer; confirm only, instead of encryptedCard",
      }),
    ),
    cardHolderFirstName: Type.Optional(Str(100)),
    cardHolderLastName: Type.Optional(Str(100, 0)),
    cardHolderEmail: Type.Optional(Str(255)),
    cardHolderPhone: Type.Optional(Str(20)),
  },
  { $id: 'CardInput', additionalProperties: false },
);

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

/** pivot-api §5.7. Pivot types releaseRemainingAmount "Object"; it is used as a boolean (§14). */
export const CaptureRequest = Type.Object(
  {
    releaseRemainingAmount: Type.Boolean({
      description: 'true ends the authorization after this capture: the rest of it is released, never captured',
    }),
    amount: Type.Optional(
      Type.Object(
        {
          value: Type.Integer({
            minimum: 0,
            maximum: 999_999_999_999_999,
            description:
              'Integer; at most what is left of the authorization. 0 (with releaseRemainingAmount) only releases the rest',
          }),
          currency: Enum(CURRENCIES, { description: "The charge's currency" }),
        },
        { additionalProperties: true },
      ),
    ),
  },
  {
    $id: 'CaptureRequest',
    description: 'amount omitted: capture everything not captured yet',
  },
);

export const CaptureHeaders = Type.Object({
  'x-request-id': Type.Optional(
    Type.String({
      pattern: '^[A-Za-z0-9]{16,36}$',
      description:
        'Idempotency key, recommended: a retried capture with the same key and body answers the first capture instead of taking more',
    }),
  ),
});

export const CustomerIdParams = Type.Object({
  customerId: Type.String({ minLength: 1, maxLength: 255, description: "The customerId a session's answer carries" }),
});

/** A saved card as the Customer Object lists it (pivot-api §5.2 storedPaymentMethods): never the number. */
export const StoredPaymentMethod = Type.Object(
  {
    token: Type.String({ description: 'Pay with it: paymentMethod.card.token on confirm' }),
    paymentMethod: Type.String({ description: 'CARD' }),
    paymentChannel: Type.String({ description: 'The card network: VISA, MASTERCARD or JCB' }),
    status: Type.String({ description: 'ACTIVE' }),
    createdAt: Type.String(),
    card: Type.Object({
      first6: Type.String(),
      last4: Type.String(),
      brand: Type.String(),
      expMonth: Type.String(),
      expYear: Type.String(),
      fingerprint: Type.String(),
    }),
  },
  { $id: 'StoredPaymentMethod' },
);

/** GET /v1/customers/{customerId} (pivot-api §5.11): the customer's id and saved payment methods. */
export const CustomerObject = Type.Object(
  {
    id: Type.String(),
    storedPaymentMethods: Type.Array(Ref(StoredPaymentMethod)),
  },
  { $id: 'CustomerObject' },
);

/** The capture endpoint's answer (pivot-api §5.7). */
export const Capture = Type.Object(
  {
    id: Type.String(),
    paymentSessionId: Type.String(),
    paymentSessionClientReferenceId: Type.String(),
    releaseRemainingAmount: Type.Boolean(),
    amount: Ref(Amount),
    status: Enum(['PENDING', 'SUCCESS', 'FAILED'] as const, { description: 'Kasir captures at once: SUCCESS' }),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { $id: 'Capture' },
);

export const SessionIdParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 100, description: 'Payment session id' }),
});

export const ListPaymentsQuery = Type.Object({
  ...PageQuery,
  clientReferenceId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  status: Type.Optional(Enum(SESSION_STATUSES)),
});

/** GET /v2/charges (pivot-api §5.8): every charge, e.g. all of a MULTIPLE session's, newest first. */
export const ListChargesQuery = Type.Object({
  ...PageQuery,
  clientReferenceId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  paymentSessionId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
});

// ---- responses ----

export const VirtualAccount = Type.Object(
  {
    channel: Nullable(Type.String()),
    virtualAccountNumber: Nullable(Type.String()),
    virtualAccountName: Nullable(Type.String()),
    expiryAt: Nullable(Type.String()),
  },
  { $id: 'VirtualAccount' },
);

export const Qr = Type.Object(
  {
    acquirer: Type.String(),
    qrContent: Type.String({ description: 'QRIS (EMVCo MPM) payload' }),
    qrUrl: Nullable(Type.String()),
    qrType: Type.String(),
    merchantName: Type.String(),
    expiryAt: Nullable(Type.String()),
  },
  { $id: 'Qr' },
);

export const Ewallet = Type.Object(
  {
    channel: Nullable(Enum(EWALLET_CHANNELS)),
    accountIdentifier: Type.Optional(
      Nullable(Type.String({ description: 'paymentMethod only: the mobile number the merchant sent, as sent' })),
    ),
    accountInformations: Type.Optional(
      Nullable(
        Type.Object(
          {
            mobileNumber: Type.String({ description: 'E.164, e.g. +628111111001' }),
            name: Nullable(Type.String({ description: "The account holder's name, when the wallet gives it" })),
          },
          { description: 'Charge only: the wallet account paying; null until the shopper names it' },
        ),
      ),
    ),
  },
  { $id: 'Ewallet', description: 'E-wallet charge object (pivot-api §6.2) and paymentMethod.ewallet' },
);

const Nullable3ds = Type.Object({
  threeDsVersion: Type.String(),
  threeDsResult: Type.String({ description: 'Y authenticated, N not' }),
  threeDsMethod: Type.String({ description: 'FRICTIONLESS or CHALLENGE' }),
  eciCode: Type.String(),
});

const AuthorizationResult = Type.Object({
  acquirerReferenceNumber: Type.String(),
  retrievalReferenceNumber: Type.String(),
  stan: Type.String(),
  avsResult: Type.String(),
  cvvResult: Type.String(),
  authorizedAmount: NullableRef(Amount),
  issuerAuthorizationCode: Nullable(Type.String()),
});

export const CardCharge = Type.Object(
  {
    first6: Type.String(),
    first8: Type.String(),
    last4: Type.String(),
    expMonth: Type.String({ description: 'Two digits' }),
    expYear: Type.String({ description: 'Four digits' }),
    fingerprint: Type.String({
      description: 'The same card gives the same fingerprint at this Kasir; it does not reveal the number',
    }),
    binInformations: Type.Object({
      type: Nullable(Type.String()),
      issuingBank: Nullable(Type.String()),
      brand: Type.String(),
      country: Nullable(Type.String()),
    }),
    authenticationResult: Nullable(Nullable3ds),
    authorizationResult: Nullable(AuthorizationResult),
  },
  { $id: 'CardCharge', description: 'Card charge object (pivot-api §6.2): never the card number or CVC' },
);

export const FdsRiskAssessment = Type.Object(
  {
    score: Type.Integer(),
    level: Type.String(),
    recommendation: Type.String({ description: 'Approve or Reject' }),
    status: Type.String({ description: 'PASSED or REJECTED' }),
    evaluatedAt: Type.String(),
  },
  { $id: 'FdsRiskAssessment' },
);

export const Charge = Type.Object(
  {
    id: Type.String(),
    paymentSessionId: Type.String(),
    paymentSessionClientReferenceId: Type.String(),
    amount: Ref(Amount),
    statementDescriptor: Type.String(),
    status: Enum(CHARGE_STATUSES),
    authorizedAmount: NullableRef(Amount),
    capturedAmount: NullableRef(Amount),
    isCaptured: Type.Boolean(),
    createdAt: Type.String(),
    updatedAt: Type.String(),
    paidAt: Nullable(Type.String()),
    virtualAccount: Type.Optional(Ref(VirtualAccount)),
    qr: Type.Optional(Ref(Qr)),
    ewallet: Type.Optional(Ref(Ewallet)),
    card: Type.Optional(Ref(CardCharge)),
    fdsRiskAssessment: Type.Optional(Ref(FdsRiskAssessment)),
    failureCode: Type.Optional(Type.String()),
    failureMessage: Type.Optional(Nullable(Type.String())),
    recommendation: Type.Optional(Type.String({ description: 'What to do after a failure (pivot-api §10.5)' })),
    captureHistories: Type.Optional(
      Type.Array(
        Type.Object({
          captureId: Type.String(),
          currency: Type.String(),
          capturedAmount: Type.Integer(),
          status: Type.String({ description: 'SUCCESS' }),
          createdAt: Type.String(),
        }),
        { description: 'Card charges with captureMethod manual: each capture, oldest first' },
      ),
    ),
    refundedAmount: Type.Optional(
      Type.Unsafe<AmountWire>({
        allOf: [Ref(Amount)],
        description:
          'Kasir extension (Pivot documents no such field): the sum of SUCCESS refunds of this charge; present once one succeeded',
      }),
    ),
  },
  { $id: 'Charge', description: 'Charge Object (pivot-api §6.2)' },
);
export type ChargeWire = Static<typeof Charge>;

export const PaymentMethod = Type.Object(
  {
    type: Enum(PAYMENT_METHOD_TYPES),
    virtualAccount: Type.Optional(Ref(VirtualAccount)),
    qr: Type.Optional(Ref(Qr)),
    ewallet: Type.Optional(Ref(Ewallet)),
    card: Type.Optional(Ref(CardCharge)),
  },
  { $id: 'PaymentMethod' },
);

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
