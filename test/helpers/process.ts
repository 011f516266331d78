// Real processes for the process-level tests and the bench: a free loopback port, and a script (the Kasir
// server, or the bench's bare baseline) spawned with node (TypeScript through tsx) and awaited until it
// answers its probe.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
      .once('error', reject)
      .listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
  });
}

export interface Spawned {
  script: string;
  proc: ChildProcess;
  port: number;
  base: string;
  /** Everything the process printed (kept, not streamed, so it only shows when something broke). */
  output: () => string;
  exited: Promise<number | null>;
}

export interface SpawnOptions {
  /** Path answered with 2xx once the process is ready; none → return at once. */
  probe?: string;
  timeoutMs?: number;
  /** Start under this open-file limit (soft and hard, as `ulimit -n` sets them). */
  fileLimit?: number;
}

/**
 * Spawns `node <script>` (`node --import tsx <script>` for TypeScript) with PORT set to a free port unless
 * `env.PORT` is given.
 */
export async function spawnService(script: string, env: Record<string, string>, options: SpawnOptions = {}): Promise<Spawned> {
  const port = env.PORT !== undefined ? Number(env.PORT) : await freePort();
  const args = script.endsWith('.ts') ? ['--import', 'tsx', script] : [script];
  const [command, commandArgs] =
    options.fileLimit === undefined
      ? [process.execPath, args]
      : ['/bin/sh', ['-c', `ulimit -n ${options.fileLimit} && exec "$0" "$@"`, process.execPath, ...args]];
  const proc = spawn(command, commandArgs, {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const spawned: Spawned = { script, proc, port, base: `http://127.0.0.1:${port}`, output: () => out, exited };
  if (!options.probe) return spawned;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (Date.now() < deadline && proc.exitCode === null) {
    if (
      await fetch(spawned.base + options.probe).then(
        (r) => r.ok,
        () => false,
      )
    )
      return spawned;
    await new Promise((r) => setTimeout(r, 25));
  }
  const why = proc.exitCode !== null ? `exited with code ${proc.exitCode}` : 'timed out';
  proc.kill('SIGKILL');
  throw new Error(`${script} never answered ${options.probe}: ${why}\n--- output ---\n${out}`);
}

/** What `npm start` runs: the compiled server (the process project's global setup keeps dist/ fresh). */
export const BUILT_SERVER = 'dist/server.js';

/**
 * The Kasir service on loopback, quiet unless LOG_LEVEL is given: by default from the sources through
 * tsx (the bench), with `entry: BUILT_SERVER` as `npm start` runs it (the process tests; it also starts
 * in half the CPU, with no TypeScript loader in the way).
 */
export function startKasir(
  env: Record<string, string>,
  options: SpawnOptions & { entry?: string } = { probe: '/healthz' },
): Promise<Spawned> {
  return spawnService(options.entry ?? 'src/server.ts', { LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...env }, options);
}
