// The fault drill: mixed merchant traffic against two Kasir instances sharing one PostgreSQL, while the
// database is cut (every connection dropped) and frozen (connections kept, nothing answered) through a TCP
// proxy and restored, and one instance is SIGKILLed and started again. Afterwards it counts what a
// merchant would count: every create that was answered 200 must exist, every payment answered 200 must be
// PAID, and each of those payments must have reached the merchant's callback endpoint.
//   tsx bench/fault-drill.ts [--seconds 120]          (also the last part of npm run bench)
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { BUILT_SERVER, spawnService, type Spawned } from '../test/helpers/process.ts';
import { startTcpProxy, type TcpProxy } from '../test/helpers/tcp-proxy.ts';
import { accessToken, alnum, paymentBody } from './merchant-client.ts';

const PG_URL = process.env.KASIR_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MERCHANT = { id: 'drill-merchant', secret: 'drill-secret-0123456789abcdef' };
const WORKERS = 12;
const REQUEST_TIMEOUT_MS = 15_000;
/** A 503 this long after a fault ends still counts as part of it (pools reconnect, timeouts run out). */
const RECOVERY_GRACE_MS = 5_000;

export interface DrillResult {
  seconds: number;
  answered: number;
  byStatus: Record<string, number>;
  /** 5xx other than 503, or 503 outside a fault window: must be 0. */
  unexpected5xx: number;
  /** Requests to the killed instance that could not connect, and requests that never got an answer. */
  refused: number;
  timedOut: number;
  created: number;
  paid: number;
  sessionsLost: number;
  paymentsLost: number;
  callbacksLost: number;
  peakRssMb: Record<string, number>;
  faults: string[];
}

interface Instance {
  name: string;
  spawned: Spawned;
  alive: boolean;
  peakRssKb: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The merchant's callback endpoint: remembers which events arrived for which resource. */
async function startReceiver(): Promise<{ url: string; seen: Set<string>; server: Server }> {
  const seen = new Set<string>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      try {
        const parsed = JSON.parse(body) as { event?: string; data?: { id?: string } };
        if (parsed.event && parsed.data?.id) seen.add(`${parsed.event} ${parsed.data.id}`);
      } catch {
        /* not ours */
      }
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callbacks`, seen, server };
}

function rssKb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

export async function runFaultDrill(options: { seconds?: number; log?: (line: string) => void } = {}): Promise<DrillResult> {
  const seconds = options.seconds ?? 120;
  const log = options.log ?? (() => undefined);
  const schema = `kasir_drill_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  const proxy: TcpProxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
  const receiver = await startReceiver();
  const pgUrl = new URL(PG_URL);
  pgUrl.host = proxy.address;
  const env = {
    DATABASE_URL: pgUrl.toString(),
    KASIR_DATABASE_SCHEMA: schema,
    KASIR_ENV: 'sandbox',
    LOG_LEVEL: 'warn',
    KASIR_TOKEN_SECRET: randomBytes(32).toString('hex'),
    KASIR_MERCHANT_ID: MERCHANT.id,
    KASIR_MERCHANT_SECRET: MERCHANT.secret,
    KASIR_CALLBACK_URL: receiver.url,
    KASIR_ALLOW_PRIVATE_CALLBACK_URLS: 'true',
    KASIR_CALLBACK_RETRY_SCHEDULE: '1s,2s,5s,10s,20s,30s',
    KASIR_DB_CONNECT_TIMEOUT_MS: '1000',
    KASIR_DB_STATEMENT_TIMEOUT_MS: '2000',
    KASIR_DB_QUERY_TIMEOUT_MS: '3000',
    KASIR_TOKEN_RATE_LIMIT: '100000',
  };
  const instances: Instance[] = [];
  const start = async (name: string) => {
    const spawned = await spawnService(BUILT_SERVER, env, { probe: '/readyz', timeoutMs: 90_000 });
    const instance = { name, spawned, alive: true, peakRssKb: 0 };
    const existing = instances.findIndex((i) => i.name === name);
    if (existing >= 0) instances[existing] = { ...instance, peakRssKb: instances[existing]!.peakRssKb };
    else instances.push(instance);
  };
  // One after the other: both would otherwise race to create the same seeded merchant.
  await start('A');
  await start('B');
  const rssTimer = setInterval(() => {
    for (const i of instances) if (i.alive) i.peakRssKb = Math.max(i.peakRssKb, rssKb(i.spawned.proc.pid));
  }, 250);

  const byStatus: Record<string, number> = {};
  const windows: Array<{ from: number; to: number }> = [];
  const faults: string[] = [];
  let unexpected5xx = 0;
  let refused = 0;
  let timedOut = 0;
  let answered = 0;
  const created = new Set<string>();
  const paid = new Set<string>();
  const t0 = Date.now();
  const inFault = (at: number) => windows.some((w) => at >= w.from && at <= w.to + RECOVERY_GRACE_MS);

  const tokens = new Map<string, string>();
  async function call(
    path: string,
    init: RequestInit & { headers?: Record<string, string> },
  ): Promise<{ status: number; body: unknown } | undefined> {
    const alive = instances.filter((i) => i.alive);
    const target = alive[Math.floor(Math.random() * alive.length)];
    if (!target) return undefined;
    const base = target.spawned.base;
    try {
      let token = tokens.get(base);
      if (!token) {
        token = await accessToken(base, MERCHANT);
        tokens.set(base, token);
      }
      const res = await fetch(base + path, {
        ...init,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...init.headers },
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await res.text();
      answered++;
      byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;
      if (res.status >= 500 && !(res.status === 503 && inFault(Date.now()))) {
        unexpected5xx++;
        log(`  unexpected ${res.status} at ${((Date.now() - t0) / 1000).toFixed(1)} s: ${text.slice(0, 200)}`);
      }
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    } catch (error) {
      tokens.delete(base);
      if (error instanceof Error && error.name === 'TimeoutError') timedOut++;
      else refused++;
      return undefined;
    }
  }

  /** A merchant's day: create a VA session, look at it, pay it (sandbox), look again. */
  async function worker(): Promise<void> {
    while (Date.now() - t0 < seconds * 1000) {
      const made = await call('/v2/payments', {
        method: 'POST',
        body: paymentBody('drill'),
        headers: { 'x-request-id': alnum(32) },
      });
      const id = made?.status === 200 ? (made.body as { data: { id: string } }).data.id : undefined;
      if (!id) {
        await sleep(50);
        continue;
      }
      created.add(id);
      await call(`/v2/payments/${id}`, { method: 'GET' });
      const pay = await call('/v2/payments/simulations', {
        method: 'POST',
        body: JSON.stringify({ paymentSessionId: id, chargeStatus: 'SUCCESS' }),
      });
      if (pay?.status === 200) paid.add(id);
      await call(`/v2/payments/${id}`, { method: 'GET' });
    }
  }

  async function fault(
    at: number,
    name: string,
    begin: () => Promise<void> | void,
    end: () => Promise<void> | void,
    lasts: number,
  ) {
    await sleep(Math.max(0, t0 + at * 1000 - Date.now()));
    const window = { from: Date.now(), to: Number.POSITIVE_INFINITY };
    windows.push(window);
    log(`  ${((Date.now() - t0) / 1000).toFixed(0)} s: ${name}`);
    faults.push(name);
    await begin();
    await sleep(lasts * 1000);
    await end();
    window.to = Date.now();
    log(`  ${((Date.now() - t0) / 1000).toFixed(0)} s: ${name} over`);
  }

  const scale = seconds / 120;
  const schedule = (async () => {
    await fault(
      20 * scale,
      'database cut (every connection dropped)',
      () => proxy.kill(),
      () => proxy.restore(),
      10 * scale,
    );
    await fault(
      50 * scale,
      'database frozen (connections kept, nothing answered)',
      () => proxy.freeze(),
      () => proxy.restore(),
      10 * scale,
    );
    await fault(
      80 * scale,
      'instance B SIGKILLed, then started again',
      async () => {
        const b = instances.find((i) => i.name === 'B')!;
        b.alive = false;
        b.spawned.proc.kill('SIGKILL');
        await b.spawned.exited;
      },
      () => start('B'),
      3 * scale,
    );
  })();

  await Promise.all([...Array.from({ length: WORKERS }, worker), schedule]);
  log(`  load over after ${((Date.now() - t0) / 1000).toFixed(0)} s; waiting for callbacks...`);

  // Every payment answered 200 owes a PAYMENT.PAID callback; the retry schedule may still be running.
  const owed = () => [...paid].filter((id) => !receiver.seen.has(`PAYMENT.PAID ${id}`));
  const drainUntil = Date.now() + 90_000;
  while (owed().length > 0 && Date.now() < drainUntil) await sleep(500);

  const ids = [...created];
  const rows = await admin.query<{ id: string; status: string }>(
    `select id, status from ${schema}.payment_sessions where id = any($1::text[])`,
    [ids],
  );
  const status = new Map(rows.rows.map((r) => [r.id, r.status]));
  const result: DrillResult = {
    seconds,
    answered,
    byStatus,
    unexpected5xx,
    refused,
    timedOut,
    created: created.size,
    paid: paid.size,
    sessionsLost: ids.filter((id) => !status.has(id)).length,
    paymentsLost: [...paid].filter((id) => status.get(id) !== 'PAID').length,
    callbacksLost: owed().length,
    peakRssMb: Object.fromEntries(instances.map((i) => [i.name, Math.round(i.peakRssKb / 1024)])),
    faults,
  };

  clearInterval(rssTimer);
  for (const i of instances) i.spawned.proc.kill('SIGKILL');
  await proxy.close();
  receiver.server.close();
  await admin.query(`drop schema if exists ${schema} cascade`);
  await admin.end();
  return result;
}

export function reportFaultDrill(r: DrillResult): boolean {
  const statuses = Object.entries(r.byStatus)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, n]) => `${code}: ${n}`)
    .join(', ');
  const ok = r.unexpected5xx === 0 && r.sessionsLost === 0 && r.paymentsLost === 0 && r.callbacksLost === 0;
  console.log(`\nfault drill (${r.seconds} s, two instances on PostgreSQL behind a proxy): ${r.faults.join('; ')}`);
  console.log(
    `  requests answered ${r.answered} (${statuses}); refused while an instance was down ${r.refused}; no answer ${r.timedOut}`,
  );
  console.log(`  5xx other than 503 during a fault: ${r.unexpected5xx}`);
  console.log(
    `  sessions created ${r.created}, lost ${r.sessionsLost}; payments ${r.paid}, lost ${r.paymentsLost}; callbacks lost ${r.callbacksLost}`,
  );
  console.log(
    `  peak RSS: ${Object.entries(r.peakRssMb)
      .map(([name, mb]) => `${name} ${mb} MB`)
      .join(', ')}`,
  );
  console.log(`  ${ok ? 'PASS' : 'FAIL'}: nothing lost and only 503 during faults`);
  return ok;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '120' } } });
  const result = await runFaultDrill({ seconds: Number(values.seconds), log: (line) => console.error(line) });
  process.exit(reportFaultDrill(result) ? 0 : 1);
}
