// Customers on the wire (pivot-api §5.11): a customer's saved payment methods, never a card number.
import { Type } from 'typebox';
import { Ref } from './common.ts';

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
