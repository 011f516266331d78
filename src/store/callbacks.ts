// Callback outbox queries beyond the insert (outbox.ts): claiming due rows with a lease, recording an
// attempt's outcome, the history listing and manual resend. Rows map to camelCase here, once.
import { PostgresAdapter, sql } from 'kysely';
import { RESOURCE_TYPES, isCallbackEvent, type CallbackEvent, type ResourceType } from '../domain/statuses.ts';
import { named } from './codec.ts';
import type { CallbackAttemptsTable, CallbacksTable, Database } from './schema.ts';

export const CALLBACK_STATUSES = ['PENDING', 'DELIVERING', 'DELIVERED', 'FAILED'] as const;
export type CallbackStatus = (typeof CALLBACK_STATUSES)[number];

/** States from which a merchant may ask for a resend; DELIVERING is in someone's hands right now. */
const RESENDABLE: CallbackStatus[] = ['PENDING', 'DELIVERED', 'FAILED'];

export interface CallbackRecord {
  id: string;
  merchantId: string;
  resourceType: ResourceType;
  resourceId: string;
  event: CallbackEvent;
  payload: string;
  status: CallbackStatus;
  attemptCount: number;
  nextAttemptAt: Date;
  /** Also the claim's token: a row reclaimed after its lease expired always gets a later value. */
  leaseUntil: number | null;
  createdAt: Date;
  updatedAt: Date;
  deliveredAt: Date | null;
}

export interface CallbackAttempt {
  id: string;
  callbackId: string;
  attemptedAt: Date;
  httpStatus: number | null;
  latencyMs: number;
  responseExcerpt: string | null;
  error: string | null;
}

/** Rows are written from the one event list; a name outside it means the row is not ours to deliver. */
function knownEvent(name: string): CallbackEvent {
  if (!isCallbackEvent(name)) throw new Error(`callback row names unknown event ${name}`);
  return name;
}

function fromRow(row: CallbacksTable): CallbackRecord {
  return {
    id: row.id,
    merchantId: row.merchant_id,
    resourceType: named(RESOURCE_TYPES, row.resource_type, 'callbacks.resource_type'),
    resourceId: row.resource_id,
    event: knownEvent(row.event),
    payload: row.payload,
    status: named(CALLBACK_STATUSES, row.status, 'callbacks.status'),
    attemptCount: Number(row.attempt_count),
    nextAttemptAt: new Date(Number(row.next_attempt_at)),
    leaseUntil: row.lease_until === null ? null : Number(row.lease_until),
    createdAt: new Date(Number(row.created_at)),
    updatedAt: new Date(Number(row.updated_at)),
    deliveredAt: row.delivered_at === null ? null : new Date(Number(row.delivered_at)),
  };
}

/** For other reads of the callbacks table (store/dashboard-queries.ts). */
export { fromRow as callbackFromRow };

function attemptFromRow(row: CallbackAttemptsTable): CallbackAttempt {
  return {
    id: row.id,
    callbackId: row.callback_id,
    attemptedAt: new Date(Number(row.attempted_at)),
    httpStatus: row.http_status,
    latencyMs: Number(row.latency_ms),
    responseExcerpt: row.response_excerpt,
    error: row.error,
  };
}

function isPostgres(db: Database): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * The merchants that have callbacks due now, the one waiting longest first, leaving out `exclude` (the
 * dispatcher's merchants with no free slot), so a claim can be shared out between merchants instead of
 * taking the N oldest rows, which may all be one merchant's. A callback is due when it is PENDING and its
 * next attempt has come, or DELIVERING under a lease that ran out (a crashed or stalled worker).
 *
 * The PENDING part walks the merchants through callbacks_due_by_merchant, one seek each (the recursive
 * step finds the next merchant id, the subquery that merchant's oldest callback), so a round costs the
 * number of merchants with callbacks waiting, not the number of callbacks (`oldest` is materialized:
 * folded into `due`, each merchant's subquery ran twice, for the filter and for the order). Rows
 * DELIVERING are at most the senders in flight.
 */
export async function merchantsWithDueCallbacks(
  db: Database,
  now: Date,
  options: { exclude: readonly string[]; limit: number },
): Promise<string[]> {
  const at = now.getTime();
  const excluded = options.exclude.length > 0 ? sql`where merchant_id not in (${sql.join(options.exclude)})` : sql``;
  const { rows } = await sql<{ merchant_id: string }>`
    with recursive waiting (merchant_id) as (
      select min(merchant_id) from callbacks where status = 'PENDING'
      union all
      select (select min(c.merchant_id) from callbacks c where c.status = 'PENDING' and c.merchant_id > waiting.merchant_id)
      from waiting where waiting.merchant_id is not null
    ),
    oldest (merchant_id, since) as materialized (
      select merchant_id,
        (select min(c.next_attempt_at) from callbacks c where c.status = 'PENDING' and c.merchant_id = waiting.merchant_id)
      from waiting where merchant_id is not null
    ),
    due (merchant_id, since) as (
      select merchant_id, since from oldest where since <= ${at}
      union all
      select merchant_id, next_attempt_at from callbacks where status = 'DELIVERING' and lease_until < ${at}
    )
    select merchant_id from due ${excluded}
    group by merchant_id order by min(since), merchant_id limit ${options.limit}`.execute(db);
  return rows.map((r) => r.merchant_id);
}

/**
 * Takes up to `limit` of a merchant's due callbacks (see merchantsWithDueCallbacks), the oldest first,
 * marks them DELIVERING until `leaseUntil`, and returns them. Each inner SELECT reads at most `limit` rows
 * off callbacks_due_by_merchant; on PostgreSQL they skip rows another instance is claiming at the same
 * moment, so two instances never take one row; on SQLite one process owns the file and the statement runs
 * alone.
 */
export async function claimDueCallbacks(
  db: Database,
  now: Date,
  leaseUntil: number,
  limit: number,
  merchantId: string,
): Promise<CallbackRecord[]> {
  const at = now.getTime();
  const ofMerchant = db.selectFrom('callbacks').select('id').where('merchant_id', '=', merchantId);
  let pending = ofMerchant
    .where('status', '=', 'PENDING')
    .where('next_attempt_at', '<=', at)
    .orderBy('next_attempt_at')
    .limit(limit);
  let leaseOver = ofMerchant
    .where('status', '=', 'DELIVERING')
    .where('lease_until', '<', at)
    .orderBy('next_attempt_at')
    .limit(limit);
  const postgres = isPostgres(db);
  if (postgres) {
    pending = pending.forUpdate().skipLocked();
    leaseOver = leaseOver.forUpdate().skipLocked();
  }
  // Both read the id list by primary key; PostgreSQL cannot for "in (…) or in (…)" (it scans the table).
  const oldestDue = db
    .selectFrom('callbacks')
    .select('id')
    .where((eb) =>
      postgres
        ? sql<boolean>`${eb.ref('id')} = any(array(${leaseOver}) || array(${pending}))`
        : eb.or([eb('id', 'in', leaseOver), eb('id', 'in', pending)]),
    )
    .orderBy('next_attempt_at')
    .limit(limit);
  const rows = await db
    .updateTable('callbacks')
    .set({ status: 'DELIVERING', lease_until: leaseUntil, updated_at: at })
    .where('id', 'in', oldestDue)
    .returningAll()
    .execute();
  return rows.map(fromRow);
}

export interface AttemptOutcome {
  attempt: CallbackAttempt;
  status: 'PENDING' | 'DELIVERED' | 'FAILED';
  nextAttemptAt: Date;
  deliveredAt: Date | null;
}

/**
 * Records one attempt and the row's next state, guarded by the lease the sender claimed it under: if
 * the lease expired and another worker took the row, this worker's outcome is dropped (the attempt is
 * still kept in the history) and false is returned.
 */
export async function recordAttempt(db: Database, claimed: CallbackRecord, outcome: AttemptOutcome): Promise<boolean> {
  return (await recordAttempts(db, [{ claimed, outcome }])) === 1;
}

/**
 * `recordAttempt` for many rows in one transaction: one insert for the attempts, one guarded update per
 * distinct outcome (rows claimed together and decided at the same moment mostly share one). Returns how
 * many rows took their outcome.
 */
export async function recordAttempts(
  db: Database,
  entries: ReadonlyArray<{ claimed: CallbackRecord; outcome: AttemptOutcome }>,
): Promise<number> {
  if (entries.length === 0) return 0;
  const groups = new Map<string, { ids: string[]; claimed: CallbackRecord; outcome: AttemptOutcome }>();
  for (const { claimed, outcome } of entries) {
    const key = JSON.stringify([
      claimed.leaseUntil,
      claimed.attemptCount,
      outcome.status,
      outcome.nextAttemptAt.getTime(),
      outcome.deliveredAt?.getTime() ?? null,
      outcome.attempt.attemptedAt.getTime(),
    ]);
    const group = groups.get(key);
    if (group) group.ids.push(claimed.id);
    else groups.set(key, { ids: [claimed.id], claimed, outcome });
  }
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto('callback_attempts')
      .values(
        entries.map(({ outcome: { attempt: a } }) => ({
          id: a.id,
          callback_id: a.callbackId,
          attempted_at: a.attemptedAt.getTime(),
          http_status: a.httpStatus,
          latency_ms: Math.round(a.latencyMs),
          response_excerpt: a.responseExcerpt,
          error: a.error,
        })),
      )
      .execute();
    let updated = 0;
    for (const { ids, claimed, outcome } of groups.values()) {
      const result = await trx
        .updateTable('callbacks')
        .set({
          status: outcome.status,
          attempt_count: claimed.attemptCount + 1,
          next_attempt_at: outcome.nextAttemptAt.getTime(),
          lease_until: null,
          updated_at: outcome.attempt.attemptedAt.getTime(),
          delivered_at: outcome.deliveredAt?.getTime() ?? null,
        })
        .where('id', 'in', ids)
        .where('status', '=', 'DELIVERING')
        .where('lease_until', '=', claimed.leaseUntil)
        .executeTakeFirst();
      updated += Number(result.numUpdatedRows);
    }
    return updated;
  });
}

/** Gives a claimed row back untouched (shutdown before sending): due again at once. */
export async function releaseClaim(db: Database, claimed: CallbackRecord, now: Date): Promise<void> {
  await db
    .updateTable('callbacks')
    .set({ status: 'PENDING', lease_until: null, updated_at: now.getTime() })
    .where('id', '=', claimed.id)
    .where('status', '=', 'DELIVERING')
    .where('lease_until', '=', claimed.leaseUntil)
    .execute();
}

export interface CallbackFilter {
  /** Callbacks about one resource, e.g. { type: 'payment_session', id }. */
  resource?: { type: ResourceType; id: string };
  event?: string;
  status?: CallbackStatus;
}

export async function listCallbacks(
  db: Database,
  merchantId: string,
  filter: CallbackFilter,
  page: number,
  perPage: number,
): Promise<{ callbacks: CallbackRecord[]; totalItems: number }> {
  let query = db.selectFrom('callbacks').where('merchant_id', '=', merchantId);
  if (filter.resource !== undefined) {
    query = query.where('resource_type', '=', filter.resource.type).where('resource_id', '=', filter.resource.id);
  }
  if (filter.event !== undefined) query = query.where('event', '=', filter.event);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  const [rows, count] = await Promise.all([
    query
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(perPage)
      .offset((page - 1) * perPage)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { callbacks: rows.map(fromRow), totalItems: Number(count.n) };
}

export async function findCallback(db: Database, merchantId: string, id: string): Promise<CallbackRecord | undefined> {
  const row = await db
    .selectFrom('callbacks')
    .selectAll()
    .where('id', '=', id)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/** Every attempt of these callbacks, oldest first. */
export async function attemptsOf(db: Database, callbackIds: string[]): Promise<Map<string, CallbackAttempt[]>> {
  const byCallback = new Map<string, CallbackAttempt[]>(callbackIds.map((id) => [id, []]));
  if (callbackIds.length === 0) return byCallback;
  const rows = await db
    .selectFrom('callback_attempts')
    .selectAll()
    .where('callback_id', 'in', callbackIds)
    .orderBy('attempted_at')
    .orderBy('id')
    .execute();
  for (const row of rows) byCallback.get(row.callback_id)?.push(attemptFromRow(row));
  return byCallback;
}

/**
 * Makes a callback due now with a fresh retry cycle (attempt_count counts the current cycle; the
 * attempts table keeps the whole history). Refused (false) while the row is being delivered.
 */
export async function scheduleResend(db: Database, merchantId: string, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('callbacks')
    .set({ status: 'PENDING', attempt_count: 0, next_attempt_at: now.getTime(), lease_until: null, updated_at: now.getTime() })
    .where('id', '=', id)
    .where('merchant_id', '=', merchantId)
    .where('status', 'in', RESENDABLE)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Counts by status, for benchmarks and operators. */
export async function countCallbacksByStatus(db: Database): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('callbacks')
    .select(['status', sql<number>`count(*)`.as('n')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** Callbacks not delivered yet and not given up on (PENDING, or held by a sender now), and the oldest one's age. */
export async function undeliveredBacklog(db: Database): Promise<{ count: number; oldestCreatedAt: number | null }> {
  const row = await db
    .selectFrom('callbacks')
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min('created_at').as('oldest')])
    .where('status', 'in', ['PENDING', 'DELIVERING'])
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), oldestCreatedAt: row.oldest === null ? null : Number(row.oldest) };
}
