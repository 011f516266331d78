// Callback history on the wire (Kasir extensions, tag 'Kasir extension'): each callback with every delivery
// attempt. The event list is the domain's; the delivery statuses are listed here and the history's
// typed mapping must produce exactly these.
import { Type, type Static } from 'typebox';
import { CALLBACK_EVENTS, RESOURCE_TYPES } from '../domain/statuses.ts';
import { Enum, Nullable, PageQuery, Ref } from './common.ts';

export const CALLBACK_DELIVERY_STATUSES = ['PENDING', 'DELIVERING', 'DELIVERED', 'FAILED'] as const;

const Instant = Type.String({ format: 'date-time' });

export const CallbackAttempt = Type.Object(
  {
    attemptedAt: Instant,
    httpStatus: Nullable(Type.Integer({ description: 'null when no response came (network error, timeout)' })),
    latencyMs: Type.Integer(),
    responseExcerpt: Nullable(Type.String({ description: 'The first 200 characters of the response body' })),
    error: Nullable(Type.String()),
  },
  { $id: 'CallbackAttempt' },
);

export const Callback = Type.Object(
  {
    id: Type.String({ description: 'Also the webhook-id header, the same on every attempt' }),
    resourceType: Enum(RESOURCE_TYPES, {
      description:
        "What the callback's data is: a payment session, a refund, or the merchant (a PAYMENT.TEST from the dashboard)",
    }),
    resourceId: Type.String({ description: "The id of the callback's data" }),
    paymentSessionId: Nullable(
      Type.String({ description: 'The session, for payment-session callbacks; null for refund callbacks' }),
    ),
    event: Enum(CALLBACK_EVENTS),
    status: Enum(CALLBACK_DELIVERY_STATUSES, {
      description:
        'PENDING (due at nextAttemptAt), DELIVERING, DELIVERED (a 2xx came back) or FAILED (retries spent or refused; resend it)',
    }),
    attemptCount: Type.Integer({ description: 'Attempts in the current retry cycle (a resend starts a new one)' }),
    nextAttemptAt: Nullable(Instant),
    createdAt: Instant,
    deliveredAt: Nullable(Instant),
    payload: Type.Unknown({ description: 'The exact body sent: {"event", "data"}' }),
    attempts: Type.Array(Ref(CallbackAttempt), {
      description: 'Every attempt, oldest first, across resends',
    }),
  },
  { $id: 'Callback', description: 'A callback and its delivery history (Kasir extension)' },
);
export type CallbackWire = Static<typeof Callback>;

export const ListCallbacksQuery = Type.Object({
  ...PageQuery,
  paymentSessionId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  refundId: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: "A refund's REFUND.* callbacks" })),
  event: Type.Optional(Enum(CALLBACK_EVENTS)),
  status: Type.Optional(Enum(CALLBACK_DELIVERY_STATUSES)),
});

export const CallbackIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100, description: 'Callback id' }) });
