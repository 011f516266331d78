// The expiry sweeper at scale: N open VA sessions (each with its charge and VA reservation) all past their
// expiry, then the sweeper as the process runs it (usecases/expire-sessions.ts) until none is due. Reports
// sessions expired per second and checks every one is EXPIRED with exactly one PAYMENT.CANCELLED owed.
// Called by bench/run.ts; also runs alone:   tsx bench/sweeper.ts [--sessions 20000] [--json]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { SWEEP_LIMITS, expireDueSessions } from '../src/usecases/expire-sessions.ts';
import { openBenchKasir, seedSessions } from './seed-sessions.ts';

export interface SweeperBenchResult {
  sessions: number;
  batchSize: number;
  seconds: number;
  sessionsPerSecond: number;
  /** The same per second of this process's CPU time: what the box gives when nothing else competes for it. */
  sessionsPerCpuSecond: number;
  /** Sessions not EXPIRED afterwards, or without exactly one PAYMENT.CANCELLED (must be 0). */
  wrong: number;
}

export const SWEEPER_TARGET_PER_SECOND = 5_000;

export async function runSweeperBench(options: { sessions?: number } = {}): Promise<SweeperBenchResult> {
  const sessions = options.sessions ?? 20_000;
  const dir = mkdtempSync(join(tmpdir(), 'kasir-sweeper-bench-'));
  const clock = { offsetMs: 0 };
  const kasir = await openBenchKasir(join(dir, 'sweeper.db'), clock);
  try {
    const now = Date.now();
    const { ids } = await seedSessions(kasir, {
      sessions,
      kindOf: () => ({ status: 'REQUIRE_ACTION', charge: 'WAITING_FOR_USER_ACTION', events: ['PAYMENT.PROCESSING'], open: true }),
      createdAtOf: (i) => now - 3_600_000 + i,
      expiryOf: (i) => now + 60_000 + i,
    });
    // The template session made through the API is due too.
    const due = sessions + 1;
    clock.offsetMs = 2 * 3_600_000;

    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    let expired = 0;
    for (let n = -1; n !== 0;) {
      n = await expireDueSessions(kasir.ctx);
      expired += n;
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;

    const db = kasir.store.db;
    const stillOpen = await db
      .selectFrom('payment_sessions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '!=', 'EXPIRED')
      .executeTakeFirstOrThrow();
    const cancelled = await db
      .selectFrom('callbacks')
      .select((eb) => eb.fn.count<number>('resource_id').distinct().as('n'))
      .where('event', '=', 'PAYMENT.CANCELLED')
      .executeTakeFirstOrThrow();
    const callbackRows = await db
      .selectFrom('callbacks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('event', '=', 'PAYMENT.CANCELLED')
      .executeTakeFirstOrThrow();
    const wrong =
      Number(stillOpen.n) +
      Math.abs(due - Number(cancelled.n)) +
      Math.abs(Number(callbackRows.n) - Number(cancelled.n)) +
      Math.abs(expired - due);
    void ids;
    return {
      sessions: due,
      batchSize: SWEEP_LIMITS.batchSize,
      seconds,
      sessionsPerSecond: expired / seconds,
      sessionsPerCpuSecond: expired / cpuSeconds,
      wrong,
    };
  } finally {
    await kasir.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatSweeper(r: SweeperBenchResult): string {
  const met = r.sessionsPerSecond >= SWEEPER_TARGET_PER_SECOND ? 'met' : 'NOT met';
  return [
    `\nsweeper (sqlite): ${r.sessions} sessions past expiry, batches of ${r.batchSize}`,
    `  expired ${r.sessionsPerSecond.toFixed(0)}/s (${r.seconds.toFixed(2)} s; target ≥ ${SWEEPER_TARGET_PER_SECOND} ${met}),` +
      ` ${r.sessionsPerCpuSecond.toFixed(0)} per CPU-second, wrong ${r.wrong}`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { sessions: { type: 'string', default: '20000' }, json: { type: 'boolean' } } });
  const result = await runSweeperBench({ sessions: Number(values.sessions) });
  console.log(values.json ? JSON.stringify({ sweeper: result }, null, 2) : formatSweeper(result));
  if (result.wrong > 0) process.exitCode = 1;
}
