// The dashboard's reads: the payment search (every filter through an index, migrations 0005 and 0010) and
// one payment's history for its timeline; undelivered callbacks in dashboard-callbacks.ts, the overview's
// aggregates in dashboard-overview.ts. Always scoped by merchant. Pages are keyset pages (created_at, id),
// newest first, so a page costs the same however deep it is and an export can walk every page.
import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import type { Charge } from '../domain/session.ts';
import type { Refund } from '../domain/refund.ts';
import { OPEN_SESSION_STATUSES, SESSION_STATUSES, type ResourceType, type SessionStatus } from '../domain/statuses.ts';
import { callbackFromRow, type CallbackRecord } from './callbacks.ts';
import { named, rowToCharge, rowToRefund } from './codec.ts';
import { isPostgres } from './database.ts';
import { DASHBOARD_EXPRESSIONS } from './migrations/0010-dashboard-indexes.ts';
import type { Database, DB } from './schema.ts';
import { unmatchable } from './unmatchable.ts';
import { isOneOf } from '../domain/json.ts';

/** Where a keyset page starts: after this row in (created_at, id) order. */
export interface KeysetPosition {
  createdAt: number;
  id: string;
}

/** The JSON columns' indexed expressions, in the database's dialect. */
export function expressions(db: Database) {
  const text = DASHBOARD_EXPRESSIONS[isPostgres(db) ? 'postgres' : 'sqlite'];
  return {
    /** Lower-cased: what the email index holds. */
    customerEmail: sql<string | null>`${sql.raw(text.customerEmail)}`,
    methodChannel: sql<string | null>`${sql.raw(text.methodChannel)}`,
    /** As sent, for display (not indexed, only selected). */
    customerEmailAsSent: isPostgres(db)
      ? sql<string | null>`kasir_json_text(customer, '{email}')`
      : sql<string | null>`json_extract(customer, '$.email')`,
  };
}

/**
 * Lower-cases ASCII letters only: SQLite's lower() does no more, and the email index holds what it
 * computes. An address with non-ASCII capitals is found when typed with the same capitals.
 */
export function lowerAscii(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

export interface SessionSearchFilter {
  merchantId: string;
  /** Exact session id, clientReferenceId or customer email (email case-insensitively). */
  query?: string;
  /** One of the query's three readings; searchSessions sets it. */
  match?: { field: 'id' | 'reference' | 'email'; value: string };
  /** One stored status of those `status` stands for, and how its expiry must compare; searchSessions sets it. */
  part?: StatusPart;
  /** As reported at `now`: an open session past its expiry counts as EXPIRED (INACTIVE if it was ACTIVE). */
  status?: SessionStatus;
  methodType?: string;
  /** A VA bank or e-wallet channel, as the chosen method's options name it. */
  channel?: string;
  /** created_at ≥ createdFrom and < createdBefore (epoch ms). */
  createdFrom?: number;
  createdBefore?: number;
  now: number;
}

export interface SessionListRow {
  id: string;
  clientReferenceId: string;
  amountValue: number;
  currency: string;
  status: SessionStatus;
  expiryAt: number | null;
  methodType: string | null;
  channel: string | null;
  customerEmail: string | null;
  createdAt: number;
  /** The latest time one of its charges was paid. */
  paidAt: number | null;
}

type SessionQuery = SelectQueryBuilder<DB, 'payment_sessions', object>;

/** A stored status, and whether the row's expiry must have passed ('due') or not ('open') at `now`. */
interface StatusPart {
  status: SessionStatus;
  expiry?: 'due' | 'open';
}

/**
 * The stored statuses a reported status stands for (as store/session-lists.ts#listSessions): EXPIRED is stored
 * EXPIRED, or an open status other than ACTIVE past its expiry (INACTIVE: ACTIVE past it); an open status
 * only before its expiry.
 */
function statusParts(status: SessionStatus): StatusPart[] {
  if (isOneOf(OPEN_SESSION_STATUSES, status)) return [{ status, expiry: 'open' }];
  const overdue: SessionStatus[] =
    status === 'EXPIRED' ? OPEN_SESSION_STATUSES.filter((s) => s !== 'ACTIVE') : status === 'INACTIVE' ? ['ACTIVE'] : [];
  return [{ status }, ...overdue.map((s): StatusPart => ({ status: s, expiry: 'due' }))];
}

function filtered(db: Database, filter: SessionSearchFilter): SessionQuery {
  const e = expressions(db);
  let query: SessionQuery = db.selectFrom('payment_sessions').where('merchant_id', '=', filter.merchantId);
  if (filter.match !== undefined) {
    const { field, value } = filter.match;
    if (field === 'id') query = query.where('id', '=', value);
    else if (field === 'reference') query = query.where('client_reference_id', '=', value);
    else query = query.where(e.customerEmail, '=', lowerAscii(value));
  }
  const part = filter.part;
  if (part !== undefined) {
    query = query.where('status', '=', part.status);
    if (part.expiry === 'due') query = query.where('expiry_at', '<=', filter.now);
    if (part.expiry === 'open')
      query = query.where((eb) => eb.or([eb('expiry_at', 'is', null), eb('expiry_at', '>', filter.now)]));
  }
  if (filter.methodType !== undefined) query = query.where('method_type', '=', filter.methodType);
  if (filter.channel !== undefined) query = query.where(e.methodChannel, '=', filter.channel);
  if (filter.createdFrom !== undefined) query = query.where('created_at', '>=', filter.createdFrom);
  if (filter.createdBefore !== undefined) query = query.where('created_at', '<', filter.createdBefore);
  return query;
}

/** The keyset condition: rows after `position` in (created_at, id) order, newest first. */
export function before(position: KeysetPosition) {
  return (eb: ExpressionBuilder<DB, 'payment_sessions' | 'callbacks'>) =>
    eb.or([
      eb('created_at', '<', position.createdAt),
      eb.and([eb('created_at', '=', position.createdAt), eb('id', '<', position.id)]),
    ]);
}

/** Up to `limit` of the merchant's sessions matching `filter`, newest first, after `after`. */
export async function searchSessions(
  db: Database,
  filter: SessionSearchFilter,
  after: KeysetPosition | null,
  limit: number,
): Promise<SessionListRow[]> {
  if (unmatchable(filter.query) || unmatchable(filter.channel) || unmatchable(filter.methodType)) return [];
  const needle = filter.query;
  const status = filter.status;
  if ((needle !== undefined && filter.match === undefined) || (status !== undefined && filter.part === undefined)) {
    // An OR across indexes ("id, reference or email"; "EXPIRED, or open and past expiry") is read as one
    // query per term, each through its own index (primary key, reference, email; status): neither planner
    // reads the OR that way (SQLite walked all of the merchant's rows in date order). Each term's first
    // `limit` rows hold the union's first `limit`.
    const matches =
      needle === undefined ? [undefined] : (['id', 'reference', 'email'] as const).map((field) => ({ field, value: needle }));
    const parts = status === undefined ? [undefined] : statusParts(status);
    const terms = matches.flatMap((match) =>
      parts.map((part) => ({ ...filter, ...(match && { match }), ...(part && { part }) })),
    );
    const readings = await Promise.all(terms.map((term) => searchSessions(db, term, after, limit)));
    const byId = new Map(readings.flat().map((row) => [row.id, row]));
    return [...byId.values()]
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .slice(0, limit);
  }
  const e = expressions(db);
  let query = filtered(db, filter);
  if (after) query = query.where(before(after));
  const rows = await query
    .select([
      'id',
      'client_reference_id',
      'amount_value',
      'currency',
      'status',
      'expiry_at',
      'method_type',
      'created_at',
      e.methodChannel.as('channel'),
      e.customerEmailAsSent.as('customer_email'),
    ])
    .select((eb) =>
      eb
        .selectFrom('charges')
        .select((c) => c.fn.max('paid_at').as('paid_at'))
        .whereRef('charges.session_id', '=', 'payment_sessions.id')
        .as('paid_at'),
    )
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    clientReferenceId: r.client_reference_id,
    amountValue: Number(r.amount_value),
    currency: r.currency,
    status: named(SESSION_STATUSES, r.status, 'payment_sessions.status'),
    expiryAt: r.expiry_at === null ? null : Number(r.expiry_at),
    methodType: r.method_type,
    channel: r.channel,
    customerEmail: r.customer_email === null ? null : String(r.customer_email),
    createdAt: Number(r.created_at),
    paidAt: r.paid_at === null || r.paid_at === undefined ? null : Number(r.paid_at),
  }));
}

/** What a timeline is built from: every charge (up to `chargeLimit`, oldest first) and refund of one session. */
export async function sessionHistory(
  db: Database,
  merchantId: string,
  sessionId: string,
  chargeLimit: number,
): Promise<{ charges: Charge[]; chargesLeftOut: number; refunds: Refund[] }> {
  const [chargeRows, refundRows, counted] = await Promise.all([
    db
      .selectFrom('charges')
      .selectAll()
      .where('session_id', '=', sessionId)
      .where('merchant_id', '=', merchantId)
      .orderBy('seq', 'desc')
      .limit(chargeLimit)
      .execute(),
    db
      .selectFrom('refunds')
      .selectAll()
      .where('merchant_id', '=', merchantId)
      .where('payment_session_id', '=', sessionId)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('charges')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('session_id', '=', sessionId)
      .where('merchant_id', '=', merchantId)
      .executeTakeFirstOrThrow(),
  ]);
  return {
    charges: chargeRows.reverse().map(rowToCharge),
    chargesLeftOut: Math.max(0, Number(counted.n) - chargeRows.length),
    refunds: refundRows.map(rowToRefund),
  };
}

/** The merchant's callbacks about these resources, oldest first. */
export async function callbacksOfResources(
  db: Database,
  merchantId: string,
  resources: Array<{ type: ResourceType; id: string }>,
): Promise<CallbackRecord[]> {
  if (resources.length === 0) return [];
  // One query per resource type, each an IN list on (merchant_id, resource_type, resource_id, …): an OR of
  // pairs made SQLite walk all of the merchant's callbacks.
  const types = [...new Set(resources.map((r) => r.type))];
  const rows = (
    await Promise.all(
      types.map((type) =>
        db
          .selectFrom('callbacks')
          .selectAll()
          .where('merchant_id', '=', merchantId)
          .where('resource_type', '=', type)
          .where(
            'resource_id',
            'in',
            resources.filter((r) => r.type === type).map((r) => r.id),
          )
          .execute(),
      ),
    )
  ).flat();
  return rows
    .map(callbackFromRow)
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
