// POST /v2/payments/{id}/confirm — fix the payment method and issue the charge (pivot-api §5.3).
// paymentMethodOptions is accepted beside paymentMethod (Pivot's table) and inside it (Pivot's example).
// A card session in API mode is confirmed with paymentMethod.card.encryptedCard, or a saved card's token (pivot-api §5.3).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { paymentSessionObject } from '../../domain/payment-session-object.ts';
import { confirmSession } from '../../usecases/confirm-session.ts';
import type { Context } from '../../usecases/context.ts';
import { confirmPayment } from '../../contract/operations.ts';
import { toConfirmCard, toConfirmMethod } from '../request-mapping.ts';
import { confirmWithCard } from '../../usecases/card-payment.ts';

export async function confirmPaymentRoute(app: FastifyInstance, ctx: Context) {
  app.withTypeProvider<TypeBoxTypeProvider>().post('/v2/payments/:id/confirm', { schema: confirmPayment }, async (request) => {
    const method = toConfirmMethod(request.body);
    const card = toConfirmCard(request.body);
    const session =
      card === undefined
        ? await confirmSession(ctx, request.merchant, request.params.id, method)
        : await confirmWithCard(ctx, request.merchant, request.params.id, method, card);
    return { code: '00' as const, message: 'Success', data: paymentSessionObject(session) };
  });
}
