// GET /v1/customers/{customerId} — the Customer Object with its saved payment methods (pivot-api §5.11).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { getCustomer } from '../contract/operations.ts';
import type { Context } from '../usecases/context.ts';
import { savedCardsOfCustomer } from '../usecases/customers.ts';

export async function customerRoute(app: FastifyInstance, ctx: Context) {
  app.withTypeProvider<TypeBoxTypeProvider>().get('/v1/customers/:customerId', { schema: getCustomer }, async (request) => {
    const { customerId } = request.params;
    const cards = await savedCardsOfCustomer(ctx, request.merchant.id, customerId);
    return {
      code: '00' as const,
      message: 'Success',
      data: {
        id: customerId,
        storedPaymentMethods: cards.map(({ token, card, createdAt }) => ({
          token,
          paymentMethod: 'CARD',
          paymentChannel: card.brand,
          status: 'ACTIVE',
          createdAt: createdAt.toISOString(),
          card: {
            first6: card.first6,
            last4: card.last4,
            brand: card.brand,
            expMonth: card.expMonth,
            expYear: card.expYear,
            fingerprint: card.fingerprint,
          },
        })),
      },
    };
  });
}
