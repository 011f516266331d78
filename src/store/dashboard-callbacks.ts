// The dashboard's undelivered callbacks (PENDING or FAILED): a keyset page of them, the oldest ids to
// resend, and the oldest one for the overview. One query per status, each a range of its index.
import type { ResourceType } from '../domain/statuses.ts';
import { callbackFromRow, type CallbackRecord, type CallbackStatus } from './callbacks.ts';
import { before, type KeysetPosition } from './dashboard-queries.ts';
import type { Database } from './schema.ts';
import { unmatchable } from './unmatchable.ts';

/** Callbacks not (yet) delivered: waiting for a retry, or given up on. */
export const UNDELIVERED_STATUSES = ['PENDING', 'FAILED'] as const satisfies readonly CallbackStatus[];
export type UndeliveredStatus = (typeof UNDELIVERED_STATUSES)[number];

export interface UndeliveredFilter {
  merchantId: string;
  status?: UndeliveredStatus;
  resourceType?: ResourceType;
  event?: string;
}

/** One status's undelivered callbacks: a range of (merchant_id, status, created_at, id). */
function undelivered(db: Database, filter: UndeliveredFilter & { status: UndeliveredStatus }) {
  let query = db.selectFrom('callbacks').where('merchant_id', '=', filter.merchantId).where('status', '=', filter.status);
  if (filter.resourceType !== undefined) query = query.where('resource_type', '=', filter.resourceType);
  if (filter.event !== undefined) query = query.where('event', '=', filter.event);
  return query;
}

/** Up to `limit` undelivered callbacks matching `filter`, newest first, after `after`. */
export async function undeliveredCallbacks(
  db: Database,
  filter: UndeliveredFilter,
  after: KeysetPosition | null,
  limit: number,
): Promise<CallbackRecord[]> {
  if (unmatchable(filter.event)) return [];
  // One query per status, each a range of (merchant_id, status, created_at, id), merged: "status IN (…)"
  // made SQLite walk all of the merchant's callbacks in date order.
  const statuses = filter.status ? [filter.status] : [...UNDELIVERED_STATUSES];
  const rows = (
    await Promise.all(
      statuses.map((status) => {
        let query = undelivered(db, { ...filter, status });
        if (after) query = query.where(before(after));
        return query.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
      }),
    )
  ).flat();
  return rows
    .map(callbackFromRow)
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .slice(0, limit);
}

/** The ids of up to `limit` undelivered callbacks matching `filter`, oldest first (the first to resend). */
export async function oldestUndeliveredIds(db: Database, filter: UndeliveredFilter, limit: number): Promise<string[]> {
  if (unmatchable(filter.event)) return [];
  const statuses = filter.status ? [filter.status] : [...UNDELIVERED_STATUSES];
  const rows = (
    await Promise.all(
      statuses.map((status) =>
        undelivered(db, { ...filter, status })
          .select(['id', 'created_at'])
          .orderBy('created_at')
          .orderBy('id')
          .limit(limit)
          .execute(),
      ),
    )
  ).flat();
  return rows
    .sort((a, b) => Number(a.created_at) - Number(b.created_at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, limit)
    .map((r) => r.id);
}

/** The oldest callback still waiting or given up on, if any. */
export async function oldestUndelivered(
  db: Database,
  merchantId: string,
): Promise<{ id: string; createdAt: number } | undefined> {
  const oldest = await Promise.all(
    UNDELIVERED_STATUSES.map((status) =>
      db
        .selectFrom('callbacks')
        .select(['id', 'created_at'])
        .where('merchant_id', '=', merchantId)
        .where('status', '=', status)
        .orderBy('created_at')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst(),
    ),
  );
  const [first] = oldest
    .flatMap((r) => (r ? [{ id: r.id, createdAt: Number(r.created_at) }] : []))
    .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  return first;
}
