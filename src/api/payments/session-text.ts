// Answers carrying a Payment Session Object Kasir already holds as JSON text (the row's stored wire, a
// new session's, an idempotent replay's), sent as written instead of parsed and serialised again.
import type { FastifyReply } from 'fastify';

/**
 * The text is `sessionWire` (store/codec.ts): `paymentSessionObject` of the session, the same function the
 * routes' rebuilt answers are type-checked through against the contract (tests compare the two).
 */
export function sendSessionText(reply: FastifyReply, wire: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(`{"code":"00","message":"Success","data":${wire}}`);
}
