// GET /v1/refunds — newest first, paginated like /v2/payments, filterable by paymentSessionId,
// clientReferenceId and status.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { pageOf } from '../../contract/common.ts';
import { listRefunds } from '../../contract/operations.ts';
import { refundObject } from '../../domain/refund-object.ts';
import type { Context } from '../../usecases/context.ts';
import { listMerchantRefunds } from '../../usecases/read-refunds.ts';

export async function listRefundsRoute(app: FastifyInstance, ctx: Context) {
  app.withTypeProvider<TypeBoxTypeProvider>().get('/v1/refunds', { schema: listRefunds }, async (request) => {
    const q = request.query;
    const result = await listMerchantRefunds(ctx, request.merchant.id, {
      ...pageOf(q),
      paymentSessionId: q.paymentSessionId,
      clientReferenceId: q.clientReferenceId,
      status: q.status,
    });
    return { code: '00' as const, message: 'Success', data: result.refunds.map(refundObject), pagination: result.pagination };
  });
}
