// The floor for POST /v2/payments: the rows one create writes, in one better-sqlite3 transaction per
// create, as fast as one process can, with the service's durability settings. It answers "how fast
// could create be on this machine if nothing but the writes cost anything", so create's req/s is read
// as a ratio of it.
//
// Keep this file in step with what usecases/create-session.ts writes (an autoConfirm VA create):
// the idempotency record, the session row, its charge row, the VA reservation, the PAYMENT.PROCESSING
// outbox row. The session and charge rows are copied column for column from a real create, so a new
// column is written here without a change; a new table is not.
import { randomBytes } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import { openStore, SQLITE_PRAGMAS } from '../src/store/database.ts';
import { newRecordId } from '../src/usecases/context.ts';

/** The text columns a real create wrote, so the floor writes rows of the same size. */
export interface CreateRowsSample {
  idempotencyResponse: string;
  /** Every column of the session and charge rows a real create wrote. */
  sessionRow: Record<string, unknown>;
  chargeRow: Record<string, unknown>;
  callbackPayload: string;
}

/** Reads the rows one create wrote (the service's database is in WAL mode, so a reader does not block it). */
export function sampleCreateRows(servicePath: string, sessionId: string, requestId: string): CreateRowsSample {
  const db = new BetterSqlite3(servicePath, { readonly: true });
  try {
    const text = (source: string, key: string): string => {
      const value: unknown = db.prepare(source).pluck().get(key);
      if (typeof value !== 'string') throw new Error(`create floor: nothing found by ${source} for ${key}`);
      return value;
    };
    const row = (source: string): Record<string, unknown> => {
      const value: unknown = db.prepare(source).get(sessionId);
      if (!value || typeof value !== 'object') throw new Error(`create floor: nothing found by ${source} for ${sessionId}`);
      return { ...value };
    };
    return {
      idempotencyResponse: text('SELECT response_body FROM idempotency_keys WHERE key = ?', requestId),
      sessionRow: row('SELECT * FROM payment_sessions WHERE id = ?'),
      chargeRow: row('SELECT * FROM charges WHERE session_id = ?'),
      callbackPayload: text('SELECT payload FROM callbacks WHERE resource_id = ? ORDER BY created_at LIMIT 1', sessionId),
    };
  } finally {
    db.close();
  }
}

/** Opens `path` exactly as store/database.ts opens SQLite (journal, durability, foreign keys). */
function openLikeTheService(path: string): BetterSqlite3.Database {
  const sqlite = new BetterSqlite3(path);
  for (const pragma of SQLITE_PRAGMAS) sqlite.pragma(pragma);
  return sqlite;
}

export interface FloorResult {
  creates: number;
  seconds: number;
  createsPerSecond: number;
  /** This process's CPU per create while writing them (user + system). */
  cpuMicrosPerCreate: number;
}

/**
 * Creates a fresh database at `path` with Kasir's own migrations (same tables, same indexes), then
 * writes creates back to back for `seconds`.
 */
export async function measureCreateFloor(path: string, sample: CreateRowsSample, seconds: number): Promise<FloorResult> {
  const store = await openStore({ kind: 'sqlite', path });
  await store.close();

  const sqlite = openLikeTheService(path);
  const merchantId = 'floor-merchant';
  const now = Date.now();
  sqlite
    .prepare(
      `INSERT INTO merchants (id, name, secret_hash, callback_url, callback_api_key, webhook_secret, created_at)
       VALUES (?, 'Floor', 'x', 'https://merchant.example/callbacks', 'key', 'whsec_x', ?)`,
    )
    .run(merchantId, now);

  const insertIdempotency = sqlite.prepare(
    `INSERT INTO idempotency_keys (merchant_id, key, request_hash, response_status, response_body, created_at)
     VALUES (?, ?, ?, 200, ?, ?)`,
  );
  const insertRow = (table: string, columns: string[]) =>
    sqlite.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`);
  const insertSession = insertRow('payment_sessions', Object.keys(sample.sessionRow));
  const insertCharge = insertRow('charges', Object.keys(sample.chargeRow));
  const reserveVa = sqlite.prepare('INSERT INTO va_numbers (merchant_id, channel, number, session_id) VALUES (?, ?, ?, ?)');
  const enqueueCallback = sqlite.prepare(
    `INSERT INTO callbacks (id, merchant_id, resource_type, resource_id, event, payload, status, attempt_count,
                            next_attempt_at, lease_until, created_at, updated_at, delivered_at)
     VALUES (?, ?, 'payment_session', ?, 'PAYMENT.PROCESSING', ?, 'PENDING', 0, ?, NULL, ?, ?, NULL)`,
  );

  // Fresh keys per create, as in the bench's own creates: random request id, reference and VA number.
  const run = randomBytes(4).toString('hex');
  const requestHash = randomBytes(32).toString('hex');
  const writeOneCreate = sqlite.transaction((n: number) => {
    const at = Date.now();
    const sessionId = newRecordId();
    insertIdempotency.run(merchantId, `${run}${String(n).padStart(24, '0')}`, requestHash, sample.idempotencyResponse, at);
    const reference = `floor${run}${n}`;
    insertSession.run({
      ...sample.sessionRow,
      id: sessionId,
      merchant_id: merchantId,
      client_reference_id: reference,
      created_at: at,
      updated_at: at,
      expiry_at: at + 3_600_000,
    });
    insertCharge.run({
      ...sample.chargeRow,
      id: newRecordId(),
      session_id: sessionId,
      merchant_id: merchantId,
      client_reference_id: reference,
      created_at: at,
      updated_at: at,
    });
    reserveVa.run(merchantId, 'PERMATA', `8${String(n).padStart(15, '0')}`, sessionId);
    enqueueCallback.run(`cb_${newRecordId()}`, merchantId, sessionId, sample.callbackPayload, at, at, at);
  });

  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const deadline = started + seconds * 1000;
  let creates = 0;
  while (performance.now() < deadline) writeOneCreate(creates++);
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  sqlite.close();
  return {
    creates,
    seconds: elapsed,
    createsPerSecond: creates / elapsed,
    cpuMicrosPerCreate: (cpu.user + cpu.system) / creates,
  };
}
