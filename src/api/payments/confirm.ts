// POST /v2/payments/{id}/confirm — fix the payment method and issue the charge (pivot-api §5.3).
// paymentMethodOptions is accepted beside paymentMethod (Pivot's table) and inside it (Pivot's example).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { paymentSessionObject } from '../../domain/payment-session-object.ts';
import { confirmSession } from '../../usecases/confirm-session.ts';
import type { Context } from '../../usecases/context.ts';
import { bearerSecurity } from '../auth.ts';
import { toConfirmMethod } from '../request-mapping.ts';
import { ConfirmPaymentBody, Envelope, ErrorEnvelope, PaymentSessionObject, SessionIdParams } from '../schemas.ts';

export async function confirmPaymentRoute(app: FastifyInstance, ctx: Context) {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    '/v2/payments/:id/confirm',
    {
      schema: {
        tags: ['Payment sessions'],
        summary: 'Confirm a payment session',
        security: bearerSecurity,
        params: SessionIdParams,
        body: ConfirmPaymentBody,
        response: { 200: Envelope(PaymentSessionObject), 400: ErrorEnvelope, 401: ErrorEnvelope, 404: ErrorEnvelope, 422: ErrorEnvelope },
      },
    },
    async (request) => {
      const session = await confirmSession(ctx, request.merchant, request.params.id, toConfirmMethod(request.body));
      return { code: '00' as const, message: 'Success', data: paymentSessionObject(session) as never };
    },
  );
}
