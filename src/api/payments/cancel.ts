// POST /v2/payments/{id}/cancel — void a session with no charge out yet (pivot-api §5.6).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { paymentSessionObject } from '../../domain/payment-session-object.ts';
import { MERCHANT_CANCELLATION_REASONS } from '../../domain/statuses.ts';
import { cancelSession } from '../../usecases/cancel-session.ts';
import type { Context } from '../../usecases/context.ts';
import { bearerSecurity } from '../auth.ts';
import { Envelope, ErrorEnvelope, PaymentSessionObject, SessionIdParams } from '../schemas.ts';

const CancelBody = Type.Object({ cancellationReason: Type.Enum([...MERCHANT_CANCELLATION_REASONS]) });

export async function cancelPaymentRoute(app: FastifyInstance, ctx: Context) {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    '/v2/payments/:id/cancel',
    {
      schema: {
        tags: ['Payment sessions'],
        summary: 'Cancel a payment session',
        security: bearerSecurity,
        params: SessionIdParams,
        body: CancelBody,
        response: { 200: Envelope(PaymentSessionObject), 400: ErrorEnvelope, 401: ErrorEnvelope, 404: ErrorEnvelope, 422: ErrorEnvelope },
      },
    },
    async (request) => {
      const session = await cancelSession(ctx, request.merchant.id, request.params.id, request.body.cancellationReason);
      return { code: '00' as const, message: 'Success', data: paymentSessionObject(session) as never };
    },
  );
}
