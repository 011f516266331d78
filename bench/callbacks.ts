// Callback throughput: N sessions created and paid against a real Kasir process, each owing two
// callbacks (PAYMENT.PROCESSING, PAYMENT.PAID) to a local receiver. Reports callbacks delivered per
// second and how long until the last one lands. Called by bench/run.ts; also runs alone:
//   tsx bench/callbacks.ts [--sessions 10000] [--json]   (env: DATABASE_URL for PostgreSQL)
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { openStore } from '../src/store/database.ts';
import { enqueueCallbacks } from '../src/store/outbox.ts';
import { startKasir } from '../test/helpers/process.ts';
import { accessToken, alnum, paymentBody } from './merchant-client.ts';

const MERCHANT = { id: 'bench-callbacks', secret: 'bench-callbacks-secret-0123' };

export interface CallbackBenchOptions {
  /** Sessions to create and pay; each owes two callbacks. Default 10,000. */
  sessions?: number;
  /** Concurrent API clients creating and paying sessions. Default 32. */
  clients?: number;
  /** postgres://… to bench on PostgreSQL (a fresh schema is used); SQLite in a temp dir otherwise. */
  databaseUrl?: string;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface CallbackBenchResult {
  sessions: number;
  callbacks: number;
  database: 'sqlite' | 'postgres';
  /** Sessions created and paid per second (the load that produces the callbacks). */
  sessionsPerSecond: number;
  /** Distinct callbacks landed per second, from the first to the last. */
  deliveredPerSecond: number;
  /** From the first request of the load to the last callback landing. */
  timeToLastMs: number;
  /** From the last PAID acknowledged to the last callback landing: the backlog left at the end. */
  drainAfterLoadMs: number;
  /** Receipts beyond the first per webhook-id (0 unless something was retried). */
  duplicates: number;
  missing: number;
  /** Second run: the same number of callbacks already waiting in the outbox when Kasir starts. */
  backlog: { callbacks: number; deliveredPerSecond: number; timeToLastMs: number; duplicates: number; missing: number };
}

export async function runCallbackBench(options: CallbackBenchOptions = {}): Promise<CallbackBenchResult> {
  const sessions = options.sessions ?? 10_000;
  const clients = options.clients ?? 32;
  const log = options.log ?? (() => {});
  const expected = sessions * 2;

  // The receiver: answers 200 at once and notes when each webhook-id first lands.
  const firstSeen = new Map<string, number>();
  let receipts = 0;
  let allLanded: () => void = () => {};
  let landed = new Promise<void>((resolve) => (allLanded = resolve));
  const resetReceiver = () => {
    firstSeen.clear();
    receipts = 0;
    landed = new Promise<void>((resolve) => (allLanded = resolve));
  };
  const waitLanded = () =>
    Promise.race([
      landed,
      new Promise<void>((_, reject) =>
        setTimeout(() => reject(new Error(`only ${firstSeen.size}/${expected} callbacks landed in 180 s`)), 180_000).unref(),
      ),
    ]);
  const receiver = createHttpServer((req, res) => {
    req.resume();
    req.on('end', () => {
      receipts++;
      const id = String(req.headers['webhook-id']);
      if (!firstSeen.has(id)) {
        firstSeen.set(id, performance.now());
        if (firstSeen.size === expected) allLanded();
      }
      res.writeHead(200).end('ok');
    });
  });
  receiver.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/callbacks`;

  const tmp = mkdtempSync(join(tmpdir(), 'kasir-cbbench-'));
  const pg = options.databaseUrl?.startsWith('postgres') ? options.databaseUrl : undefined;
  const schema = `kasir_cbbench_${alnum(8)}`;
  const database = pg ? { kind: 'postgres' as const, url: pg, schema } : { kind: 'sqlite' as const, path: join(tmp, 'bench.db') };
  const env = {
    DATABASE_URL: pg ?? `file:${join(tmp, 'bench.db')}`,
    ...(pg && { KASIR_DATABASE_SCHEMA: schema }),
    KASIR_ENV: 'sandbox',
    KASIR_MERCHANT_ID: MERCHANT.id,
    KASIR_MERCHANT_SECRET: MERCHANT.secret,
    KASIR_CALLBACK_URL: receiverUrl,
  };
  let kasir = await startKasir(env);
  const stopKasir = async () => {
    kasir.proc.kill('SIGTERM');
    await new Promise((r) => (kasir.proc.exitCode !== null ? r(null) : kasir.proc.once('exit', r)));
  };
  try {
    const token = await accessToken(kasir.base, MERCHANT);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };

    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < sessions) {
        next++;
        const created = await fetch(`${kasir.base}/v2/payments`, {
          method: 'POST',
          headers: { ...headers, 'x-request-id': alnum(32) },
          body: paymentBody('cbbench'),
        });
        const body = (await created.json()) as { data?: { id: string } };
        if (!created.ok || !body.data) throw new Error(`create failed: HTTP ${created.status} ${JSON.stringify(body)}`);
        const paid = await fetch(`${kasir.base}/v2/payments/simulations`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ paymentSessionId: body.data.id, chargeStatus: 'SUCCESS' }),
        });
        await paid.arrayBuffer();
        if (!paid.ok) throw new Error(`simulate failed: HTTP ${paid.status}`);
        if (++done % 1000 === 0) log(`  ${done}/${sessions} paid, ${firstSeen.size}/${expected} callbacks landed`);
      }
    };
    const start = performance.now();
    await Promise.all(Array.from({ length: clients }, worker));
    const loadEnd = performance.now();
    await waitLanded();
    const times = [...firstSeen.values()];
    const first = times.reduce((a, b) => Math.min(a, b));
    const last = times.reduce((a, b) => Math.max(a, b));
    const live = { receipts, landed: firstSeen.size };

    // Backlog run: Kasir down, the same number of callbacks (real payloads) waiting; start it and drain.
    log('  backlog run: filling the outbox with Kasir stopped');
    await stopKasir();
    const store = await openStore(database);
    try {
      const samples = await store.db
        .selectFrom('callbacks')
        .select(['merchant_id', 'resource_id', 'event', 'payload'])
        .limit(100)
        .execute();
      const now = new Date();
      for (let i = 0; i < expected; i += 500) {
        await enqueueCallbacks(
          store.db,
          Array.from({ length: Math.min(500, expected - i) }, (_, j) => {
            const s = samples[(i + j) % samples.length];
            if (!s) throw new Error('the live run left no callbacks to copy into the backlog');
            return {
              id: `cb_bench_${i + j}_${alnum(8)}`,
              merchantId: s.merchant_id,
              resource: { type: 'payment_session' as const, id: s.resource_id },
              event: s.event as 'PAYMENT.PAID',
              payload: s.payload,
            };
          }),
          now,
        );
      }
    } finally {
      await store.close();
    }
    resetReceiver();
    const backlogStart = performance.now();
    kasir = await startKasir(env);
    await waitLanded();
    const backlogTimes = [...firstSeen.values()];
    const backlogFirst = backlogTimes.reduce((a, b) => Math.min(a, b));
    const backlogLast = backlogTimes.reduce((a, b) => Math.max(a, b));
    return {
      sessions,
      callbacks: expected,
      database: pg ? 'postgres' : 'sqlite',
      sessionsPerSecond: Math.round(sessions / ((loadEnd - start) / 1000)),
      deliveredPerSecond: Math.round(expected / ((last - first) / 1000)),
      timeToLastMs: Math.round(last - start),
      drainAfterLoadMs: Math.max(0, Math.round(last - loadEnd)),
      duplicates: live.receipts - live.landed,
      missing: expected - live.landed,
      backlog: {
        callbacks: expected,
        deliveredPerSecond: Math.round(expected / ((backlogLast - backlogFirst) / 1000)),
        timeToLastMs: Math.round(backlogLast - backlogStart),
        duplicates: receipts - firstSeen.size,
        missing: expected - firstSeen.size,
      },
    };
  } finally {
    await stopKasir();
    receiver.closeAllConnections();
    receiver.close();
    rmSync(tmp, { recursive: true, force: true });
    if (pg) {
      const { default: pgLib } = await import('pg');
      const admin = new pgLib.Client({ connectionString: pg });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  }
}

function format(r: CallbackBenchResult): string {
  return [
    `callbacks (${r.database}): ${r.sessions} sessions paid → ${r.callbacks} callbacks`,
    `  load:            ${r.sessionsPerSecond} sessions created+paid/s`,
    `  delivered:       ${r.deliveredPerSecond} callbacks/s (first to last landing)`,
    `  time to last:    ${(r.timeToLastMs / 1000).toFixed(2)} s from the first request`,
    `  drain after load ${(r.drainAfterLoadMs / 1000).toFixed(2)} s after the last PAID was acknowledged`,
    `  duplicates ${r.duplicates}, missing ${r.missing}`,
    `callbacks backlog: ${r.backlog.callbacks} waiting in the outbox at start`,
    `  delivered:       ${r.backlog.deliveredPerSecond} callbacks/s (first to last landing)`,
    `  time to last:    ${(r.backlog.timeToLastMs / 1000).toFixed(2)} s from process start`,
    `  duplicates ${r.backlog.duplicates}, missing ${r.backlog.missing}`,
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const argv = process.argv.slice(2);
  const at = argv.indexOf('--sessions');
  const sessions = at >= 0 ? Number(argv[at + 1]) : Number(process.env.BENCH_CALLBACK_SESSIONS ?? 10_000);
  const json = argv.includes('--json');
  runCallbackBench({ sessions, databaseUrl: process.env.DATABASE_URL, log: json ? undefined : (l) => console.error(l) }).then(
    (result) => console.log(json ? JSON.stringify(result, null, 2) : format(result)),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
