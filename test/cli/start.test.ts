// `kasir start` from the built command (bin/kasir.js → dist/), as an installed project runs it: Kasir serves
// with the environment's configuration, the built CLI talks to it through @kasir/sdk, and SIGINT stops it
// gracefully with exit code 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/process.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function kasirProcess(args: string[], env: Record<string, string>) {
  const proc = spawn(process.execPath, ['bin/kasir.js', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout!.on('data', (d) => (output += d));
  proc.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, exited, output: () => output };
}

describe('kasir start', () => {
  const started: ChildProcess[] = [];
  afterAll(() => {
    for (const proc of started) if (proc.exitCode === null) proc.kill('SIGKILL');
  });

  it('serves like npm start; the built CLI lists its payments; SIGINT exits 0', async () => {
    const port = await freePort();
    const env = {
      HOST: '127.0.0.1',
      DATABASE_URL: `file:${join(mkdtempSync(join(tmpdir(), 'kasir-start-')), 'kasir.db')}`,
      KASIR_MERCHANT_ID: 'demo',
      KASIR_MERCHANT_SECRET: 'demo-secret-123',
      LOG_LEVEL: 'warn',
    };
    const server = kasirProcess(['start', '--port', String(port)], env);
    started.push(server.proc);
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 120_000;
    while (
      !(await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      ))
    ) {
      if (Date.now() > deadline || server.proc.exitCode !== null)
        throw new Error(`kasir start never served:\n${server.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const list = kasirProcess(['payments', 'list', '--json', '--base-url', base], { ...env, KASIR_CONFIG_DIR: '/nonexistent' });
    expect(await list.exited, list.output()).toBe(0);
    expect(JSON.parse(list.output())).toEqual({ data: [], pagination: { page: 1, perPage: 20, totalItems: 0, totalPages: 0 } });

    server.proc.kill('SIGINT');
    expect(await server.exited, server.output()).toBe(0);
  });
});
