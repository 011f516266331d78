// The real process: `npm start`'s entry point, spawned as a newcomer would run it.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { seedAutoConfirmBody } from './helpers/bodies.ts';
import { requestId } from './helpers/harness.ts';
import { startKasir, type Spawned } from './helpers/process.ts';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

async function start(env: Record<string, string>, waitReady = true): Promise<Spawned> {
  const run = await startKasir({ LOG_LEVEL: 'info', ...env }, waitReady ? { probe: '/healthz', timeoutMs: 20_000 } : {});
  children.push(run.proc);
  return run;
}

async function json(port: number, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

describe('the kasir process', () => {
  it('stops with one clear line on a bad setting', async () => {
    const run = await start({ PORT: 'abc' }, false);
    expect(await run.exited).toBe(1);
    expect(run.output().trim()).toBe('kasir: PORT must be an integer between 0 and 65535, got "abc"');
  });

  it('creates a merchant once on an empty database and prints its credentials; logs carry the traceId', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kasir-proc-'));
    const env = { DATABASE_URL: `file:${join(dir, 'k.db')}`, LOG_LEVEL: 'info' };
    const first = await start(env);
    const id = /X-MERCHANT-ID:\s+(\S+)/.exec(first.output())![1];
    const secret = /X-MERCHANT-SECRET:\s+(\S+)/.exec(first.output())![1];
    const token = await json(first.port, 'POST', '/v1/access-token', { grantType: 'client_credentials' }, { 'x-merchant-id': id, 'x-merchant-secret': secret });
    expect(token.status).toBe(200);
    const missing = await json(first.port, 'GET', '/v2/payments/nope', undefined, { authorization: `Bearer ${token.body.data.accessToken}` });
    expect(missing.status).toBe(404);
    await new Promise((r) => setTimeout(r, 100));
    const lines = first.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    expect(lines.some((l) => l.traceId === missing.body.error.traceId && l.res?.statusCode === 404)).toBe(true);
    first.proc.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = await start(env);
    expect(second.output()).not.toContain('X-MERCHANT-SECRET');
    second.proc.kill('SIGTERM');
    await second.exited;
  });

  it('finishes an in-flight request on SIGTERM, then exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kasir-proc-'));
    const run = await start({ DATABASE_URL: `file:${join(dir, 'k.db')}`, KASIR_MERCHANT_ID: 'shop', KASIR_MERCHANT_SECRET: 'shop-secret-123', LOG_LEVEL: 'warn' });
    const token = await json(run.port, 'POST', '/v1/access-token', { grantType: 'client_credentials' }, { 'x-merchant-id': 'shop', 'x-merchant-secret': 'shop-secret-123' });
    const payload = Buffer.from(JSON.stringify(seedAutoConfirmBody()));
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: run.port,
          method: 'POST',
          path: '/v2/payments',
          headers: {
            'content-type': 'application/json',
            'content-length': payload.length,
            authorization: `Bearer ${token.body.data.accessToken}`,
            'x-request-id': requestId(),
          },
        },
        (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        },
      );
      req.on('error', reject);
      // Half the body now, SIGTERM, the rest later: the request is in flight across the signal.
      req.write(payload.subarray(0, 100));
      setTimeout(() => run.proc.kill('SIGTERM'), 100);
      setTimeout(() => req.end(payload.subarray(100)), 600);
    });
    const res = await response;
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).data.status).toBe('REQUIRE_ACTION');
    expect(await run.exited).toBe(0);
  });
});
