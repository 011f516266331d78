// The event stream on the wire (Kasir extension, tag 'Kasir extension'): GET /v2/events/stream answers
// Server-Sent Events, one message per callback the merchant's outbox gains, each carrying the exact body
// Kasir POSTs and the headers it would send with it now, so a developer tool (`kasir listen`) can forward
// it byte for byte to a local endpoint that verifies it as it would verify the real callback.
import { Type, type Static } from 'typebox';
import { CALLBACK_EVENTS, RESOURCE_TYPES } from '../domain/statuses.ts';
import { Enum } from './common.ts';

/** "PAYMENT.PAID,REFUND.SUCCESS": upper-case names, comma-separated; each is checked against the event list. */
const EVENT_LIST_PATTERN = '^[A-Z_.]{1,40}(,[A-Z_.]{1,40}){0,19}$';

export const EventStreamQuery = Type.Object({
  events: Type.Optional(
    Type.String({
      pattern: EVENT_LIST_PATTERN,
      maxLength: 800,
      description: `Only these events, comma-separated (any of ${CALLBACK_EVENTS.join(', ')}); all of them when left out`,
    }),
  ),
  after: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 100,
      description:
        'Resume after this callback id (a message id the stream sent); the Last-Event-ID header wins when both are given. Without either, the stream starts with the callbacks written from now on',
    }),
  ),
});

export const EventStreamHeaders = Type.Object({
  'last-event-id': Type.Optional(
    Type.String({ minLength: 1, maxLength: 100, description: 'Sent by an EventSource when it reconnects: resume after it' }),
  ),
});

export const StreamedEvent = Type.Object(
  {
    id: Type.String({ description: "The callback's id: the message's SSE id and the webhook-id header" }),
    event: Enum(CALLBACK_EVENTS),
    resourceType: Enum(RESOURCE_TYPES),
    resourceId: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    body: Type.String({ description: 'The exact body Kasir POSTs to the callback URL, as text: forward it unchanged' }),
    headers: Type.Record(Type.String(), Type.String(), {
      description:
        "The headers Kasir would send with it now: Content-Type, User-Agent, X-API-Key and the Standard Webhooks headers signed with the merchant's current webhook secret (both secrets during a rotation's overlap)",
    }),
  },
  {
    description:
      'The data of one message of the event stream (Kasir extension). The stream is text/event-stream: `id: <callback id>` and `data: <this object as JSON>` per message, a `: keep-alive` comment every 15 seconds',
  },
);
export type StreamedEventWire = Static<typeof StreamedEvent>;
