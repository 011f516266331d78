// GET /v2/callbacks and POST /v2/callbacks/{id}/resend — Kasir extensions (tag 'Kasir extension'):
// the callback history with every attempt, and a manual resend. Bearer-authenticated like /v2/payments.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CALLBACK_EVENTS } from '../domain/statuses.ts';
import { CALLBACK_STATUSES, callbackHistory, resendCallback } from '../usecases/callback-history.ts';
import type { Context } from '../usecases/context.ts';
import { bearerSecurity } from '../api/auth.ts';
import { Envelope, ErrorEnvelope, ListEnvelope, Nullable, PageQuery, pageOf } from '../api/schemas.ts';

const TAGS = ['Kasir extension'];
const Timestamp = Type.String({ format: 'date-time' });

const Attempt = Type.Object({
  attemptedAt: Timestamp,
  httpStatus: Nullable(Type.Integer({ description: 'null when no response came (network error, timeout)' })),
  latencyMs: Type.Integer(),
  responseExcerpt: Nullable(Type.String({ description: 'The first 200 characters of the response body' })),
  error: Nullable(Type.String()),
});

const CallbackObject = Type.Object({
  id: Type.String({ description: 'Also the webhook-id header, the same on every attempt' }),
  paymentSessionId: Type.String(),
  event: Type.Enum([...CALLBACK_EVENTS]),
  status: Type.Enum([...CALLBACK_STATUSES], {
    description: 'PENDING (due at nextAttemptAt), DELIVERING, DELIVERED (a 2xx came back) or FAILED (retries spent or refused; resend it)',
  }),
  attemptCount: Type.Integer({ description: 'Attempts in the current retry cycle (a resend starts a new one)' }),
  nextAttemptAt: Nullable(Timestamp),
  createdAt: Timestamp,
  deliveredAt: Nullable(Timestamp),
  payload: Type.Unknown({ description: 'The exact body sent: {"event", "data"}' }),
  attempts: Type.Array(Attempt, { description: 'Every attempt, oldest first, across resends' }),
});

const Query = Type.Object({
  ...PageQuery,
  paymentSessionId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  event: Type.Optional(Type.Enum([...CALLBACK_EVENTS])),
  status: Type.Optional(Type.Enum([...CALLBACK_STATUSES])),
});

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

export async function callbackRoutes(app: FastifyInstance, ctx: Context) {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  typed.get(
    '/v2/callbacks',
    {
      schema: {
        tags: TAGS,
        summary: 'List callbacks with every delivery attempt (Kasir extension)',
        security: bearerSecurity,
        querystring: Query,
        response: { 200: ListEnvelope(CallbackObject), 400: ErrorEnvelope, 401: ErrorEnvelope },
      },
    },
    async (request) => {
      const q = request.query;
      const result = await callbackHistory(
        ctx,
        request.merchant.id,
        { sessionId: q.paymentSessionId, event: q.event, status: q.status },
        pageOf(q),
      );
      return { code: '00' as const, message: 'Success', data: result.callbacks as never[], pagination: result.pagination };
    },
  );

  typed.post(
    '/v2/callbacks/:id/resend',
    {
      schema: {
        tags: TAGS,
        summary: 'Send a callback again now (Kasir extension)',
        security: bearerSecurity,
        params: IdParams,
        response: { 200: Envelope(CallbackObject), 401: ErrorEnvelope, 404: ErrorEnvelope, 422: ErrorEnvelope },
      },
    },
    async (request) => {
      const callback = await resendCallback(ctx, request.merchant.id, request.params.id);
      return { code: '00' as const, message: 'Success', data: callback as never };
    },
  );
}
