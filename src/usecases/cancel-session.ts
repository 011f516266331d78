// POST /v2/payments/{id}/cancel: void a session that has no charge out yet.
import { decideCancel } from '../domain/session-state.ts';
import type { Session } from '../domain/session.ts';
import type { CancellationReason } from '../domain/statuses.ts';
import type { Context } from './context.ts';
import { transition } from './persist.ts';

export function cancelSession(ctx: Context, merchantId: string, sessionId: string, reason: CancellationReason): Promise<Session> {
  return transition(ctx, merchantId, sessionId, (session, now) => decideCancel(session, reason, now));
}
