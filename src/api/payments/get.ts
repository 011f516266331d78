// GET /v2/payments/{id} — one session as it stands now (pivot-api §5.4).
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { paymentSessionObject } from '../../domain/payment-session-object.ts';
import { getSessionAnswer } from '../../usecases/read-sessions.ts';
import type { Context } from '../../usecases/context.ts';
import { getPayment } from '../../contract/operations.ts';

/**
 * The stored wire text goes out as written: it is `paymentSessionObject` of the session at its current
 * version, the same function the rebuilt answer below is type-checked through (a test compares the two).
 */
function sendStoredSession(reply: FastifyReply, wire: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(`{"code":"00","message":"Success","data":${wire}}`);
}

export async function getPaymentRoute(app: FastifyInstance, ctx: Context) {
  app.withTypeProvider<TypeBoxTypeProvider>().get('/v2/payments/:id', { schema: getPayment }, async (request, reply) => {
    const answer = await getSessionAnswer(ctx, request.merchant.id, request.params.id);
    if ('wire' in answer) return sendStoredSession(reply, answer.wire);
    return { code: '00' as const, message: 'Success', data: paymentSessionObject(answer.session) };
  });
}
