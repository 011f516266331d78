// GET /v2/payments and /v2/payments/{id}: sessions as they stand at `now` (expired if their time is up).
import { isPastExpiry, viewAt } from '../domain/session-state.ts';
import type { Session } from '../domain/session.ts';
import type { SessionStatus } from '../domain/statuses.ts';
import { listSessions } from '../store/session-lists.ts';
import { findSession, findStoredWire } from '../store/sessions.ts';
import type { Context } from './context.ts';
import { notFound } from './persist.ts';
import { pagination, type PageRequest } from './pagination.ts';

export async function getSession(ctx: Context, merchantId: string, id: string): Promise<Session> {
  const session = await findSession(ctx.db, merchantId, id);
  if (!session) throw notFound(id);
  return viewAt(session, ctx.now());
}

/** What GET answers: the stored wire text while it still holds, or the session to render. */
export type SessionAnswer = { wire: string } | { session: Session };

/**
 * GET's answer without rebuilding the session when it can: the stored wire text is what was written with
 * the row's current version, and holds until time alone changes the answer (the session's expiry).
 */
export async function getSessionAnswer(ctx: Context, merchantId: string, id: string): Promise<SessionAnswer> {
  const stored = await findStoredWire(ctx.db, merchantId, id);
  if (!stored) throw notFound(id);
  if (stored.wire !== null && !isPastExpiry(stored, ctx.now())) return { wire: stored.wire };
  return { session: await getSession(ctx, merchantId, id) };
}

export interface ListQuery extends PageRequest {
  clientReferenceId?: string;
  status?: SessionStatus;
}

export async function listPaymentSessions(ctx: Context, merchantId: string, query: ListQuery) {
  const now = ctx.now();
  const { sessions, total } = await listSessions(
    ctx.db,
    { merchantId, clientReferenceId: query.clientReferenceId, status: query.status, now },
    query.page,
    query.perPage,
  );
  return {
    sessions: sessions.map((s) => viewAt(s, now)),
    pagination: pagination(query, total),
  };
}
