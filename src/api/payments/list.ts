// GET /v2/payments — newest first, paginated, filterable by clientReferenceId and status (pivot-api §5.4–5.5).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { paymentSessionObject } from '../../domain/payment-session-object.ts';
import { SESSION_STATUSES } from '../../domain/statuses.ts';
import { listPaymentSessions } from '../../usecases/read-sessions.ts';
import type { Context } from '../../usecases/context.ts';
import { bearerSecurity } from '../auth.ts';
import { ErrorEnvelope, ListEnvelope, PageQuery, PaymentSessionObject, pageOf } from '../schemas.ts';

const Query = Type.Object({
  ...PageQuery,
  clientReferenceId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  status: Type.Optional(Type.Enum([...SESSION_STATUSES])),
});

export async function listPaymentsRoute(app: FastifyInstance, ctx: Context) {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/v2/payments',
    {
      schema: {
        tags: ['Payment sessions'],
        summary: 'List payment sessions',
        security: bearerSecurity,
        querystring: Query,
        response: { 200: ListEnvelope(PaymentSessionObject), 400: ErrorEnvelope, 401: ErrorEnvelope },
      },
    },
    async (request) => {
      const q = request.query;
      const result = await listPaymentSessions(ctx, request.merchant.id, {
        ...pageOf(q),
        clientReferenceId: q.clientReferenceId,
        status: q.status,
      });
      return {
        code: '00' as const,
        message: 'Success',
        data: result.sessions.map(paymentSessionObject) as never[],
        pagination: result.pagination,
      };
    },
  );
}
