// POST /v2/payments/simulations — sandbox only: pay or expire a session as the customer's bank would
// (pivot-api §5.9). FAILED is a Kasir extension (a declined charge), used by the page's sandbox buttons too.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { SIMULATION_OUTCOMES } from '../../domain/statuses.ts';
import { simulatePayment } from '../../usecases/simulate-payment.ts';
import type { Context } from '../../usecases/context.ts';
import { bearerSecurity } from '../auth.ts';
import { Amount, Envelope, ErrorEnvelope } from '../schemas.ts';

const SimulationBody = Type.Object({
  paymentSessionId: Type.String({ minLength: 1, maxLength: 100 }),
  chargeStatus: Type.Enum([...SIMULATION_OUTCOMES], { description: 'SUCCESS or EXPIRED (Pivot); FAILED is a Kasir extension' }),
  amount: Type.Optional(Amount),
});

export async function simulatePaymentRoute(app: FastifyInstance, ctx: Context) {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    '/v2/payments/simulations',
    {
      schema: {
        tags: ['Sandbox'],
        summary: 'Simulate a payment outcome (sandbox only)',
        security: bearerSecurity,
        body: SimulationBody,
        response: {
          200: Envelope(Type.Object({ updated: Type.Boolean() })),
          400: ErrorEnvelope,
          401: ErrorEnvelope,
          404: ErrorEnvelope,
          422: ErrorEnvelope,
        },
      },
    },
    async (request) => {
      const { paymentSessionId, chargeStatus, amount } = request.body;
      // Amount allows extra properties on the wire; only value and currency may reach the stored charge.
      await simulatePayment(ctx, request.merchant.id, paymentSessionId, chargeStatus, amount && { value: amount.value, currency: amount.currency });
      return { code: '00' as const, message: 'Success', data: { updated: true } };
    },
  );
}
