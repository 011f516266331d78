// GET /v2/payments/{id} — one session as it stands now (pivot-api §5.4).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { paymentSessionObject } from '../../domain/payment-session-object.ts';
import { getSessionAnswer } from '../../usecases/read-sessions.ts';
import type { Context } from '../../usecases/context.ts';
import { getPayment } from '../../contract/operations.ts';
import { sendSessionText } from './session-text.ts';

export async function getPaymentRoute(app: FastifyInstance, ctx: Context) {
  app.withTypeProvider<TypeBoxTypeProvider>().get('/v2/payments/:id', { schema: getPayment }, async (request, reply) => {
    const answer = await getSessionAnswer(ctx, request.merchant.id, request.params.id);
    if ('wire' in answer) return sendSessionText(reply, answer.wire);
    return { code: '00' as const, message: 'Success', data: paymentSessionObject(answer.session) };
  });
}
