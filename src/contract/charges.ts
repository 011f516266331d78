// Charges on the wire (pivot-api §6.2, §5.8): the Charge Object with each method's own object (virtual
// account, QR, e-wallet, card), the paymentMethod object a session shows, and the charge list's filters.
import { Type, type Static } from 'typebox';
import { CHARGE_STATUSES, PAYMENT_METHOD_TYPES } from '../domain/statuses.ts';
import { EWALLET_CHANNELS } from '../domain/payment-methods.ts';
import { Amount, type AmountWire, Enum, Nullable, NullableRef, PageQuery, Ref } from './common.ts';

/** GET /v2/charges (pivot-api §5.8): every charge, e.g. all of a MULTIPLE session's, newest first. */
export const ListChargesQuery = Type.Object({
  ...PageQuery,
  clientReferenceId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  paymentSessionId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
});

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
