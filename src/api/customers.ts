// GET /v1/customers/{customerId} — the Customer Object with its saved payment methods (pivot-api §5.11).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { getCustomer } from '../contract/operations.ts';
import type { Context } from '../usecases/context.ts';
import { savedMethodsOfCustomer, type StoredPaymentMethod } from '../usecases/customers.ts';

/** One saved method as storedPaymentMethods lists it: a card's digits and brand, an e-wallet's account. */
function storedPaymentMethodObject(method: StoredPaymentMethod) {
  const common = { token: method.token, status: 'ACTIVE', createdAt: method.createdAt.toISOString() };
  if (method.kind === 'EWALLET') {
    const { channel, mobileNumber, accountName, fingerprint } = method.ewallet;
    return {
      ...common,
      paymentMethod: 'EWALLET' as const,
      paymentChannel: channel,
      ewallet: { channel, accountInformations: { mobileNumber, name: accountName }, fingerprint },
    };
  }
  const { card } = method;
  return {
    ...common,
    paymentMethod: 'CARD' as const,
    paymentChannel: card.brand,
    card: {
      first6: card.first6,
      last4: card.last4,
      brand: card.brand,
      expMonth: card.expMonth,
      expYear: card.expYear,
      fingerprint: card.fingerprint,
    },
  };
}

export async function customerRoute(app: FastifyInstance, ctx: Context) {
  app.withTypeProvider<TypeBoxTypeProvider>().get('/v1/customers/:customerId', { schema: getCustomer }, async (request) => {
    const { customerId } = request.params;
    const methods = await savedMethodsOfCustomer(ctx, request.merchant.id, customerId);
    return {
      code: '00' as const,
      message: 'Success',
      data: { id: customerId, storedPaymentMethods: methods.map(storedPaymentMethodObject) },
    };
  });
}
