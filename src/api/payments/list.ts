// GET /v2/payments — newest first, paginated, filterable by clientReferenceId and status (pivot-api §5.4–5.5).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { paymentSessionObject } from '../../domain/payment-session-object.ts';
import { listPaymentSessions } from '../../usecases/read-sessions.ts';
import type { Context } from '../../usecases/context.ts';
import { pageOf } from '../../contract/common.ts';
import { listPayments } from '../../contract/operations.ts';

export async function listPaymentsRoute(app: FastifyInstance, ctx: Context) {
  app.withTypeProvider<TypeBoxTypeProvider>().get('/v2/payments', { schema: listPayments }, async (request) => {
    const q = request.query;
    const result = await listPaymentSessions(ctx, request.merchant.id, {
      ...pageOf(q),
      clientReferenceId: q.clientReferenceId,
      status: q.status,
    });
    return {
      code: '00' as const,
      message: 'Success',
      data: result.sessions.map(paymentSessionObject),
      pagination: result.pagination,
    };
  });
}
