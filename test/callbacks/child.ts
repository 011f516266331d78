// Real Kasir processes for crash and multi-instance tests: `node --import tsx src/server.ts`.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Kasir {
  proc: ChildProcess;
  base: string;
  output: () => string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
      .once('error', reject)
      .listen(0, '127.0.0.1', () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(port));
      });
  });
}

export async function startKasir(env: Record<string, string>): Promise<Kasir> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const kasir: Kasir = { proc, base: `http://127.0.0.1:${port}`, output: () => out };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) break;
    if (await fetch(`${kasir.base}/healthz`).then((r) => r.ok, () => false)) return kasir;
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill('SIGKILL');
  throw new Error(`kasir did not start: ${out}`);
}

export function stopped(kasir: Kasir): Promise<void> {
  return kasir.proc.exitCode !== null || kasir.proc.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => kasir.proc.once('exit', () => resolve()));
}

/** A tiny merchant client over real HTTP. */
export async function client(base: string, id: string, secret: string) {
  const tokenRes = await fetch(`${base}/v1/access-token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-merchant-id': id, 'x-merchant-secret': secret },
    body: JSON.stringify({ grantType: 'client_credentials' }),
  });
  const token = ((await tokenRes.json()) as { data: { accessToken: string } }).data.accessToken;
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  return { call };
}
