// POST /v2/payments/{id}/capture — take all or part of a manual-capture card authorization (pivot-api §5.7).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { apiActor } from '../../usecases/audit-log.ts';
import { capturePayment } from '../../usecases/capture-payment.ts';
import type { Context } from '../../usecases/context.ts';
import { capturePayment as capturePaymentOperation } from '../../contract/operations.ts';

export async function capturePaymentRoute(app: FastifyInstance, ctx: Context) {
  app
    .withTypeProvider<TypeBoxTypeProvider>()
    .post('/v2/payments/:id/capture', { schema: capturePaymentOperation }, async (request) => {
      const { releaseRemainingAmount, amount } = request.body;
      const requestId = request.headers['x-request-id'];
      const { session, capture } = await capturePayment(
        ctx,
        request.merchant.id,
        request.params.id,
        {
          releaseRemainingAmount,
          // Amount allows extra properties on the wire; only value and currency reach the decision.
          ...(amount && { amount: { value: amount.value, currency: amount.currency } }),
          ...(requestId !== undefined && { requestId }),
        },
        apiActor(request.merchant.id),
      );
      const at = capture.createdAt.toISOString();
      return {
        code: '00' as const,
        message: 'Success',
        data: {
          id: capture.id,
          paymentSessionId: session.id,
          paymentSessionClientReferenceId: session.clientReferenceId,
          releaseRemainingAmount: capture.releaseRemainingAmount,
          amount: { value: capture.amount, currency: session.amount.currency },
          status: 'SUCCESS' as const,
          createdAt: at,
          updatedAt: at,
        },
      };
    });
}
