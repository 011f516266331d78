// POST /v1/refunds/simulations — sandbox only, a Kasir extension: an open refund succeeds or fails now
// instead of after the sandbox's delay. Not registered in production (404).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { simulateRefund } from '../../contract/operations.ts';
import { refundObject } from '../../domain/refund-object.ts';
import { apiActor } from '../../usecases/audit-log.ts';
import { settleRefund } from '../../usecases/advance-refunds.ts';
import type { Context } from '../../usecases/context.ts';

export async function simulateRefundRoute(app: FastifyInstance, ctx: Context) {
  app.withTypeProvider<TypeBoxTypeProvider>().post('/v1/refunds/simulations', { schema: simulateRefund }, async (request) => {
    const refund = await settleRefund(
      ctx,
      request.merchant.id,
      request.body.refundId,
      request.body.status,
      apiActor(request.merchant.id),
    );
    return { code: '00' as const, message: 'Success', data: refundObject(refund) };
  });
}
