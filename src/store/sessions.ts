// Payment sessions and their charges: the compare-and-set update every transition goes through, and the
// reads of one session, each loading its row plus its latest charges (never all of a MULTIPLE session's).
// Lists and the sweeper's batch read through withCharges in session-lists.ts.
import { CHARGE_WINDOW, type Charge, type Session } from '../domain/session.ts';
import { OPEN_SESSION_STATUSES, SESSION_STATUSES, type SessionStatus } from '../domain/statuses.ts';
import {
  chargeChanges,
  chargeToRow,
  named,
  rowToCharge,
  rowToSession,
  sessionChanges,
  sessionToRow,
  sessionWire,
} from './codec.ts';
import { isPostgres } from './database.ts';
import { preparedQuery, type ColumnValues } from './prepared.ts';
import type { ChargeRow, Database, PaymentSessionsTable } from './schema.ts';
import { unmatchable } from './unmatchable.ts';

type Executor = Database;

/** A session row as decisions and views read it: every column but `wire`. */
export type SessionRow = Omit<PaymentSessionsTable, 'wire'>;

/**
 * The columns of `SessionRow`. Reads that decide or render leave `wire` (the stored answer, ~2 KB) in the
 * database: it is only ever sent as is, by GET. The record type makes the compiler ask for a new column here.
 */
export const SESSION_ROW_COLUMNS = Object.keys({
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
export async function withCharges(db: Executor, rows: SessionRow[]): Promise<Session[]> {
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

/**
 * Sessions decoded from rows the SQLite read cache keeps. The cache freezes a row it keeps and hands the
 * same object out again only while no commit has happened since (sqlite-read-cache.ts), so the same row
 * object stands for the same session with the same charges: its charges are not read again, nor is it
 * decoded again (the payment page reads its session on every load). Rows read any other way (PostgreSQL,
 * inside a transaction, too many to keep) are new objects, never frozen, and always decoded.
 */
const decodedFromKeptRow = new WeakMap<SessionRow, Session>();

async function one(db: Executor, row: SessionRow | undefined): Promise<Session | undefined> {
  if (!row) return undefined;
  const decoded = decodedFromKeptRow.get(row);
  if (decoded) return decoded;
  const charges = Number(row.charge_count) > 0 ? await chargeWindow(db, { sessionId: row.id, afterSeq: windowStart(row) }) : [];
  const session = rowToSession(row, charges.map(rowToCharge));
  // Handed to every reader of that row from now on: frozen through, so no reader can change it for another.
  if (Object.isFrozen(row)) decodedFromKeptRow.set(row, freezeDeep(session));
  return session;
}

function freezeDeep<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) freezeDeep(inner);
  }
  return value;
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
      status: named(SESSION_STATUSES, row.status, 'payment_sessions.status'),
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

// Every create asks it (is the reference still held?): compiled once.
const openByReference = preparedQuery<{ merchantId: string; reference: string }, SessionRow>(
  ['merchantId', 'reference'],
  (db, p) =>
    db
      .selectFrom('payment_sessions')
      .select(SESSION_ROW_COLUMNS)
      .where('merchant_id', '=', p.merchantId)
      .where('client_reference_id', '=', p.reference)
      .where('status', 'in', OPEN_SESSION_STATUSES)
      .limit(1),
);

export async function findOpenByReference(db: Executor, merchantId: string, reference: string): Promise<Session | undefined> {
  const [row] = await openByReference(db, { merchantId, reference });
  return one(db, row);
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
