// GET /v2/payments and /v2/payments/{id}: sessions as they stand at `now` (expired if their time is up).
import { viewAt } from '../domain/session-state.ts';
import type { Session } from '../domain/session.ts';
import type { SessionStatus } from '../domain/statuses.ts';
import { findSession, listSessions } from '../store/sessions.ts';
import type { Context } from './context.ts';
import { notFound } from './persist.ts';
import { pagination, type PageRequest } from './pagination.ts';

export async function getSession(ctx: Context, merchantId: string, id: string): Promise<Session> {
  const session = await findSession(ctx.db, merchantId, id);
  if (!session) throw notFound(id);
  return viewAt(session, ctx.now());
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
