// POST /v2/payments/{id}/cancel: void a session that has no charge out yet.
import { decideCancel } from '../domain/session-state.ts';
import type { Session } from '../domain/session.ts';
import type { CancellationReason } from '../domain/statuses.ts';
import type { AuditActor } from './audit-log.ts';
import type { Context } from './context.ts';
import { transition } from './persist.ts';

/** `actor`, when given, is named in the audit log with the cancellation. */
export function cancelSession(
  ctx: Context,
  merchantId: string,
  sessionId: string,
  reason: CancellationReason,
  actor?: AuditActor,
): Promise<Session> {
  const audit = actor && { actor, action: 'payment.cancel', detail: { cancellationReason: reason } };
  return transition(ctx, merchantId, sessionId, (session, now) => decideCancel(session, reason, now), audit);
}
