// POST /v2/payments/simulations — sandbox only: pay or expire a session as the customer's bank would
// (pivot-api §5.9). FAILED is a Kasir extension (a declined charge), used by the page's sandbox buttons too.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { apiActor } from '../../usecases/audit-log.ts';
import { simulatePayment } from '../../usecases/simulate-payment.ts';
import type { Context } from '../../usecases/context.ts';
import { simulatePayment as simulatePaymentOperation } from '../../contract/operations.ts';

export async function simulatePaymentRoute(app: FastifyInstance, ctx: Context) {
  app
    .withTypeProvider<TypeBoxTypeProvider>()
    .post('/v2/payments/simulations', { schema: simulatePaymentOperation }, async (request) => {
      const { paymentSessionId, chargeStatus, amount } = request.body;
      // Amount allows extra properties on the wire; only value and currency may reach the stored charge.
      await simulatePayment(
        ctx,
        request.merchant.id,
        paymentSessionId,
        chargeStatus,
        amount && { value: amount.value, currency: amount.currency },
        apiActor(request.merchant.id),
      );
      return { code: '00' as const, message: 'Success', data: { updated: true } };
    });
}
