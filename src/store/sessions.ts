// Payment sessions and their charges: the compare-and-set update every transition goes through, and the
// reads, each loading a session's row plus its latest charges (never all of a MULTIPLE session's).
import { CHARGE_WINDOW, type Charge, type Session } from '../domain/session.ts';
import { OPEN_SESSION_STATUSES, type SessionStatus } from '../domain/statuses.ts';
import {
  chargeChanges,
  chargeRefundColumns,
  chargeToRow,
  rowToCharge,
  rowToSession,
  sessionChanges,
  sessionToRow,
  sessionWire,
} from './codec.ts';
import { isPostgres } from './database.ts';
import { preparedQuery } from './prepared.ts';
import type { ChargeRow, Database, PaymentSessionsTable } from './schema.ts';
import { unmatchable } from './unmatchable.ts';

type Executor = Database;

/** A session row as decisions and views read it: every column but `wire`. */
type SessionRow = Omit<PaymentSessionsTable, 'wire'>;

/**
 * The columns of `SessionRow`. Reads that decide or render leave `wire` (the stored answer, ~2 KB) in the
 * database: it is only ever sent as is, by GET. The record type makes the compiler ask for a new column here.
 */
const SESSION_ROW_COLUMNS = Object.keys({
  id: true,
  merchant_id: true,
  client_reference_id: true,
  status: true,
  version: true,
  expiry_at: true,
  created_at: true,
  updated_at: true,
  amount_value: true,
  currency: true,
  payment_type: true,
  mode: true,
  auto_confirm: true,
  bypass_status_page: true,
  save_for_future_use: true,
  show_saved_payment: true,
  statement_descriptor: true,
  payment_url: true,
  method_type: true,
  method_options: true,
  cancelled_at: true,
  cancellation_reason: true,
  charge_count: true,
  customer_id: true,
  customer: true,
  order_information: true,
  metadata: true,
  redirect_url: true,
  echo_extras: true,
} satisfies Record<keyof SessionRow, true>) as Array<keyof SessionRow>;

/** A table's columns as plain values (an interface is not a Record, which preparedQuery binds from). */
type ColumnValues<Table> = { [Column in keyof Table]: Table[Column] };
type SessionInsert = ColumnValues<PaymentSessionsTable>;
type ChargeInsert = ColumnValues<ReturnType<typeof chargeToRow>>;

/** Every column a new charge row is written with; the record type makes the compiler ask for a new column here. */
const CHARGE_COLUMNS = Object.keys({
  id: true,
  session_id: true,
  merchant_id: true,
  client_reference_id: true,
  seq: true,
  status: true,
  details: true,
  paid_at: true,
  failure_code: true,
  failure_message: true,
  updated_at: true,
  amount_value: true,
  currency: true,
  statement_descriptor: true,
  method_type: true,
  expiry_at: true,
  created_at: true,
} satisfies Record<keyof ChargeInsert, true>) as Array<keyof ChargeInsert>;

// Every create writes these: built and compiled once (a 30-column insert was Kysely's largest compile).
const sessionInsert = preparedQuery<SessionInsert, unknown>([...SESSION_ROW_COLUMNS, 'wire'], (db, row) =>
  db.insertInto('payment_sessions').values(row),
);
const chargeInsert = preparedQuery<ChargeInsert, unknown>(CHARGE_COLUMNS, (db, row) => db.insertInto('charges').values(row));

async function insertCharges(db: Executor, session: Session, charges: Charge[], firstSeq: number): Promise<void> {
  for (const [i, charge] of charges.entries()) await chargeInsert(db, chargeToRow(session, charge, firstSeq + i));
}

export async function insertSession(db: Executor, session: Session): Promise<void> {
  await sessionInsert(db, { ...sessionToRow(session), wire: sessionWire(session) });
  await insertCharges(db, session, session.charges, 1);
}

type SessionChanges = ReturnType<typeof sessionChanges>;
type ChargeChanges = ReturnType<typeof chargeChanges>;

// Every transition runs these, and the sweeper hundreds per transaction: compiled once.
const SESSION_CHANGES = [
  'status',
  'version',
  'expiry_at',
  'updated_at',
  'method_type',
  'method_options',
  'payment_url',
  'cancelled_at',
  'cancellation_reason',
  'charge_count',
] as const satisfies ReadonlyArray<keyof SessionChanges>;
const CHARGE_CHANGES = [
  'status',
  'details',
  'paid_at',
  'failure_code',
  'failure_message',
  'updated_at',
] as const satisfies ReadonlyArray<keyof ChargeChanges>;
// Both lists name every column their codec function writes, or this does not compile.
const everySessionChange: Exclude<keyof SessionChanges, (typeof SESSION_CHANGES)[number]> extends never ? true : never = true;
const everyChargeChange: Exclude<keyof ChargeChanges, (typeof CHARGE_CHANGES)[number]> extends never ? true : never = true;
void everySessionChange;
void everyChargeChange;

const sessionIfUnchanged = preparedQuery<
  SessionChanges & { wire: string; whereId: string; whereVersion: number; whereStatus: string },
  { id: string }
>([...SESSION_CHANGES, 'wire', 'whereId', 'whereVersion', 'whereStatus'], (db, { whereId, whereVersion, whereStatus, ...set }) =>
  db
    .updateTable('payment_sessions')
    .set(set)
    .where('id', '=', whereId)
    .where('version', '=', whereVersion)
    .where('status', '=', whereStatus)
    .returning('id'),
);

const chargeUpdate = preparedQuery<ChargeChanges & { whereId: string }, { id: string }>(
  [...CHARGE_CHANGES, 'whereId'],
  (db, { whereId, ...set }) => db.updateTable('charges').set(set).where('id', '=', whereId).returning('id'),
);

/**
 * Writes `next` only if the row still has the version `previous` was read at (false: someone else won).
 * Charges new in `next` are inserted after the ones the session already had; charges the decision replaced
 * are updated. A charge that left the window is untouched: the window bounds what is read, not what exists.
 */
export async function compareAndSet(db: Executor, previous: Session, next: Session): Promise<boolean> {
  const won = await sessionIfUnchanged(db, {
    ...sessionChanges(next),
    wire: sessionWire(next),
    whereId: previous.id,
    whereVersion: previous.version,
    whereStatus: previous.status,
  });
  if (won.length !== 1) return false;
  const before = new Map(previous.charges.map((c) => [c.id, c]));
  const added = next.charges.filter((c) => !before.has(c.id));
  await insertCharges(db, next, added, previous.chargeCount + 1);
  for (const charge of next.charges) {
    const old = before.get(charge.id);
    // Decisions keep the objects of charges they leave alone and replace the ones they change. Comparing
    // status and updatedAt instead lost a change made in the same millisecond that kept the status (two
    // captures of one authorization, a wrong OTP), and the next decision then read the stale row.
    if (old && old !== charge) {
      await chargeUpdate(db, { ...chargeChanges(charge), whereId: charge.id });
    }
  }
  return true;
}

// One session and its charge window are what every GET, page view and action reads.
const sessionById = preparedQuery<{ id: string }, SessionRow>(['id'], (db, p) =>
  db.selectFrom('payment_sessions').select(SESSION_ROW_COLUMNS).where('id', '=', p.id),
);
const merchantSessionById = preparedQuery<{ id: string; merchantId: string }, SessionRow>(['id', 'merchantId'], (db, p) =>
  db.selectFrom('payment_sessions').select(SESSION_ROW_COLUMNS).where('id', '=', p.id).where('merchant_id', '=', p.merchantId),
);
const chargeWindow = preparedQuery<{ sessionId: string; afterSeq: number }, ChargeRow>(['sessionId', 'afterSeq'], (db, p) =>
  db.selectFrom('charges').selectAll().where('session_id', '=', p.sessionId).where('seq', '>', p.afterSeq).orderBy('seq'),
);

const windowStart = (row: SessionRow) => Number(row.charge_count) - CHARGE_WINDOW;

/** Each row with its latest CHARGE_WINDOW charges, oldest first, in one query for the whole page. */
async function withCharges(db: Executor, rows: SessionRow[]): Promise<Session[]> {
  const charged = rows.filter((r) => Number(r.charge_count) > 0);
  const bySession = new Map<string, Charge[]>(rows.map((r) => [r.id, []]));
  if (charged.length > 0) {
    // Sessions whose every charge is in the window (nearly all) go in one IN list, which both databases
    // answer from the (session_id, seq) index; only longer MULTIPLE sessions need their own bound. One OR
    // term per session made PostgreSQL read every charge for a sweeper batch, and SQLite refuses an OR
    // tree of a thousand terms.
    const whole = charged.filter((r) => Number(r.charge_count) <= CHARGE_WINDOW).map((r) => r.id);
    const windowed = charged.filter((r) => Number(r.charge_count) > CHARGE_WINDOW);
    const chargeRows = await db
      .selectFrom('charges')
      .selectAll()
      .where((eb) =>
        eb.or([
          ...(whole.length > 0 ? [eb('session_id', 'in', whole)] : []),
          ...windowed.map((r) => eb.and([eb('session_id', '=', r.id), eb('seq', '>', windowStart(r))])),
        ]),
      )
      .orderBy('session_id')
      .orderBy('seq')
      .execute();
    for (const row of chargeRows) bySession.get(row.session_id)?.push(rowToCharge(row));
  }
  return rows.map((r) => rowToSession(r, bySession.get(r.id) ?? []));
}

async function one(db: Executor, row: SessionRow | undefined): Promise<Session | undefined> {
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
    .select(SESSION_ROW_COLUMNS)
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
  const now = filter.now.getTime();
  const status = filter.status;
  // Reads never report a session past its expiry as open, so filters must agree with what is shown.
  const overdue = status === 'EXPIRED' || status === 'INACTIVE' ? overdueStatuses(status) : [];
  if (status !== undefined && overdue.length > 0) {
    // One status list first, so the (merchant, status, …) index serves the whole filter.
    query = query
      .where('status', 'in', [status, ...overdue])
      .where((eb) => eb.or([eb('status', '=', status), eb('expiry_at', '<=', now)]));
  } else if (status !== undefined && (OPEN_SESSION_STATUSES as readonly string[]).includes(status)) {
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
  db: Executor,
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
export async function findExpiredOpen(db: Executor, now: Date, limit: number): Promise<Session[]> {
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
  // A session's charges are numbered as they were made, so its newest first is highest seq first: the
  // (session_id, seq) index answers without reading through the merchant's other charges.
  const ordered =
    filter.paymentSessionId !== undefined
      ? query.selectAll().orderBy('seq', 'desc')
      : query.selectAll().orderBy('created_at', 'desc').orderBy('seq', 'desc').orderBy('id', 'desc');
  const rows = await ordered
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

/** The numbers the sessions held are free again: the sessions ended. */
export async function releaseVaNumbers(db: Executor, sessionIds: string[]): Promise<void> {
  if (sessionIds.length === 0) return;
  await db
    .deleteFrom('va_numbers')
    .where('session_id', sessionIds.length === 1 ? '=' : 'in', sessionIds.length === 1 ? sessionIds[0]! : sessionIds)
    .execute();
}

/**
 * Inside a transaction: holds the session's row until commit, so writers that must see each other's sums
 * (refunds of one payment) queue here instead of losing compare-and-sets to each other. PostgreSQL only:
 * a SQLite transaction already has the database to itself. False when the merchant has no such session.
 */
export async function lockSession(trx: Executor, merchantId: string, id: string): Promise<boolean> {
  if (unmatchable(id)) return false;
  if (!isPostgres(trx)) return true;
  const row = await trx
    .selectFrom('payment_sessions')
    .select('id')
    .where('id', '=', id)
    .where('merchant_id', '=', merchantId)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

/** One of the merchant's charges, wherever it sits in its session's history, with the session it belongs to. */
export async function findCharge(
  db: Executor,
  merchantId: string,
  chargeId: string,
): Promise<{ charge: Charge; sessionId: string } | undefined> {
  if (unmatchable(chargeId)) return undefined;
  const row = await db
    .selectFrom('charges')
    .selectAll()
    .where('id', '=', chargeId)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
  return row && { charge: rowToCharge(row), sessionId: row.session_id };
}

/** A charge's refund totals, written by a refund's change under the session's version (compareAndSet first). */
export async function setChargeRefunds(db: Executor, charge: Charge): Promise<void> {
  await db.updateTable('charges').set(chargeRefundColumns(charge)).where('id', '=', charge.id).execute();
}
