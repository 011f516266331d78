// GET /v2/charges — a merchant's charges, newest first, paginated like /v2/payments, filterable by
// clientReferenceId and paymentSessionId (pivot-api §5.8). Pages through every charge of a MULTIPLE session.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { listChargeObjects } from '../../usecases/read-charges.ts';
import type { Context } from '../../usecases/context.ts';
import { bearerSecurity } from '../auth.ts';
import { ChargeObject, ErrorEnvelope, ListEnvelope, PageQuery, pageOf } from '../schemas.ts';

const Query = Type.Object({
  ...PageQuery,
  clientReferenceId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  paymentSessionId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
});

export async function listChargesRoute(app: FastifyInstance, ctx: Context) {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/v2/charges',
    {
      schema: {
        tags: ['Charges'],
        summary: 'List charges',
        security: bearerSecurity,
        querystring: Query,
        response: { 200: ListEnvelope(ChargeObject), 400: ErrorEnvelope, 401: ErrorEnvelope },
      },
    },
    async (request) => {
      const q = request.query;
      const result = await listChargeObjects(ctx, request.merchant.id, {
        ...pageOf(q),
        clientReferenceId: q.clientReferenceId,
        paymentSessionId: q.paymentSessionId,
      });
      return { code: '00' as const, message: 'Success', data: result.charges, pagination: result.pagination };
    },
  );
}
