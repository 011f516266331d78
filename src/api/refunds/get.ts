// GET /v1/refunds/{id} — one of the merchant's refunds as it stands (pivot-api §5.10).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { getRefund as getRefundOperation } from '../../contract/operations.ts';
import { refundObject } from '../../domain/refund-object.ts';
import type { Context } from '../../usecases/context.ts';
import { getRefund } from '../../usecases/read-refunds.ts';

export async function getRefundRoute(app: FastifyInstance, ctx: Context) {
  app.withTypeProvider<TypeBoxTypeProvider>().get('/v1/refunds/:id', { schema: getRefundOperation }, async (request) => {
    const refund = await getRefund(ctx, request.merchant.id, request.params.id);
    return { code: '00' as const, message: 'Success', data: refundObject(refund) };
  });
}
