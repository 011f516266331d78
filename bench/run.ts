// Throughput bench: Kasir vs a bare Fastify app, and create vs its write-only floor, on the same machine
// in the same run. Absolute req/s depend on the box, so we report ratios to those baselines, by req/s and
// by the answering process's CPU per request, and never assert on wall-clock numbers.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
// @ts-ignore -- autocannon ships no types; ts-ignore (not expect-error) keeps working if @types/autocannon is added
import autocannonUntyped from 'autocannon';
import { BUILT_SERVER, spawnService, type Spawned } from '../test/helpers/process.ts';
import ensureFreshBuild from '../test/helpers/fresh-build.ts';
import { benchServiceEnv, UNLIMITED_PAGE_RATES } from './service-env.ts';
import { accessToken as exchange, alnum, paymentBody } from './merchant-client.ts';
import { runCallbackBench, type CallbackBenchResult } from './callbacks.ts';
import { measureCreateFloor, sampleCreateRows } from './create-floor.ts';
import { reportFaultDrill, runFaultDrill } from './fault-drill.ts';
import { reportQrImages, runQrImageBench } from './qr-images.ts';
import { formatLists, runListBench } from './lists.ts';
import { formatSweeper, runSweeperBench } from './sweeper.ts';
import { processCpuMicroseconds } from './process-cpu.ts';
import { allCpus, benchPlacement, describePlacement, pinProcess } from './placement.ts';

// Only the slice of autocannon's API we use.
type Req = { method?: string; path?: string; headers?: Record<string, string>; body?: string };
type CannonOpts = Req & {
  url: string;
  connections: number;
  pipelining: number;
  duration: number;
  requests?: Array<{ setupRequest?: (r: Req) => Req; onResponse?: (status: number, body: string) => void }>;
};
type CannonResult = {
  requests: { mean: number; sent: number; total: number };
  latency: { p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
};
const autocannon = autocannonUntyped as unknown as (o: CannonOpts) => Promise<CannonResult>;

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
/**
 * Each row is measured in this many short runs, taken in turn with the other rows' (bare GET, bare POST,
 * create, GET, page, floor; then again), and each ratio is taken within a round, from rows measured seconds
 * apart: this machine's speed has been seen to change by half within the hour, and a ratio between a
 * baseline measured at one speed and a route at another says nothing. The ratio reported is the median of
 * the rounds', with their spread.
 */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 4));
const ROUND_SECONDS = Math.max(1, Math.round(SECONDS / ROUNDS));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const AS_JSON = process.argv.includes('--json');
/** Sessions paid in the callback run (each owes two callbacks); 0 skips it. */
const CALLBACK_SESSIONS = Number(process.env.BENCH_CALLBACK_SESSIONS ?? 10_000);
/** Sessions past their expiry for the sweeper to expire; 0 skips it. */
const SWEEP_SESSIONS = Number(process.env.BENCH_SWEEP_SESSIONS ?? 20_000);
/** Sessions of one merchant the list latencies are measured over; 0 skips it. */
const LIST_SESSIONS = Number(process.env.BENCH_LIST_SESSIONS ?? 100_000);
const MERCHANT = { id: 'bench-merchant', secret: 'bench-secret-0123456789' };
const PLACEMENT = benchPlacement();

type Child = Spawned;
type Row = {
  name: string;
  rps: number;
  /** CPU the answering process spent per request (user + system), whatever the load generator took. */
  cpuMicros: number;
  p99: number;
  non2xx: number;
  failed: number;
  total: number;
  sample?: string | undefined;
};

/** The ratios issue 7 sets targets for, plus create against the bare POST for context. */
const RATIOS = [
  { name: 'get', to: 'bare GET', target: 0.5 },
  { name: 'page', to: 'bare GET', target: 0.3 },
  { name: 'create', to: 'create floor', target: 0.6 },
  { name: 'create', to: 'bare POST', target: undefined },
] as const;

const children: Child[] = [];
const tmp = mkdtempSync(join(tmpdir(), 'kasir-bench-'));

// Cleanup must be synchronous so it also runs from process.on('exit').
function cleanup(): void {
  for (const c of children.splice(0)) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));

async function spawnAndWait(script: string, env: Record<string, string>, probe: string): Promise<Child> {
  const child = await spawnService(script, env, { probe });
  children.push(child);
  if (PLACEMENT) pinProcess(child.proc.pid!, PLACEMENT.service);
  return child;
}

const SERVICE_DB = join(tmp, 'bench.db');

function startService(): Promise<Child> {
  return spawnAndWait(BUILT_SERVER, { ...benchServiceEnv(SERVICE_DB, MERCHANT), ...UNLIMITED_PAGE_RATES }, '/healthz');
}

const startBare = () => spawnAndWait('bench/bare-server.mjs', {}, '/bare');

// Roughly 2 KB, so bare POST pays a body-parse cost comparable to a create.
const BARE_POST_BODY = JSON.stringify({
  items: Array.from({ length: 24 }, (_, i) => ({ id: i, name: `item-${i}`, note: 'x'.repeat(48) })),
});

// Fetched per run: tokens last 900 s, and long BENCH_SECONDS runs would outlive one.
const accessToken = (svc: Child) => exchange(svc.base, MERCHANT);

interface Created {
  id: string;
  /** Path and query of its paymentUrl (the host there is the public URL, not necessarily ours). */
  pagePath: string;
  requestId: string;
}

/** One autoConfirm VA REDIRECT session, as the bench's creates make them. */
async function createPayment(svc: Child, token: string): Promise<Created> {
  const requestId = alnum(32);
  const res = await fetch(svc.base + '/v2/payments', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': requestId },
    body: paymentBody(),
  });
  const text = await res.text();
  const data = res.ok ? (JSON.parse(text) as { data?: { id?: string; paymentUrl?: string } }).data : undefined;
  if (!data?.id || !data.paymentUrl) throw new Error(`seed POST /v2/payments failed: HTTP ${res.status} ${text}`);
  const url = new URL(data.paymentUrl);
  return { id: data.id, pagePath: url.pathname + url.search, requestId };
}

// One warm-up (JIT, connection pools, SQLite page cache) then the measured run, with the CPU `server` spent on it.
async function measure(
  name: string,
  server: Child,
  opts: Omit<CannonOpts, 'connections' | 'pipelining' | 'duration'>,
  round: number,
): Promise<Row> {
  let sample: string | undefined;
  const onResponse = (status: number, body: string) => {
    if ((status < 200 || status > 299) && sample === undefined) sample = `HTTP ${status} ${body}`;
  };
  const requests = (opts.requests ?? [{}]).map((r) => ({ ...r, onResponse }));
  const base = { connections: CONNECTIONS, pipelining: 1, ...opts, requests };
  if (!AS_JSON)
    process.stderr.write(
      `  round ${round + 1}/${ROUNDS} ${name}: ${round === 0 ? 'warm-up 1 s, ' : ''}run ${ROUND_SECONDS} s...\n`,
    );
  if (round === 0) await autocannon({ ...base, duration: 1 });
  sample = undefined; // only errors from the measured run matter
  const cpuBefore = processCpuMicroseconds(server.proc.pid!);
  const r = await autocannon({ ...base, duration: ROUND_SECONDS });
  const cpuMicros = (processCpuMicroseconds(server.proc.pid!) - cpuBefore) / r.requests.total;
  const failed = r.non2xx + r.errors + r.timeouts;
  return { name, rps: r.requests.mean, cpuMicros, p99: r.latency.p99, non2xx: r.non2xx, failed, total: r.requests.sent, sample };
}

/** The rows of all rounds as one: mean req/s and CPU per request, the worst p99, failures summed. */
function combined(rounds: Row[][]): Row[] {
  const names = rounds[0]?.map((r) => r.name) ?? [];
  const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
  return names.map((name) => {
    const runs = rounds.map((round) => round.find((r) => r.name === name)).filter((r): r is Row => r !== undefined);
    return {
      name,
      rps: mean(runs.map((r) => r.rps)),
      cpuMicros: mean(runs.map((r) => r.cpuMicros)),
      p99: Math.max(...runs.map((r) => r.p99)),
      non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
      failed: runs.reduce((sum, r) => sum + r.failed, 0),
      total: runs.reduce((sum, r) => sum + r.total, 0),
      sample: runs.find((r) => r.sample !== undefined)?.sample,
    };
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function report(rows: Row[], rounds: Row[][]): void {
  const row = (n: string) => rows.find((r) => r.name === n);
  const rps = (n: string) => row(n)?.rps ?? NaN;
  const ratio = (r: Row, to: string) => r.rps / rps(to);
  // Each ratio within each round, then the median. The same ratio from CPU per request (the baseline's µs
  // over Kasir's): when the host is busy the baseline's req/s moves more than Kasir's (it shares the cores
  // with the load generator), its CPU cost less.
  const ratios = RATIOS.map(({ name, to, target }) => {
    const pairs = rounds.map((round) => ({
      subject: round.find((r) => r.name === name),
      baseline: round.find((r) => r.name === to),
    }));
    const values = pairs.map(({ subject, baseline }) => (subject && baseline ? subject.rps / baseline.rps : NaN));
    const byCpus = pairs.map(({ subject, baseline }) => (subject && baseline ? baseline.cpuMicros / subject.cpuMicros : NaN));
    const value = median(values);
    return {
      name: `${name} vs ${to}`,
      value,
      spread: [Math.min(...values), Math.max(...values)],
      byCpu: median(byCpus),
      target: target ?? null,
      met: target === undefined ? null : value >= target,
    };
  });
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${process.platform}/${process.arch}`,
    placement: describePlacement(PLACEMENT),
  };
  const settings = { rounds: ROUNDS, secondsPerRound: ROUND_SECONDS, connections: CONNECTIONS, pipelining: 1, warmupSeconds: 1 };
  if (AS_JSON) {
    const results = rows.map(({ sample: _s, ...r }) => ({
      ...r,
      vsBareGet: ratio(r, 'bare GET'),
      vsBarePost: ratio(r, 'bare POST'),
    }));
    console.log(JSON.stringify({ machine, settings, results, ratios }, null, 2));
    return;
  }
  console.log(`\nmachine: ${machine.cpus} x ${machine.cpuModel}, node ${machine.node}, ${machine.platform}`);
  console.log(
    `settings: ${ROUNDS} rounds of ${ROUND_SECONDS} s per row (+1 s warm-up first), ${CONNECTIONS} connections, pipelining 1`,
  );
  console.log(`placement: ${machine.placement}${PLACEMENT ? ' (the create floor too)' : ''}\n`);
  const writes = (r: Row) => r.name === 'create' || r.name === 'bare POST' || r.name === 'create floor';
  printTable(
    ['name', 'req/s', 'CPU µs/req', 'p99 ms', 'non-2xx', 'vs bare GET', 'vs bare POST'],
    rows.map((r) => [
      r.name,
      r.rps.toFixed(0),
      r.cpuMicros.toFixed(0),
      Number.isNaN(r.p99) ? '' : r.p99.toFixed(1),
      String(r.non2xx),
      ratio(r, 'bare GET').toFixed(3),
      writes(r) ? ratio(r, 'bare POST').toFixed(3) : '',
    ]),
  );
  console.log('');
  printTable(
    ['ratio (median of rounds)', 'value', 'rounds', 'by CPU', 'target'],
    ratios.map((r) => [
      r.name,
      r.value.toFixed(3),
      r.spread.map((v) => v.toFixed(3)).join('–'),
      r.byCpu.toFixed(3),
      r.target === null ? '' : `≥ ${r.target} ${r.met ? 'met' : 'NOT met'}`,
    ]),
  );
}

function printTable(head: string[], body: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  for (const line of [head, widths.map((w) => '-'.repeat(w)), ...body]) {
    console.log(line.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  }
}

/** Callback delivery is a POST per event to a local receiver: bare POST req/s is its natural ceiling. */
function reportCallbacks(r: CallbackBenchResult, barePost: Row): void {
  if (AS_JSON) {
    console.log(JSON.stringify({ callbacks: r }));
    return;
  }
  const perSecond = (n: number) => n.toFixed(0).padStart(6);
  console.log(`\ncallbacks (${r.database}): ${r.sessions} sessions paid → ${r.callbacks} callbacks to a local receiver`);
  console.log(
    `  live:    sessions paid ${perSecond(r.sessionsPerSecond)}/s, delivered ${perSecond(r.deliveredPerSecond)}/s, last landed after ${(r.timeToLastMs / 1000).toFixed(1)} s (${(r.drainAfterLoadMs / 1000).toFixed(1)} s after the last payment)`,
  );
  console.log(
    `  backlog: ${r.backlog.callbacks} waiting at start, delivered ${perSecond(r.backlog.deliveredPerSecond)}/s, last landed after ${(r.backlog.timeToLastMs / 1000).toFixed(1)} s; vs bare POST ${(r.backlog.deliveredPerSecond / barePost.rps).toFixed(3)}`,
  );
  console.log(`  duplicates ${r.duplicates + r.backlog.duplicates}, missing ${r.missing + r.backlog.missing}`);
}

/** Waits (at most a minute) until /metrics reports no callback pending in the service's outbox. */
async function outboxDrained(svc: Child): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const metrics = await (await fetch(svc.base + '/metrics')).text();
    if (/^kasir_outbox_pending 0$/m.test(metrics)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the service still had callbacks pending a minute after the creates');
}

async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: process.env.KASIR_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test' });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  // The service measured is what `npm start` runs: node on dist/, no TypeScript loader (through tsx, the
  // page served half as many requests a second).
  ensureFreshBuild();
  if (PLACEMENT) pinProcess(process.pid, PLACEMENT.load);
  const [svc, bare] = await Promise.all([startService(), startBare()]);
  const json = { 'content-type': 'application/json' };
  // The session GET and the page read, and whose rows the floor copies.
  const created = await createPayment(svc, await accessToken(svc));
  const createdRows = sampleCreateRows(SERVICE_DB, created.id, created.requestId);
  const rounds: Row[][] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const rows: Row[] = [];
    const token = await accessToken(svc);
    rows.push(await measure('bare GET', bare, { url: bare.base + '/bare' }, round));
    rows.push(
      await measure('bare POST', bare, { url: bare.base + '/bare', method: 'POST', headers: json, body: BARE_POST_BODY }, round),
    );
    rows.push(
      await measure(
        'create',
        svc,
        {
          url: svc.base + '/v2/payments',
          method: 'POST',
          headers: { ...json, authorization: `Bearer ${token}` },
          // Fresh reference + request id each time so idempotency never short-circuits the write path.
          requests: [
            { setupRequest: (req) => ({ ...req, body: paymentBody(), headers: { ...req.headers, 'x-request-id': alnum(32) } }) },
          ],
        },
        round,
      ),
    );
    // The creates left callbacks for the dispatcher to deliver: GET and the page are measured once the
    // service has caught up, as the bare route they are compared with has no background work either.
    await outboxDrained(svc);
    rows.push(
      await measure(
        'get',
        svc,
        { url: `${svc.base}/v2/payments/${encodeURIComponent(created.id)}`, headers: { authorization: `Bearer ${token}` } },
        round,
      ),
    );
    // The shopper's view of the same VA session: verify the page token, load, render the VA step.
    rows.push(await measure('page', svc, { url: svc.base + created.pagePath, headers: { 'accept-language': 'id' } }, round));

    // While the service idles: one process writing what a create writes, same schema and settings, on the
    // services' CPU, as what it is compared with ran there.
    if (!AS_JSON) process.stderr.write(`  round ${round + 1}/${ROUNDS} create floor: ${ROUND_SECONDS} s in this process...\n`);
    if (PLACEMENT) pinProcess(process.pid, PLACEMENT.service);
    const floor = await measureCreateFloor(join(tmp, `floor-${round}.db`), createdRows, ROUND_SECONDS);
    if (PLACEMENT) pinProcess(process.pid, PLACEMENT.load);
    rows.push({
      name: 'create floor',
      rps: floor.createsPerSecond,
      cpuMicros: floor.cpuMicrosPerCreate,
      p99: NaN,
      non2xx: 0,
      failed: 0,
      total: floor.creates,
    });
    rounds.push(rows);
  }
  // What follows runs in this process or its own services, on every CPU.
  if (PLACEMENT) pinProcess(process.pid, allCpus());

  const rows = combined(rounds);
  report(rows, rounds);
  const barePost = rows.find((r) => r.name === 'bare POST')!;
  if (CALLBACK_SESSIONS > 0) {
    const callbacks = await runCallbackBench({ sessions: CALLBACK_SESSIONS });
    reportCallbacks(callbacks, barePost);
    if (callbacks.missing + callbacks.backlog.missing > 0) {
      console.error('\nFAIL callbacks: some callbacks never landed');
      process.exitCode = 1;
    }
  }

  if (!AS_JSON && process.env.BENCH_QR !== '0') {
    // Issue 8's target: 30 downloads a second keep the event loop's p99 delay under 50 ms.
    reportQrImages(await runQrImageBench({ rate: 30, seconds: 5 }));
  }

  if (!AS_JSON && process.env.BENCH_DRILL !== '0') {
    if (await postgresAnswers()) {
      process.stderr.write('  fault drill: two instances on PostgreSQL, faults injected...\n');
      const drill = await runFaultDrill({ seconds: Number(process.env.BENCH_DRILL_SECONDS ?? 120) });
      if (!reportFaultDrill(drill)) process.exitCode = 1;
    } else {
      console.log('\nfault drill skipped: PostgreSQL does not answer on 127.0.0.1:5432');
    }
  }
  // In this process, once the services above are idle: background work and lists at scale (issue 8).
  if (SWEEP_SESSIONS > 0) {
    if (!AS_JSON) process.stderr.write(`  sweeper: ${SWEEP_SESSIONS} sessions past expiry...\n`);
    const sweeper = await runSweeperBench({ sessions: SWEEP_SESSIONS });
    console.log(AS_JSON ? JSON.stringify({ sweeper }) : formatSweeper(sweeper));
    if (sweeper.wrong > 0) {
      console.error('\nFAIL sweeper: some sessions were not expired exactly once');
      process.exitCode = 1;
    }
  }
  if (LIST_SESSIONS > 0) {
    if (!AS_JSON) process.stderr.write(`  lists: seeding ${LIST_SESSIONS} sessions...\n`);
    const lists = await runListBench({ sessions: LIST_SESSIONS });
    console.log(AS_JSON ? JSON.stringify({ lists }) : formatLists(lists));
  }

  // A bench that mostly measures error paths is meaningless, so refuse to pass.
  const bad = rows.filter((r) => r.failed > r.total * 0.01);
  for (const r of bad) {
    console.error(`\nFAIL ${r.name}: ${r.failed}/${r.total} requests were non-2xx or errored (>1%)`);
    if (r.sample) console.error(`sample error: ${r.sample.slice(0, 2000)}`);
  }
  if (bad.length) {
    for (const c of children) if (c.output()) console.error(`\n--- output of ${c.script} ---\n${c.output().slice(-4000)}`);
    process.exitCode = 1;
  }
}

main().then(
  () => process.exit(),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
