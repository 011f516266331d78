// POST /v2/payments — create a payment session (pivot-api §5.2). Idempotent on X-REQUEST-ID for 24 h.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Refusal } from '../../domain/refusal.ts';
import { createSession, hashRequest } from '../../usecases/create-session.ts';
import type { Context } from '../../usecases/context.ts';
import { createPayment } from '../../contract/operations.ts';
import { toCreateInput } from '../request-mapping.ts';

const MAX_DEPTH = 32;

/** JSON nested deeper than any payment needs would overflow the stack when hashed or stored: refuse it. */
function tooDeep(value: unknown, depth = 0): boolean {
  if (depth > MAX_DEPTH) return true;
  return !!value && typeof value === 'object' && Object.values(value).some((v) => tooDeep(v, depth + 1));
}

export async function createPaymentRoute(app: FastifyInstance, ctx: Context) {
  app.withTypeProvider<TypeBoxTypeProvider>().post('/v2/payments', { schema: createPayment }, async (request) => {
    // X-REQUEST-ID's presence and shape are checked by the schema (400 naming X-REQUEST-ID).
    const key = request.headers['x-request-id'];
    if (tooDeep(request.body)) throw Refusal.field('body', `the request body is nested more than ${MAX_DEPTH} levels deep`);
    const input = toCreateInput(request.body, ctx.env);
    const result = await createSession(ctx, request.merchant, input, { key, requestHash: hashRequest(request.body) });
    return { code: '00' as const, message: 'Success', data: result.body };
  });
}
