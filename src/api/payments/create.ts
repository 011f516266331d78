// POST /v2/payments — create a payment session (pivot-api §5.2). Idempotent on X-REQUEST-ID for 24 h.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Refusal } from '../../domain/refusal.ts';
import { createSession, hashRequest } from '../../usecases/create-session.ts';
import type { Context } from '../../usecases/context.ts';
import { bearerSecurity } from '../auth.ts';
import { toCreateInput } from '../request-mapping.ts';
import { CreatePaymentBody, Envelope, ErrorEnvelope, PaymentSessionObject } from '../schemas.ts';

const Headers = Type.Object({
  'x-request-id': Type.Optional(Type.String({ description: 'Idempotency key: 16–36 letters and digits, kept 24 h' })),
});

const REQUEST_ID = /^[A-Za-z0-9]{16,36}$/;
const MAX_DEPTH = 32;

/** JSON nested deeper than any payment needs would overflow the stack when hashed or stored: refuse it. */
function tooDeep(value: unknown, depth = 0): boolean {
  if (depth > MAX_DEPTH) return true;
  return !!value && typeof value === 'object' && Object.values(value).some((v) => tooDeep(v, depth + 1));
}

export async function createPaymentRoute(app: FastifyInstance, ctx: Context) {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    '/v2/payments',
    {
      schema: {
        tags: ['Payment sessions'],
        summary: 'Create a payment session',
        security: bearerSecurity,
        headers: Headers,
        body: CreatePaymentBody,
        response: {
          200: Envelope(PaymentSessionObject),
          400: ErrorEnvelope,
          401: ErrorEnvelope,
          409: ErrorEnvelope,
          422: ErrorEnvelope,
        },
      },
    },
    async (request) => {
      const key = request.headers['x-request-id'];
      if (key === undefined) throw Refusal.field('X-REQUEST-ID', 'X-REQUEST-ID header is required on create (idempotency key)');
      if (!REQUEST_ID.test(key)) throw Refusal.field('X-REQUEST-ID', 'X-REQUEST-ID must be 16–36 letters and digits');
      if (tooDeep(request.body)) throw Refusal.field('body', `the request body is nested more than ${MAX_DEPTH} levels deep`);
      const input = toCreateInput(request.body, ctx.env);
      const result = await createSession(ctx, request.merchant, input, { key, requestHash: hashRequest(request.body) });
      return { code: '00' as const, message: 'Success', data: result.body as never };
    },
  );
}
