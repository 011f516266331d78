// Customers on the wire (pivot-api §5.11): a customer's saved payment methods, never a card number.
import { Type } from 'typebox';
import { EWALLET_CHANNELS } from '../domain/payment-methods.ts';
import { Enum, Nullable, Ref } from './common.ts';

export const CustomerIdParams = Type.Object({
  customerId: Type.String({ minLength: 1, maxLength: 255, description: "The customerId a session's answer carries" }),
});

/**
 * A saved method as the Customer Object lists it (pivot-api §5.2 storedPaymentMethods): a card's digits and
 * brand (never the number), or an e-wallet's channel and account.
 */
export const StoredPaymentMethod = Type.Object(
  {
    token: Type.String({ description: 'A saved card pays with it: paymentMethod.card.token on confirm' }),
    paymentMethod: Enum(['CARD', 'EWALLET'] as const),
    paymentChannel: Type.String({
      description: 'The card network (VISA, MASTERCARD, JCB) or the e-wallet (DANA, SHOPEEPAY, OVO)',
    }),
    status: Type.String({ description: 'ACTIVE' }),
    createdAt: Type.String(),
    card: Type.Optional(
      Type.Object({
        first6: Type.String(),
        last4: Type.String(),
        brand: Type.String(),
        expMonth: Type.String(),
        expYear: Type.String(),
        fingerprint: Type.String(),
      }),
    ),
    ewallet: Type.Optional(
      Type.Object({
        channel: Enum(EWALLET_CHANNELS),
        accountInformations: Type.Object({
          mobileNumber: Type.String({ description: 'E.164' }),
          name: Nullable(Type.String()),
        }),
        fingerprint: Type.String({ description: 'The same account gives the same fingerprint at this Kasir' }),
      }),
    ),
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
