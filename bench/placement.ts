// Which CPU each bench process runs on: the service under test, its baseline and the create floor on one,
// the load generator on another, so that every row of a ratio ran on the same CPU and none shared it with
// the load. A VM's CPUs need not be alike, nor stay alike: here a compute loop once ran 1.85 times faster
// on CPU 0 than on CPU 1, and an hour later equally slowly on both. Pinning takes where a process lands out
// of the comparison; it cannot make the machine itself steady (see ROUNDS in run.ts).
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
