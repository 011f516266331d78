// Two real Kasir processes (dist/server.js, as `npm start` runs it) on one PostgreSQL behind a proxy the
// test cuts, freezes and restores. Each instance lives through it: requests answer 503 in Pivot's envelope
// meanwhile, /healthz stays up and /readyz says no, the expiry sweeper and the callback dispatcher log
// their failures at a doubling pace instead of on every tick, and both instances serve again by
// themselves once the database is back. Before the fix, the first cut ended both processes.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMerchant } from '../src/usecases/merchants.ts';
import { seedAutoConfirmBody } from './helpers/bodies.ts';
import { DB_KINDS, PG_URL, openTestStore, requestId, type TestStore } from './helpers/harness.ts';
import { BUILT_SERVER, startKasir, type Spawned } from './helpers/process.ts';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.ts';

const SWEEP_MS = 100;
const QUERY_TIMEOUT_MS = 700;
const CONNECT_TIMEOUT_MS = 500;

interface Instance {
  run: Spawned;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any; retryAfter: string | null }>;
}

function logLines(run: Spawned): Array<Record<string, any>> {
  return run
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
}

/** Resolves once `count` log lines match; fails after `timeoutMs` (a bound, not a wait). */
function loggedTimes(run: Spawned, match: (line: Record<string, any>) => boolean, count: number, timeoutMs = 15_000) {
  return new Promise<Array<Record<string, any>>>((resolve, reject) => {
    const check = () => {
      const lines = logLines(run).filter(match);
      if (lines.length < count) return;
      clearTimeout(bound);
      run.proc.stdout!.off('data', check);
      resolve(lines);
    };
    const bound = setTimeout(() => {
      run.proc.stdout!.off('data', check);
      reject(new Error(`fewer than ${count} matching log lines in ${timeoutMs} ms:\n${run.output()}`));
    }, timeoutMs);
    run.proc.stdout!.on('data', check);
    check();
  });
}

describe.runIf(DB_KINDS.includes('postgres'))('Kasir processes through a PostgreSQL outage', () => {
  let proxy: TcpProxy;
  let store: TestStore;
  const instances: Instance[] = [];

  beforeAll(async () => {
    const target = new URL(PG_URL);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    store = await openTestStore('postgres');
    const { merchant, clientSecret } = await createMerchant(store.db, { name: 'Outage Shop' });
    const url = new URL(PG_URL);
    url.host = proxy.address;
    url.searchParams.set('application_name', `kasir_proc_${randomBytes(4).toString('hex')}`);
    const env = {
      DATABASE_URL: url.toString(),
      KASIR_DATABASE_SCHEMA: store.schema!,
      KASIR_TOKEN_SECRET: 'outage-test-token-secret-0123456789abcdef',
      KASIR_SWEEP_INTERVAL_MS: String(SWEEP_MS),
      KASIR_CALLBACK_POLL_MS: String(SWEEP_MS),
      KASIR_DB_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
      KASIR_DB_STATEMENT_TIMEOUT_MS: '400',
      KASIR_DB_QUERY_TIMEOUT_MS: String(QUERY_TIMEOUT_MS),
      KASIR_READY_TIMEOUT_MS: '300',
      LOG_LEVEL: 'warn',
    };
    const runs = await Promise.all([0, 1].map(() => startKasir(env, { probe: '/healthz', entry: BUILT_SERVER })));
    for (const run of runs) {
      const token = await fetch(`${run.base}/v1/access-token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-merchant-id': merchant.id, 'x-merchant-secret': clientSecret },
        body: JSON.stringify({ grantType: 'client_credentials' }),
      }).then(async (r) => ((await r.json()) as any).data.accessToken as string);
      instances.push({
        run,
        async call(method, path, body) {
          const res = await fetch(`${run.base}${path}`, {
            method,
            headers: {
              authorization: `Bearer ${token}`,
              ...(body !== undefined && { 'content-type': 'application/json', 'x-request-id': requestId() }),
            },
            body: body === undefined ? undefined : JSON.stringify(body),
          });
          return { status: res.status, body: await res.json(), retryAfter: res.headers.get('retry-after') };
        },
      });
    }
  });
  beforeEach(() => proxy.restore());
  afterAll(async () => {
    for (const { run } of instances) run.proc.kill('SIGKILL');
    await proxy?.restore();
    await store?.destroy();
    await proxy?.close();
  });

  const alive = (instance: Instance) => instance.run.proc.exitCode === null && instance.run.proc.signalCode === null;
  async function expectUnavailable(instance: Instance, boundMs: number) {
    const started = performance.now();
    const res = await instance.call('GET', '/v2/payments');
    expect(performance.now() - started).toBeLessThan(boundMs);
    expect(res.status, JSON.stringify(res.body)).toBe(503);
    expect(res.body).toMatchObject({ code: 'service_unavailable', error: { type: 'GATEWAY_ERROR', source: 'SYSTEM' } });
    expect(Number(res.retryAfter)).toBeGreaterThan(0);
  }
  /** Served again without a restart (a request may still meet a connection that died with the outage). */
  async function expectServed(instance: Instance) {
    let res = await instance.call('GET', '/v2/payments');
    for (let i = 0; i < 10 && res.status === 503; i++) res = await instance.call('GET', '/v2/payments');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((await instance.call('POST', '/v2/payments', seedAutoConfirmBody())).status).toBe(200);
    expect((await fetch(`${instance.run.base}/readyz`)).status).toBe(200);
  }

  it('a cut: both live, answer 503, back off their background work, and serve again on restore', async () => {
    for (const instance of instances)
      expect((await instance.call('POST', '/v2/payments', seedAutoConfirmBody())).status).toBe(200);

    await proxy.kill();
    for (const instance of instances) {
      await expectUnavailable(instance, CONNECT_TIMEOUT_MS + 1000);
      expect((await fetch(`${instance.run.base}/healthz`)).status).toBe(200);
      expect((await fetch(`${instance.run.base}/readyz`)).status).toBe(503);
    }
    for (const { run } of instances) {
      const sweeps = await loggedTimes(run, (l) => l.msg === 'expiry sweep failed', 4);
      expect(sweeps.slice(0, 4).map((l) => l.retryInMs)).toEqual([1, 2, 4, 8].map((n) => n * SWEEP_MS));
      const claims = await loggedTimes(run, (l) => l.msg === 'callback dispatcher could not claim callbacks', 4);
      expect(claims.slice(0, 4).map((l) => l.retryInMs)).toEqual([1, 2, 4, 8].map((n) => n * SWEEP_MS));
    }
    expect(instances.every(alive)).toBe(true);

    await proxy.restore();
    for (const instance of instances) await expectServed(instance);
    expect(instances.every(alive)).toBe(true);
  });

  it('a freeze: both answer 503 within the query timeout, and serve again once it thaws', async () => {
    proxy.freeze();
    for (const instance of instances) await expectUnavailable(instance, CONNECT_TIMEOUT_MS + QUERY_TIMEOUT_MS + 1500);
    expect(instances.every(alive)).toBe(true);
    await proxy.restore();
    for (const instance of instances) await expectServed(instance);
  });
});
