// A merchant's page of sessions (GET /v2/payments), filtered by status as reported at `now`, and the
// sweeper's batch of open sessions past their expiry.
import type { Session } from '../domain/session.ts';
import { OPEN_SESSION_STATUSES, type SessionStatus } from '../domain/statuses.ts';
import { isPostgres } from './database.ts';
import type { Database } from './schema.ts';
import { SESSION_ROW_COLUMNS, withCharges, type SessionRow } from './sessions.ts';
import { unmatchable } from './unmatchable.ts';
import { isOneOf } from '../domain/json.ts';

export interface ListFilter {
  merchantId: string;
  clientReferenceId?: string;
  status?: SessionStatus;
  /** The status filter means "as reported at `now`": an open row past its expiry counts as EXPIRED. */
  now: Date;
}

export async function listSessions(
  db: Database,
  filter: ListFilter,
  page: number,
  perPage: number,
): Promise<{ sessions: Session[]; total: number }> {
  if (unmatchable(filter.clientReferenceId)) return { sessions: [], total: 0 };
  let query = db.selectFrom('payment_sessions').where('merchant_id', '=', filter.merchantId);
  if (filter.clientReferenceId !== undefined) query = query.where('client_reference_id', '=', filter.clientReferenceId);
  const now = filter.now.getTime();
  const status = filter.status;
  // Reads never report a session past its expiry as open, so filters must agree with what is shown.
  const overdue = status === 'EXPIRED' || status === 'INACTIVE' ? overdueStatuses(status) : [];
  if (status !== undefined && overdue.length > 0) {
    // One status list first, so the (merchant, status, …) index serves the whole filter.
    query = query
      .where('status', 'in', [status, ...overdue])
      .where((eb) => eb.or([eb('status', '=', status), eb('expiry_at', '<=', now)]));
  } else if (isOneOf(OPEN_SESSION_STATUSES, status)) {
    query = query.where('status', '=', status).where((eb) => eb.or([eb('expiry_at', 'is', null), eb('expiry_at', '>', now)]));
  } else if (status !== undefined) {
    query = query.where('status', '=', status);
  }
  const counted = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const offset = (page - 1) * perPage;
  const rows =
    status !== undefined && overdue.length > 0 && filter.clientReferenceId === undefined
      ? await pageOfSeveralStatuses(
          db,
          filter.merchantId,
          [{ status }, ...overdue.map((s) => ({ status: s, dueBy: now }))],
          offset,
          perPage,
        )
      : await query
          .select(SESSION_ROW_COLUMNS)
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(perPage)
          .offset(offset)
          .execute();
  return { sessions: await withCharges(db, rows), total: Number(counted.total) };
}

/** The open statuses whose sessions are reported as `status` once past their expiry. */
function overdueStatuses(status: 'EXPIRED' | 'INACTIVE'): SessionStatus[] {
  return status === 'EXPIRED' ? OPEN_SESSION_STATUSES.filter((s) => s !== 'ACTIVE') : ['ACTIVE'];
}

/**
 * A page of the sessions in any of several statuses (each open one only once past `dueBy`), newest first.
 * A single ordered walk would need one index order across statuses, which no index has: instead each
 * status's newest `offset + perPage` entries are read off the (merchant, status, created_at, …) index,
 * merged, and only the page's rows are then loaded.
 */
async function pageOfSeveralStatuses(
  db: Database,
  merchantId: string,
  parts: Array<{ status: SessionStatus; dueBy?: number }>,
  offset: number,
  perPage: number,
): Promise<SessionRow[]> {
  const newest = parts.map(({ status, dueBy }, i) => {
    let part = db
      .selectFrom('payment_sessions')
      .select(['id', 'created_at'])
      .where('merchant_id', '=', merchantId)
      .where('status', '=', status);
    if (dueBy !== undefined) part = part.where('expiry_at', '<=', dueBy);
    // Wrapped, because SQLite takes ORDER BY and LIMIT only on the whole of a compound select.
    const limited = part
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(offset + perPage);
    return db.selectFrom(limited.as(`part${i}`)).selectAll();
  });
  const [first, ...rest] = newest;
  if (!first) return [];
  const merged = rest.reduce((all, part) => all.unionAll(part), first);
  const ids = await db
    .selectFrom(merged.as('merged'))
    .select('id')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(perPage)
    .offset(offset)
    .execute();
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('payment_sessions')
    .select(SESSION_ROW_COLUMNS)
    .where(
      'id',
      'in',
      ids.map((r) => r.id),
    )
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((r) => byId.get(r.id) ?? []);
}

/**
 * Open sessions whose time is up, for the sweeper, which calls this inside the transaction
 * that expires them. On PostgreSQL the rows are locked and rows another instance's sweep holds are
 * skipped, so instances share the work instead of racing for it; a payment of one of these sessions waits
 * for the sweep to commit, then loses its compare-and-set, or the sweep loses it (and never expires a
 * session paid first).
 */
export async function findExpiredOpen(db: Database, now: Date, limit: number): Promise<Session[]> {
  const due = db
    .selectFrom('payment_sessions')
    .select(SESSION_ROW_COLUMNS)
    .where('status', 'in', OPEN_SESSION_STATUSES)
    .where('expiry_at', '<=', now.getTime())
    // No ORDER BY: every due row goes, so any will do, and the index walk stops at `limit` instead of
    // sorting the whole backlog for each batch.
    .limit(limit);
  const rows = await (isPostgres(db) ? due.forUpdate().skipLocked() : due).execute();
  return withCharges(db, rows);
}
