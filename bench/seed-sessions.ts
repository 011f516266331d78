// Many sessions, fast: a real Kasir (in this process, on a SQLite file, with its own migrations) makes one
// session through the API, and its rows — session, charge, callback — are copied column for column, with
// fresh ids, statuses and times, in one better-sqlite3 transaction. Used by the list and sweeper benches.
import BetterSqlite3 from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { composeApp, composeContext } from '../src/compose.ts';
import { openStore, type Store } from '../src/store/database.ts';
import { newRecordId, type Context } from '../src/usecases/context.ts';
import { createMerchant } from '../src/usecases/merchants.ts';
import { alnum, paymentBody } from './merchant-client.ts';

export interface BenchKasir {
  path: string;
  store: Store;
  ctx: Context;
  app: FastifyInstance;
  merchantId: string;
  /** `authorization` header of the merchant. */
  auth: { authorization: string };
  close(): Promise<void>;
}

/** Kasir on a fresh SQLite file, its clock `offsetMs` from now, with one merchant and its bearer token. */
export async function openBenchKasir(path: string, clock: { offsetMs: number } = { offsetMs: 0 }): Promise<BenchKasir> {
  const store = await openStore({ kind: 'sqlite', path });
  const ctx = await composeContext({ env: 'sandbox', publicUrl: 'http://kasir.bench', tokenSecret: undefined }, store, {
    now: () => new Date(Date.now() + clock.offsetMs),
  });
  const app = await composeApp(ctx, { env: 'sandbox', publicUrl: 'http://kasir.bench', logLevel: 'silent' }, false);
  await app.ready();
  const { merchant } = await createMerchant(store.db, { name: 'Bench Shop' });
  const token = await ctx.tokens.issueAccessToken(merchant.id, ctx.now());
  return {
    path,
    store,
    ctx,
    app,
    merchantId: merchant.id,
    auth: { authorization: `Bearer ${token}` },
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}

type Row = Record<string, unknown>;

/** The rows one autoConfirm VA create wrote (session, charge, PAYMENT.PROCESSING callback). */
async function templateRows(kasir: BenchKasir): Promise<{ session: Row; charge: Row; callback: Row }> {
  const res = await kasir.app.inject({
    method: 'POST',
    url: '/v2/payments',
    headers: { ...kasir.auth, 'content-type': 'application/json', 'x-request-id': alnum(32) },
    payload: paymentBody('template'),
  });
  if (res.statusCode !== 200) throw new Error(`seed template: HTTP ${res.statusCode} ${res.body}`);
  const id = (JSON.parse(res.body) as { data: { id: string } }).data.id;
  const db = kasir.store.db;
  return {
    session: { ...(await db.selectFrom('payment_sessions').selectAll().where('id', '=', id).executeTakeFirstOrThrow()) },
    charge: { ...(await db.selectFrom('charges').selectAll().where('session_id', '=', id).executeTakeFirstOrThrow()) },
    callback: { ...(await db.selectFrom('callbacks').selectAll().where('resource_id', '=', id).executeTakeFirstOrThrow()) },
  };
}

/** What one seeded session is: its status, its charge's (none before a method), the callbacks it owed. */
export interface SessionKind {
  status: string;
  charge: string | null;
  events: string[];
  /** Open sessions hold a VA number. */
  open: boolean;
  paymentType?: 'SINGLE' | 'MULTIPLE';
}

export interface SeedPlan {
  sessions: number;
  /** The i-th session's kind. */
  kindOf: (i: number) => SessionKind;
  /** The i-th session's expiry, ms since the epoch (null: never). */
  expiryOf: (i: number) => number | null;
  /** The i-th session's creation time. */
  createdAtOf: (i: number) => number;
  /** The i-th callback row's delivery status. */
  callbackStatusOf?: (i: number) => 'DELIVERED' | 'FAILED' | 'PENDING';
}

/** Copies the template rows `plan.sessions` times; returns the seeded sessions' ids and references. */
export async function seedSessions(kasir: BenchKasir, plan: SeedPlan): Promise<{ ids: string[]; references: string[] }> {
  const template = await templateRows(kasir);
  const sqlite = new BetterSqlite3(kasir.path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  const insert = (table: string, row: Row) => {
    const columns = Object.keys(row);
    return sqlite.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`);
  };
  const insertSession = insert('payment_sessions', template.session);
  const insertCharge = insert('charges', template.charge);
  const insertCallback = insert('callbacks', template.callback);
  const reserve = sqlite.prepare('INSERT INTO va_numbers (merchant_id, channel, number, session_id) VALUES (?, ?, ?, ?)');
  const ids: string[] = [];
  const references: string[] = [];
  let callbacks = 0;
  const run = alnum(6);
  sqlite.transaction(() => {
    for (let i = 0; i < plan.sessions; i++) {
      const kind = plan.kindOf(i);
      const id = newRecordId();
      const reference = `seed${run}${i}`;
      const createdAt = plan.createdAtOf(i);
      const expiryAt = plan.expiryOf(i);
      const updatedAt = createdAt + 1000;
      insertSession.run({
        ...template.session,
        id,
        merchant_id: kasir.merchantId,
        client_reference_id: reference,
        status: kind.status,
        version: kind.open ? 0 : 1,
        payment_type: kind.paymentType ?? 'SINGLE',
        expiry_at: expiryAt,
        created_at: createdAt,
        updated_at: updatedAt,
        charge_count: kind.charge ? 1 : 0,
        ...(kind.charge === null && { method_type: null, method_options: null }),
        // The stored wire object is the template's; without it readers rebuild each session's own.
        ...('wire' in template.session && { wire: null }),
      });
      if (kind.charge) {
        insertCharge.run({
          ...template.charge,
          id: newRecordId(),
          session_id: id,
          merchant_id: kasir.merchantId,
          client_reference_id: reference,
          status: kind.charge,
          expiry_at: expiryAt,
          paid_at: kind.charge === 'SUCCESS' ? updatedAt : null,
          created_at: createdAt,
          updated_at: updatedAt,
        });
      }
      if (kind.open && kind.charge) reserve.run(kasir.merchantId, 'PERMATA', `8${String(i).padStart(15, '0')}`, id);
      for (const [e, event] of kind.events.entries()) {
        const status = plan.callbackStatusOf?.(callbacks++) ?? 'DELIVERED';
        const at = createdAt + e * 1000;
        insertCallback.run({
          ...template.callback,
          id: `cb_${newRecordId()}`,
          merchant_id: kasir.merchantId,
          resource_id: id,
          event,
          status,
          attempt_count: status === 'PENDING' ? 0 : 1,
          next_attempt_at: at,
          created_at: at,
          updated_at: at,
          delivered_at: status === 'DELIVERED' ? at : null,
        });
      }
      ids.push(id);
      references.push(reference);
    }
  })();
  sqlite.close();
  return { ids, references };
}
