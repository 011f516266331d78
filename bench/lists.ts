// List latency at scale: one merchant with N sessions (default 100,000: expired, paid, cancelled, open,
// awaiting a method, a few INACTIVE; each with its charge and callbacks) plus another merchant's, then
// every list filter of /v2/payments, /v2/charges and /v2/callbacks through the app (in this process, by
// inject), reporting p50 and p99 per filter. Called by bench/run.ts; also runs alone:
//   tsx bench/lists.ts [--sessions 100000] [--requests 100] [--json]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { openBenchKasir, seedSessions, type SessionKind } from './seed-sessions.ts';

export interface ListLatency {
  name: string;
  url: string;
  /** Items the filter matches (the answer's total). */
  total: number;
  p50: number;
  p99: number;
}

export interface ListBenchResult {
  sessions: number;
  seedSeconds: number;
  requests: number;
  lists: ListLatency[];
}

// Of every 20 sessions: 8 expired, 6 paid, 2 cancelled, 3 waiting for payment, 1 awaiting a method.
const MIX: SessionKind[] = [
  ...Array<SessionKind>(8).fill({
    status: 'EXPIRED',
    charge: 'EXPIRED',
    events: ['PAYMENT.PROCESSING', 'PAYMENT.CANCELLED'],
    open: false,
  }),
  ...Array<SessionKind>(6).fill({
    status: 'PAID',
    charge: 'SUCCESS',
    events: ['PAYMENT.PROCESSING', 'PAYMENT.PAID'],
    open: false,
  }),
  ...Array<SessionKind>(2).fill({
    status: 'CANCELLED',
    charge: 'FAILED',
    events: ['PAYMENT.PROCESSING', 'PAYMENT.CANCELLED'],
    open: false,
  }),
  ...Array<SessionKind>(3).fill({
    status: 'REQUIRE_ACTION',
    charge: 'WAITING_FOR_USER_ACTION',
    events: ['PAYMENT.PROCESSING'],
    open: true,
  }),
  { status: 'REQUIRE_PAYMENT_METHOD', charge: null, events: [], open: true },
];
const INACTIVE: SessionKind = {
  status: 'INACTIVE',
  charge: 'EXPIRED',
  events: ['PAYMENT.CANCELLED'],
  open: false,
  paymentType: 'MULTIPLE',
};

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;

export async function runListBench(options: { sessions?: number; requests?: number } = {}): Promise<ListBenchResult> {
  const sessions = options.sessions ?? 100_000;
  const requests = options.requests ?? 100;
  const dir = mkdtempSync(join(tmpdir(), 'kasir-list-bench-'));
  const kasir = await openBenchKasir(join(dir, 'lists.db'));
  try {
    const now = Date.now();
    const started = performance.now();
    const plan = (count: number) => ({
      sessions: count,
      // Every 500th is a MULTIPLE session that has ended: a rare status.
      kindOf: (i: number) => (i % 500 === 499 ? INACTIVE : MIX[i % MIX.length]!),
      // Spread over the last ~23 days, newest last.
      createdAtOf: (i: number) => now - (count - i) * 20_000,
      // Open ones expire in an hour, but one in ten already has and the sweeper has not recorded it yet.
      expiryOf: (i: number) => (i % 200 === 16 ? now - 60_000 : now + 3_600_000),
      callbackStatusOf: (i: number) => (i % 40 === 0 ? ('FAILED' as const) : ('DELIVERED' as const)),
    });
    const { ids, references } = await seedSessions(kasir, plan(sessions));
    // Another merchant's rows share the tables and the indexes.
    const other = await openBenchKasir(join(dir, 'lists.db'));
    await seedSessions(other, plan(Math.floor(sessions / 5)));
    await other.close();
    const seedSeconds = (performance.now() - started) / 1000;

    const probe = Math.floor(sessions / 2);
    const lists: Array<{ name: string; url: string }> = [
      { name: 'payments', url: '/v2/payments' },
      { name: 'payments clientReferenceId', url: `/v2/payments?clientReferenceId=${references[probe]}` },
      { name: 'payments status=PAID', url: '/v2/payments?status=PAID' },
      { name: 'payments status=REQUIRE_ACTION', url: '/v2/payments?status=REQUIRE_ACTION' },
      { name: 'payments status=EXPIRED', url: '/v2/payments?status=EXPIRED' },
      { name: 'payments status=INACTIVE', url: '/v2/payments?status=INACTIVE' },
      { name: 'payments page 50', url: '/v2/payments?page=50&perPage=100' },
      { name: 'charges', url: '/v2/charges' },
      { name: 'charges clientReferenceId', url: `/v2/charges?clientReferenceId=${references[probe]}` },
      { name: 'charges paymentSessionId', url: `/v2/charges?paymentSessionId=${ids[probe]}` },
      { name: 'callbacks', url: '/v2/callbacks' },
      { name: 'callbacks paymentSessionId', url: `/v2/callbacks?paymentSessionId=${ids[probe]}` },
      { name: 'callbacks event=PAYMENT.PAID', url: '/v2/callbacks?event=PAYMENT.PAID' },
      { name: 'callbacks status=FAILED', url: '/v2/callbacks?status=FAILED' },
    ];
    const results: ListLatency[] = [];
    for (const list of lists) {
      const call = async () => {
        const res = await kasir.app.inject({ method: 'GET', url: list.url, headers: kasir.auth });
        if (res.statusCode !== 200) throw new Error(`${list.url}: HTTP ${res.statusCode} ${res.body.slice(0, 500)}`);
        return res;
      };
      for (let i = 0; i < 5; i++) await call();
      const times: number[] = [];
      let total = 0;
      for (let i = 0; i < requests; i++) {
        const t = performance.now();
        const res = await call();
        times.push(performance.now() - t);
        const body = JSON.parse(res.body) as { pagination?: { totalItems?: number }; data?: unknown[] };
        total = body.pagination?.totalItems ?? body.data?.length ?? 0;
      }
      times.sort((a, b) => a - b);
      results.push({ ...list, total, p50: percentile(times, 50), p99: percentile(times, 99) });
    }
    return { sessions, seedSeconds, requests, lists: results };
  } finally {
    await kasir.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatLists(r: ListBenchResult): string {
  const rows = r.lists.map((l) => [l.name, String(l.total), l.p50.toFixed(2), l.p99.toFixed(2)]);
  const head = ['list (in-process, by inject)', 'matches', 'p50 ms', 'p99 ms'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [
    `\nlists (sqlite): ${r.sessions} sessions of one merchant (+${Math.floor(r.sessions / 5)} of another), seeded in ${r.seedSeconds.toFixed(1)} s; ${r.requests} requests per list`,
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      sessions: { type: 'string', default: '100000' },
      requests: { type: 'string', default: '100' },
      json: { type: 'boolean' },
    },
  });
  const result = await runListBench({ sessions: Number(values.sessions), requests: Number(values.requests) });
  console.log(values.json ? JSON.stringify({ lists: result }, null, 2) : formatLists(result));
}
