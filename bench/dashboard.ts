// The dashboard's reads over 100,000 sessions of one merchant (plus 20,000 of another) on SQLite: a page of
// the payments search per filter, the CSV export of a filter, the overview and the undelivered callbacks,
// each timed over several runs. `npx tsx bench/dashboard.ts [--sessions N]`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { undeliveredCallbacks } from '../src/usecases/dashboard/callbacks.ts';
import { overviewStats } from '../src/usecases/dashboard/overview.ts';
import { exportPaymentsCsv, searchPayments, type PaymentSearch } from '../src/usecases/dashboard/payments.ts';
import { openBenchKasir, seedSessions, type SessionKind } from './seed-sessions.ts';

const KINDS: SessionKind[] = [
  { status: 'EXPIRED', charge: 'EXPIRED', events: ['PAYMENT.PROCESSING', 'PAYMENT.CANCELLED'], open: false },
  { status: 'PAID', charge: 'SUCCESS', events: ['PAYMENT.PROCESSING', 'PAYMENT.PAID'], open: false },
  { status: 'PAID', charge: 'SUCCESS', events: ['PAYMENT.PROCESSING', 'PAYMENT.PAID'], open: false },
  { status: 'CANCELLED', charge: 'FAILED', events: ['PAYMENT.PROCESSING', 'PAYMENT.CANCELLED'], open: false },
  { status: 'REQUIRE_ACTION', charge: 'WAITING_FOR_USER_ACTION', events: ['PAYMENT.PROCESSING'], open: true },
];

async function time(runs: number, work: () => Promise<unknown>): Promise<{ medianMs: number; maxMs: number }> {
  const took: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    took.push(performance.now() - started);
  }
  took.sort((a, b) => a - b);
  return { medianMs: Math.round(took[Math.floor(runs / 2)]! * 10) / 10, maxMs: Math.round(took[runs - 1]! * 10) / 10 };
}

const { values } = parseArgs({ options: { sessions: { type: 'string', default: '100000' } } });
const sessions = Number(values.sessions);
const dir = mkdtempSync(join(tmpdir(), 'kasir-dashboard-bench-'));
const kasir = await openBenchKasir(join(dir, 'dashboard.db'));
try {
  const now = Date.now();
  const plan = (count: number) => ({
    sessions: count,
    kindOf: (i: number) => KINDS[i % KINDS.length]!,
    // Spread over the last ~23 days, newest last.
    createdAtOf: (i: number) => now - (count - i) * 20_000,
    expiryOf: () => now + 3_600_000,
    callbackStatusOf: (i: number) => (i % 40 === 0 ? ('FAILED' as const) : ('DELIVERED' as const)),
  });
  const { ids, references } = await seedSessions(kasir, plan(sessions));
  const other = await openBenchKasir(join(dir, 'dashboard.db'));
  await seedSessions(other, plan(Math.floor(sessions / 5)));
  await other.close();

  const { ctx, merchantId } = kasir;
  const probe = Math.floor(sessions / 2);
  const searches: Array<[string, PaymentSearch]> = [
    ['no filter', {}],
    ['search text (reference)', { query: references[probe]! }],
    ['search text (id)', { query: ids[probe]! }],
    ['search text (email)', { query: 'nobody@example.com' }],
    ['status PAID', { status: 'PAID' }],
    ['status EXPIRED', { status: 'EXPIRED' }],
    ['method VIRTUAL_ACCOUNT', { methodType: 'VIRTUAL_ACCOUNT' }],
    ['channel BCA (none)', { channel: 'BCA' }],
    ['created in one day', { createdFrom: new Date(now - 10 * 86_400_000), createdBefore: new Date(now - 9 * 86_400_000) }],
  ];
  const lines: string[] = [
    `dashboard reads over ${sessions} sessions (+${Math.floor(sessions / 5)} of another merchant), SQLite`,
  ];
  for (const [name, search] of searches) {
    const t = await time(21, () => searchPayments(ctx, merchantId, search));
    lines.push(`  search ${name.padEnd(26)} median ${t.medianMs} ms, max ${t.maxMs} ms (a page of 50)`);
  }
  let rows = 0;
  const exportTime = await time(1, async () => {
    for await (const chunk of exportPaymentsCsv(ctx, merchantId, { status: 'PAID' })) rows += chunk.split('\r\n').length - 1;
  });
  lines.push(`  CSV export status PAID          ${rows - 1} rows in ${exportTime.medianMs} ms`);
  const overview = await time(5, () => overviewStats(ctx, merchantId));
  lines.push(`  overview (30 days)              median ${overview.medianMs} ms, max ${overview.maxMs} ms`);
  const undelivered = await time(21, () => undeliveredCallbacks(ctx, merchantId, {}));
  lines.push(`  undelivered callbacks           median ${undelivered.medianMs} ms, max ${undelivered.maxMs} ms`);
  console.log(lines.join('\n'));
} finally {
  await kasir.close();
  rmSync(dir, { recursive: true, force: true });
}
