// GET /v2/charges — a merchant's charges, newest first, paginated like /v2/payments, filterable by
// clientReferenceId and paymentSessionId (pivot-api §5.8). Pages through every charge of a MULTIPLE session.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { listChargeObjects } from '../../usecases/read-charges.ts';
import type { Context } from '../../usecases/context.ts';
import { pageOf } from '../../contract/common.ts';
import { listCharges } from '../../contract/operations.ts';

export async function listChargesRoute(app: FastifyInstance, ctx: Context) {
  app.withTypeProvider<TypeBoxTypeProvider>().get('/v2/charges', { schema: listCharges }, async (request) => {
    const q = request.query;
    const result = await listChargeObjects(ctx, request.merchant.id, {
      ...pageOf(q),
      clientReferenceId: q.clientReferenceId,
      paymentSessionId: q.paymentSessionId,
    });
    return { code: '00' as const, message: 'Success', data: result.charges, pagination: result.pagination };
  });
}
