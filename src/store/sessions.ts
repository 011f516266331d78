// Payment sessions: rows ⇄ domain objects, and the compare-and-set update every transition goes through.
import type { Session } from '../domain/session.ts';
import { OPEN_SESSION_STATUSES, type SessionStatus } from '../domain/statuses.ts';
import type { Database } from './schema.ts';

type Executor = Database;

const DATE_KEYS = new Set(['createdAt', 'updatedAt', 'expiryAt', 'cancelledAt', 'paidAt']);

export function serializeSession(session: Session): string {
  return JSON.stringify(session);
}

export function deserializeSession(body: string): Session {
  // Dates travel as ISO strings; revive them by key so the domain always gets Date objects.
  return JSON.parse(body, (key, value) => (DATE_KEYS.has(key) && typeof value === 'string' ? new Date(value) : value)) as Session;
}

function columns(session: Session) {
  return {
    status: session.status,
    version: session.version,
    expiry_at: session.expiryAt ? session.expiryAt.getTime() : null,
    updated_at: session.updatedAt.getTime(),
    body: serializeSession(session),
  };
}

export async function insertSession(db: Executor, session: Session): Promise<void> {
  await db
    .insertInto('payment_sessions')
    .values({
      id: session.id,
      merchant_id: session.merchantId,
      client_reference_id: session.clientReferenceId,
      created_at: session.createdAt.getTime(),
      ...columns(session),
    })
    .execute();
}

/** Writes `next` only if the row still has the version `previous` was read at. False: someone else won. */
export async function compareAndSet(db: Executor, previous: Session, next: Session): Promise<boolean> {
  const result = await db
    .updateTable('payment_sessions')
    .set(columns(next))
    .where('id', '=', previous.id)
    .where('version', '=', previous.version)
    .where('status', '=', previous.status)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** PostgreSQL text cannot hold NUL: a value containing one matches no row, and must not reach the driver (it errors). */
const unmatchable = (value: string | undefined) => value !== undefined && value.includes('\u0000');

export async function findSession(db: Executor, merchantId: string, id: string): Promise<Session | undefined> {
  if (unmatchable(id)) return undefined;
  const row = await db
    .selectFrom('payment_sessions')
    .select('body')
    .where('id', '=', id)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
  return row ? deserializeSession(row.body) : undefined;
}

/** For the hosted page, which knows a session only by the id in its signed token. */
export async function findSessionById(db: Executor, id: string): Promise<Session | undefined> {
  if (unmatchable(id)) return undefined;
  const row = await db.selectFrom('payment_sessions').select('body').where('id', '=', id).executeTakeFirst();
  return row ? deserializeSession(row.body) : undefined;
}

export async function findOpenByReference(db: Executor, merchantId: string, reference: string): Promise<Session | undefined> {
  const row = await db
    .selectFrom('payment_sessions')
    .select('body')
    .where('merchant_id', '=', merchantId)
    .where('client_reference_id', '=', reference)
    .where('status', 'in', OPEN_SESSION_STATUSES)
    .executeTakeFirst();
  return row ? deserializeSession(row.body) : undefined;
}

export interface ListFilter {
  merchantId: string;
  clientReferenceId?: string;
  status?: SessionStatus;
  /** The status filter means "as reported at `now`": an open row past its expiry counts as EXPIRED. */
  now: Date;
}

export async function listSessions(
  db: Executor,
  filter: ListFilter,
  page: number,
  perPage: number,
): Promise<{ sessions: Session[]; total: number }> {
  if (unmatchable(filter.clientReferenceId)) return { sessions: [], total: 0 };
  let query = db.selectFrom('payment_sessions').where('merchant_id', '=', filter.merchantId);
  if (filter.clientReferenceId !== undefined) query = query.where('client_reference_id', '=', filter.clientReferenceId);
  if (filter.status !== undefined) {
    const status = filter.status;
    const now = filter.now.getTime();
    // Reads never report a session past its expiry as open, so filters must agree with what is shown.
    if (status === 'EXPIRED' || status === 'INACTIVE') {
      const from = status === 'EXPIRED' ? OPEN_SESSION_STATUSES.filter((s) => s !== 'ACTIVE') : ['ACTIVE'];
      query = query.where((eb) =>
        eb.or([eb('status', '=', status), eb.and([eb('status', 'in', from), eb('expiry_at', '<=', now)])]),
      );
    } else if ((OPEN_SESSION_STATUSES as readonly string[]).includes(status)) {
      query = query
        .where('status', '=', status)
        .where((eb) => eb.or([eb('expiry_at', 'is', null), eb('expiry_at', '>', now)]));
    } else {
      query = query.where('status', '=', status);
    }
  }
  const [{ total }] = await query.select((eb) => eb.fn.countAll<number>().as('total')).execute();
  const rows = await query
    .select('body')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(perPage)
    .offset((page - 1) * perPage)
    .execute();
  return { sessions: rows.map((r) => deserializeSession(r.body)), total: Number(total) };
}

/** Open sessions whose time is up, oldest first, for the sweeper. */
export async function findExpiredOpen(db: Executor, now: Date, limit: number): Promise<Session[]> {
  const rows = await db
    .selectFrom('payment_sessions')
    .select('body')
    .where('status', 'in', OPEN_SESSION_STATUSES)
    .where('expiry_at', '<=', now.getTime())
    .orderBy('expiry_at')
    .limit(limit)
    .execute();
  return rows.map((r) => deserializeSession(r.body));
}

export async function reserveVaNumber(db: Executor, channel: string, number: string, sessionId: string): Promise<void> {
  await db.insertInto('va_numbers').values({ channel, number, session_id: sessionId }).execute();
}

export async function findVaHolder(db: Executor, channel: string, number: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('va_numbers')
    .select('session_id')
    .where('channel', '=', channel)
    .where('number', '=', number)
    .executeTakeFirst();
  return row?.session_id;
}

export async function releaseVaNumbers(db: Executor, sessionId: string): Promise<void> {
  await db.deleteFrom('va_numbers').where('session_id', '=', sessionId).execute();
}
