// The real process: `npm start`'s entry point (the compiled dist/server.js), spawned as a newcomer would
// run it. Each step waits on what the process says (its log lines, its exit), never on a timer.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { seedAutoConfirmBody } from './helpers/bodies.ts';
import { requestId } from './helpers/harness.ts';
import { BUILT_SERVER, startKasir, type Spawned } from './helpers/process.ts';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

async function start(env: Record<string, string>, waitReady = true): Promise<Spawned> {
  const run = await startKasir({ LOG_LEVEL: 'info', ...env }, { entry: BUILT_SERVER, ...(waitReady && { probe: '/healthz' }) });
  children.push(run.proc);
  return run;
}

/** The process's JSON log lines so far. */
function logLines(run: Spawned): Array<Record<string, any>> {
  return run
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
}

/** Resolves once a log line matches; fails after `timeoutMs` (a bound, not a wait). */
function logged(run: Spawned, match: (line: Record<string, any>) => boolean, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!logLines(run).some(match)) return;
      clearTimeout(bound);
      run.proc.stdout!.off('data', check);
      resolve();
    };
    const bound = setTimeout(() => {
      run.proc.stdout!.off('data', check);
      reject(new Error(`no such log line in ${timeoutMs} ms:\n${run.output()}`));
    }, timeoutMs);
    run.proc.stdout!.on('data', check);
    check();
  });
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

  // One database for the next two tests (a restart is the point of the second): the first start creates
  // the merchant and prints its credentials, the second must not, and serves them.
  const dir = mkdtempSync(join(tmpdir(), 'kasir-proc-'));
  const env = { DATABASE_URL: `file:${join(dir, 'k.db')}` };
  const credentials = { id: '', secret: '' };

  it('creates a merchant once on an empty database and prints its credentials; logs carry the traceId', async () => {
    const first = await start(env);
    credentials.id = /X-MERCHANT-ID:\s+(\S+)/.exec(first.output())![1]!;
    credentials.secret = /X-MERCHANT-SECRET:\s+(\S+)/.exec(first.output())![1]!;
    const token = await json(
      first.port,
      'POST',
      '/v1/access-token',
      { grantType: 'client_credentials' },
      {
        'x-merchant-id': credentials.id,
        'x-merchant-secret': credentials.secret,
      },
    );
    expect(token.status).toBe(200);
    const missing = await json(first.port, 'GET', '/v2/payments/nope', undefined, {
      authorization: `Bearer ${token.body.data.accessToken}`,
    });
    expect(missing.status).toBe(404);
    await logged(first, (l) => l.traceId === missing.body.error.traceId && l.res?.statusCode === 404);

    // The sandbox's dashboard owner, printed with the merchant, signs in with what was printed.
    const email = /Email:\s+(\S+)/.exec(first.output())?.[1];
    const password = /Password:\s+(\S+)/.exec(first.output())?.[1];
    expect(email).toBe('owner@sandbox.kasir.test');
    const form = await fetch(`http://127.0.0.1:${first.port}/dashboard/sign-in`);
    const pre = /kasir_dash_pre=([^;]+)/.exec(form.headers.get('set-cookie') ?? '')?.[1];
    const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())?.[1];
    const signIn = await fetch(`http://127.0.0.1:${first.port}/dashboard/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `kasir_dash_pre=${pre}` },
      body: new URLSearchParams({ csrf: csrf ?? '', email: email ?? '', password: password ?? '' }).toString(),
    });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get('set-cookie')).toMatch(/kasir_dash=/);
    first.proc.kill('SIGTERM');
    expect(await first.exited).toBe(0);
  });

  it('prints no credentials on restart, finishes an in-flight request on SIGTERM, then exits 0', async () => {
    const run = await start(env);
    expect(run.output()).not.toContain('X-MERCHANT-SECRET');
    expect(run.output()).not.toContain('Dashboard owner');
    const token = await json(
      run.port,
      'POST',
      '/v1/access-token',
      { grantType: 'client_credentials' },
      {
        'x-merchant-id': credentials.id,
        'x-merchant-secret': credentials.secret,
      },
    );
    expect(token.status).toBe(200);
    const payload = Buffer.from(JSON.stringify(seedAutoConfirmBody()));
    const key = requestId();
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
            'x-request-id': key,
          },
        },
        (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        },
      );
      req.on('error', reject);
      // Half the body; once the server has taken the request in, SIGTERM; once it has started shutting
      // down, the rest: the request is in flight across the signal.
      req.write(payload.subarray(0, 100));
      logged(run, (l) => l.msg === 'incoming request' && l.req?.url === '/v2/payments')
        .then(() => run.proc.kill('SIGTERM'))
        .then(() => logged(run, (l) => l.signal === 'SIGTERM'))
        .then(() => req.end(payload.subarray(100)), reject);
    });
    const res = await response;
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).data.status).toBe('REQUIRE_ACTION');
    expect(await run.exited).toBe(0);
  });

  it('moves a sandbox refund on by itself: the sweeper takes it to SUCCESS after KASIR_SANDBOX_REFUND_DELAY_MS', async () => {
    const run = await start({
      DATABASE_URL: `file:${join(mkdtempSync(join(tmpdir(), 'kasir-proc-')), 'k.db')}`,
      KASIR_MERCHANT_ID: 'refunds',
      KASIR_MERCHANT_SECRET: 'refunds-secret-123',
      KASIR_SANDBOX_REFUND_DELAY_MS: '100',
      KASIR_SWEEP_INTERVAL_MS: '50',
    });
    const token = await json(
      run.port,
      'POST',
      '/v1/access-token',
      { grantType: 'client_credentials' },
      { 'x-merchant-id': 'refunds', 'x-merchant-secret': 'refunds-secret-123' },
    );
    const auth = { authorization: `Bearer ${token.body.data.accessToken}` };
    const body = seedAutoConfirmBody({ paymentMethod: { type: 'QR' }, paymentMethodOptions: { qr: {} } });
    const created = await json(run.port, 'POST', '/v2/payments', body, { ...auth, 'x-request-id': requestId() });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const id = created.body.data.id;
    expect(
      (await json(run.port, 'POST', '/v2/payments/simulations', { paymentSessionId: id, chargeStatus: 'SUCCESS' }, auth)).status,
    ).toBe(200);
    const refund = await json(
      run.port,
      'POST',
      '/v1/refunds',
      { clientReferenceId: 'RF-1', paymentSessionId: id, isFullAmount: true, reason: 'CANCELLATION' },
      { ...auth, 'x-request-id': requestId() },
    );
    expect(refund.body.data.status).toBe('PENDING');
    // Nothing here moves time but the process's own sweeper; a bound, not a wait.
    const bound = Date.now() + 10_000;
    let status = 'PENDING';
    while (status === 'PENDING' && Date.now() < bound) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = (await json(run.port, 'GET', `/v1/refunds/${refund.body.data.id}`, undefined, auth)).body.data.status;
    }
    expect(status).toBe('SUCCESS');
    const session = await json(run.port, 'GET', `/v2/payments/${id}`, undefined, auth);
    expect(session.body.data.chargeDetails[0].refundedAmount).toEqual({ value: 10000, currency: 'IDR' });
    run.proc.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });
});
