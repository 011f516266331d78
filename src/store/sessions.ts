// Payment sessions and their charges: the compare-and-set update every transition goes through, and the
// reads, each loading a session's row plus its latest charges (never all of a MULTIPLE session's).
import { CHARGE_WINDOW, type Charge, type Session } from '../domain/session.ts';
import { OPEN_SESSION_STATUSES, type SessionStatus } from '../domain/statuses.ts';
import { chargeChanges, chargeToRow, rowToCharge, rowToSession, sessionChanges, sessionToRow, sessionWire } from './codec.ts';
import { isPostgres } from './database.ts';
import { preparedQuery } from './prepared.ts';
import type { ChargesTable, Database, PaymentSessionsTable } from './schema.ts';

type Executor = Database;

async function insertCharges(db: Executor, session: Session, charges: Charge[], firstSeq: number): Promise<void> {
  if (charges.length === 0) return;
  await db
    .insertInto('charges')
    .values(charges.map((c, i) => chargeToRow(session, c, firstSeq + i)))
    .execute();
}

export async function insertSession(db: Executor, session: Session): Promise<void> {
  await db
    .insertInto('payment_sessions')
    .values({ ...sessionToRow(session), wire: sessionWire(session) })
    .execute();
  await insertCharges(db, session, session.charges, 1);
}

/**
 * Writes `next` only if the row still has the version `previous` was read at (false: someone else won).
 * Charges new in `next` are inserted after the ones the session already had; charges whose state moved are
 * updated. A charge that left the window is untouched: the window bounds what is read, not what exists.
 */
export async function compareAndSet(db: Executor, previous: Session, next: Session): Promise<boolean> {
  const result = await db
    .updateTable('payment_sessions')
    .set({ ...sessionChanges(next), wire: sessionWire(next) })
    .where('id', '=', previous.id)
    .where('version', '=', previous.version)
    .where('status', '=', previous.status)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;
  const before = new Map(previous.charges.map((c) => [c.id, c]));
  const added = next.charges.filter((c) => !before.has(c.id));
  await insertCharges(db, next, added, previous.chargeCount + 1);
  for (const charge of next.charges) {
    const old = before.get(charge.id);
    if (old && (old.status !== charge.status || old.updatedAt.getTime() !== charge.updatedAt.getTime())) {
      await db.updateTable('charges').set(chargeChanges(charge)).where('id', '=', charge.id).execute();
    }
  }
  return true;
}

/** PostgreSQL text cannot hold NUL: a value containing one matches no row, and must not reach the driver (it errors). */
const unmatchable = (value: string | undefined) => value !== undefined && value.includes('\u0000');

// One session and its charge window are what every GET, page view and action reads.
const sessionById = preparedQuery<{ id: string }, PaymentSessionsTable>(['id'], (db, p) =>
  db.selectFrom('payment_sessions').selectAll().where('id', '=', p.id),
);
const merchantSessionById = preparedQuery<{ id: string; merchantId: string }, PaymentSessionsTable>(
  ['id', 'merchantId'],
  (db, p) => db.selectFrom('payment_sessions').selectAll().where('id', '=', p.id).where('merchant_id', '=', p.merchantId),
);
const chargeWindow = preparedQuery<{ sessionId: string; afterSeq: number }, ChargesTable>(['sessionId', 'afterSeq'], (db, p) =>
  db.selectFrom('charges').selectAll().where('session_id', '=', p.sessionId).where('seq', '>', p.afterSeq).orderBy('seq'),
);

const windowStart = (row: PaymentSessionsTable) => Number(row.charge_count) - CHARGE_WINDOW;

/** Each row with its latest CHARGE_WINDOW charges, oldest first, in one query for the whole page. */
async function withCharges(db: Executor, rows: PaymentSessionsTable[]): Promise<Session[]> {
  const charged = rows.filter((r) => Number(r.charge_count) > 0);
  const bySession = new Map<string, Charge[]>(rows.map((r) => [r.id, []]));
  if (charged.length > 0) {
    const chargeRows = await db
      .selectFrom('charges')
      .selectAll()
      .where((eb) => eb.or(charged.map((r) => eb.and([eb('session_id', '=', r.id), eb('seq', '>', windowStart(r))]))))
      .orderBy('session_id')
      .orderBy('seq')
      .execute();
    for (const row of chargeRows) bySession.get(row.session_id)?.push(rowToCharge(row));
  }
  return rows.map((r) => rowToSession(r, bySession.get(r.id) ?? []));
}

async function one(db: Executor, row: PaymentSessionsTable | undefined): Promise<Session | undefined> {
  if (!row) return undefined;
  const charges = Number(row.charge_count) > 0 ? await chargeWindow(db, { sessionId: row.id, afterSeq: windowStart(row) }) : [];
  return rowToSession(row, charges.map(rowToCharge));
}

export async function findSession(db: Executor, merchantId: string, id: string): Promise<Session | undefined> {
  if (unmatchable(id)) return undefined;
  const [row] = await merchantSessionById(db, { id, merchantId });
  return one(db, row);
}

const storedWireById = preparedQuery<
  { id: string; merchantId: string },
  Pick<PaymentSessionsTable, 'wire' | 'status' | 'expiry_at'>
>(['id', 'merchantId'], (db, p) =>
  db
    .selectFrom('payment_sessions')
    .select(['wire', 'status', 'expiry_at'])
    .where('id', '=', p.id)
    .where('merchant_id', '=', p.merchantId),
);

export interface StoredWire {
  /** JSON text of the Payment Session Object as last written; null for rows not written since it was kept. */
  wire: string | null;
  status: SessionStatus;
  expiryAt: Date | null;
}

/** The merchant's session as its stored wire text, without rebuilding it (undefined: no such session). */
export async function findStoredWire(db: Executor, merchantId: string, id: string): Promise<StoredWire | undefined> {
  if (unmatchable(id)) return undefined;
  const [row] = await storedWireById(db, { id, merchantId });
  return (
    row && {
      wire: row.wire,
      status: row.status as SessionStatus,
      expiryAt: row.expiry_at === null ? null : new Date(Number(row.expiry_at)),
    }
  );
}

/** For the hosted page, which knows a session only by the id in its signed token. */
export async function findSessionById(db: Executor, id: string): Promise<Session | undefined> {
  if (unmatchable(id)) return undefined;
  const [row] = await sessionById(db, { id });
  return one(db, row);
}

export async function findOpenByReference(db: Executor, merchantId: string, reference: string): Promise<Session | undefined> {
  const row = await db
    .selectFrom('payment_sessions')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('client_reference_id', '=', reference)
    .where('status', 'in', OPEN_SESSION_STATUSES)
    .executeTakeFirst();
  return one(db, row);
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
      query = query.where('status', '=', status).where((eb) => eb.or([eb('expiry_at', 'is', null), eb('expiry_at', '>', now)]));
    } else {
      query = query.where('status', '=', status);
    }
  }
  const counted = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await query
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(perPage)
    .offset((page - 1) * perPage)
    .execute();
  return { sessions: await withCharges(db, rows), total: Number(counted.total) };
}

/**
 * Open sessions whose time is up, oldest first, for the sweeper, which calls this inside the transaction
 * that expires them. On PostgreSQL the rows are locked and rows another instance's sweep holds are
 * skipped, so instances share the work instead of racing for it; a payment of one of these sessions waits
 * for the sweep to commit, then loses its compare-and-set, or the sweep loses it (and never expires a
 * session paid first).
 */
export async function findExpiredOpen(db: Executor, now: Date, limit: number): Promise<Session[]> {
  const due = db
    .selectFrom('payment_sessions')
    .selectAll()
    .where('status', 'in', OPEN_SESSION_STATUSES)
    .where('expiry_at', '<=', now.getTime())
    .orderBy('expiry_at')
    .limit(limit);
  const rows = await (isPostgres(db) ? due.forUpdate().skipLocked() : due).execute();
  return withCharges(db, rows);
}

export interface ChargeFilter {
  merchantId: string;
  clientReferenceId?: string;
  paymentSessionId?: string;
}

/** A merchant's charges, newest first, each with the session identity its wire object names. */
export async function listCharges(
  db: Executor,
  filter: ChargeFilter,
  page: number,
  perPage: number,
): Promise<{ charges: Array<{ charge: Charge; sessionId: string; clientReferenceId: string }>; total: number }> {
  if (unmatchable(filter.clientReferenceId) || unmatchable(filter.paymentSessionId)) return { charges: [], total: 0 };
  let query = db.selectFrom('charges').where('merchant_id', '=', filter.merchantId);
  if (filter.clientReferenceId !== undefined) query = query.where('client_reference_id', '=', filter.clientReferenceId);
  if (filter.paymentSessionId !== undefined) query = query.where('session_id', '=', filter.paymentSessionId);
  const counted = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await query
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('seq', 'desc')
    .orderBy('id', 'desc')
    .limit(perPage)
    .offset((page - 1) * perPage)
    .execute();
  return {
    charges: rows.map((r) => ({ charge: rowToCharge(r), sessionId: r.session_id, clientReferenceId: r.client_reference_id })),
    total: Number(counted.total),
  };
}

/** Holds `number` at `channel` for the session; a unique-key violation means an open session of the merchant holds it. */
export async function reserveVaNumber(
  db: Executor,
  merchantId: string,
  channel: string,
  number: string,
  sessionId: string,
): Promise<void> {
  await db.insertInto('va_numbers').values({ merchant_id: merchantId, channel, number, session_id: sessionId }).execute();
}

/** Which of the merchant's sessions holds the number: another merchant's numbers are never looked at. */
export async function findVaHolder(
  db: Executor,
  merchantId: string,
  channel: string,
  number: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('va_numbers')
    .select('session_id')
    .where('merchant_id', '=', merchantId)
    .where('channel', '=', channel)
    .where('number', '=', number)
    .executeTakeFirst();
  return row?.session_id;
}

export async function releaseVaNumbers(db: Executor, sessionId: string): Promise<void> {
  await db.deleteFrom('va_numbers').where('session_id', '=', sessionId).execute();
}
