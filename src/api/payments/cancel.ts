// POST /v2/payments/{id}/cancel — void a session with no charge out yet (pivot-api §5.6).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { paymentSessionObject } from '../../domain/payment-session-object.ts';
import { apiActor } from '../../usecases/audit-log.ts';
import { cancelSession } from '../../usecases/cancel-session.ts';
import type { Context } from '../../usecases/context.ts';
import { cancelPayment } from '../../contract/operations.ts';

export async function cancelPaymentRoute(app: FastifyInstance, ctx: Context) {
  app.withTypeProvider<TypeBoxTypeProvider>().post('/v2/payments/:id/cancel', { schema: cancelPayment }, async (request) => {
    const session = await cancelSession(
      ctx,
      request.merchant.id,
      request.params.id,
      request.body.cancellationReason,
      apiActor(request.merchant.id),
    );
    return { code: '00' as const, message: 'Success', data: paymentSessionObject(session) };
  });
}
