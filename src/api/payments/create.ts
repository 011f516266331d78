// POST /v2/payments — create a payment session (pivot-api §5.2). Idempotent on X-REQUEST-ID for 24 h.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { refuseTooDeep } from '../body-depth.ts';
import { createSession } from '../../usecases/create-session.ts';
import { hashRequest } from '../../usecases/idempotency.ts';
import type { Context } from '../../usecases/context.ts';
import { createPayment } from '../../contract/operations.ts';
import { toCreateInput } from '../request-mapping.ts';
import { sendSessionText } from './session-text.ts';

export async function createPaymentRoute(app: FastifyInstance, ctx: Context) {
  app.withTypeProvider<TypeBoxTypeProvider>().post('/v2/payments', { schema: createPayment }, async (request, reply) => {
    // X-REQUEST-ID's presence and shape are checked by the schema (400 naming X-REQUEST-ID).
    const key = request.headers['x-request-id'];
    refuseTooDeep(request.body);
    const input = toCreateInput(request.body, ctx.env);
    const result = await createSession(ctx, request.merchant, input, { key, requestHash: hashRequest(request.body) });
    return sendSessionText(reply, result.wire);
  });
}
