// Which CPU each bench process runs on. The two vCPUs of a VM need not be alike: on the 2-core machine
// these numbers were taken on, a compute loop ran 1.85 times faster on CPU 0 than on CPU 1, while the bare
// route cost 48 µs of CPU a request served from CPU 0 and 22 µs from CPU 1. Left to the scheduler, a
// route and its baseline could each land on either, and a ratio swung twofold between runs. Pinned, the
// service under test, its baseline and the create floor all run on one CPU and the load generator on
// another, so a ratio compares like with like; the CPUs are named in the report.
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

export interface Placement {
  /** Where the services measured (Kasir, the bare app) and the create floor run. */
  service: number;
  /** Where the load generator (this process, autocannon) runs. */
  load: number;
}

function tasksetWorks(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * BENCH_SERVICE_CPU and BENCH_LOAD_CPU (defaults 0 and 1) where Linux's taskset is there and the machine
 * has two CPUs or more; undefined otherwise, or with BENCH_PIN=0, and then the scheduler decides.
 */
export function benchPlacement(env: NodeJS.ProcessEnv = process.env): Placement | undefined {
  if (env.BENCH_PIN === '0' || process.platform !== 'linux' || availableParallelism() < 2 || !tasksetWorks()) return undefined;
  return { service: Number(env.BENCH_SERVICE_CPU ?? 0), load: Number(env.BENCH_LOAD_CPU ?? 1) };
}

/** Moves every thread of a running process to `cpus` (a taskset list: "0", "0-1"). */
export function pinProcess(pid: number, cpus: number | string): void {
  execFileSync('taskset', ['--all-tasks', '--pid', '--cpu-list', String(cpus), String(pid)], { stdio: 'ignore' });
}

/** Every CPU again, for what runs after the pinned measurements. */
export function allCpus(): string {
  return `0-${availableParallelism() - 1}`;
}

export function describePlacement(placement: Placement | undefined): string {
  return placement
    ? `services measured on CPU ${placement.service}, load generator on CPU ${placement.load}`
    : 'processes placed by the scheduler (not pinned)';
}
