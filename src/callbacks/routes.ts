// GET /v2/callbacks and POST /v2/callbacks/{id}/resend — Kasir extensions (tag 'Kasir extension'):
// the callback history with every attempt, and a manual resend. Bearer-authenticated like /v2/payments.
// Their schemas live in src/contract (callbacks.ts, operations.ts).
import { apiActor } from '../usecases/audit-log.ts';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Refusal } from '../domain/refusal.ts';
import { callbackHistory, resendCallback } from '../usecases/callback-history.ts';
import type { Context } from '../usecases/context.ts';
import { pageOf } from '../contract/common.ts';
import { listCallbacks, resendCallback as resendCallbackOperation } from '../contract/operations.ts';

export async function callbackRoutes(app: FastifyInstance, ctx: Context) {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  typed.get('/v2/callbacks', { schema: listCallbacks }, async (request) => {
    const q = request.query;
    if (q.paymentSessionId !== undefined && q.refundId !== undefined) {
      throw Refusal.field('refundId', 'refundId cannot be combined with paymentSessionId: a callback is about one of them');
    }
    const result = await callbackHistory(
      ctx,
      request.merchant.id,
      {
        ...(q.paymentSessionId !== undefined && { resource: { type: 'payment_session' as const, id: q.paymentSessionId } }),
        ...(q.refundId !== undefined && { resource: { type: 'refund' as const, id: q.refundId } }),
        event: q.event,
        status: q.status,
      },
      pageOf(q),
    );
    return { code: '00' as const, message: 'Success', data: result.callbacks, pagination: result.pagination };
  });

  typed.post('/v2/callbacks/:id/resend', { schema: resendCallbackOperation }, async (request) => {
    const callback = await resendCallback(ctx, request.merchant.id, request.params.id, apiActor(request.merchant.id));
    return { code: '00' as const, message: 'Success', data: callback };
  });
}
