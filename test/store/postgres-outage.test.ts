// PostgreSQL going away under a running Kasir, through a TCP proxy the test controls: killed (every
// connection dropped, new ones refused), frozen (connections kept, nothing answered) and restored, plus
// pg_terminate_backend on Kasir's own sessions. Requests answer 503 service_unavailable in Pivot's envelope
// with Retry-After, within the configured bounds; /healthz stays up; /readyz follows the database; and
// Kasir serves again by itself once the database is back. Before the fix the first dropped connection
// ended the process (an 'error' event nobody listened to) and a frozen database hung every request.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseTimeouts } from '../../src/config-database.ts';
import { DB_KINDS, PG_URL, makeHarness, openTestStore, requestId, type Harness } from '../helpers/harness.ts';
import { seedAutoConfirmBody } from '../helpers/bodies.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';

const TIMEOUTS: DatabaseTimeouts = { connectMs: 500, statementMs: 400, queryMs: 700, idleInTransactionMs: 2000 };
const READY_TIMEOUT_MS = 300;
const POOL_SIZE = 5;
/** The longest a request may take on a frozen database: a pool wait or connect, then one query timeout. */
const FROZEN_BOUND_MS = TIMEOUTS.connectMs + TIMEOUTS.queryMs + 800;

describe.runIf(DB_KINDS.includes('postgres'))('PostgreSQL outages', () => {
  let proxy: TcpProxy;
  let h: Harness;
  const logs: Array<Record<string, any>> = [];
  const applicationName = `kasir_outage_${randomBytes(4).toString('hex')}`;
  // What would have ended a real process: an 'error' event nobody listens to is thrown from a socket callback.
  const uncaught: unknown[] = [];
  const recordUncaught = (error: unknown) => void uncaught.push(error);

  beforeAll(async () => {
    process.on('uncaughtException', recordUncaught);
    const target = new URL(PG_URL);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const url = new URL(PG_URL);
    url.host = proxy.address;
    url.searchParams.set('application_name', applicationName);
    const store = await openTestStore('postgres', { url: url.toString(), timeouts: TIMEOUTS, poolSize: POOL_SIZE });
    h = await makeHarness('postgres', {
      store,
      readyTimeoutMs: READY_TIMEOUT_MS,
      logStream: { write: (line) => void logs.push(JSON.parse(line)) },
    });
  });
  afterAll(async () => {
    process.off('uncaughtException', recordUncaught);
    await proxy?.restore();
    await h?.close();
    await proxy?.close();
  });
  beforeEach(async () => {
    await proxy.restore();
    logs.length = 0;
  });
  afterEach(() => {
    expect(uncaught, 'the process would have ended').toEqual([]);
  });

  const create = () => h.api('POST', '/v2/payments', seedAutoConfirmBody(), { 'x-request-id': requestId() });
  async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
    const started = performance.now();
    const result = await work();
    return { result, ms: performance.now() - started };
  }
  function expectUnavailable(res: { status: number; body: any; headers: Record<string, unknown> }) {
    expect(res.status, JSON.stringify(res.body)).toBe(503);
    expect(res.body).toEqual({
      code: 'service_unavailable',
      message: expect.any(String),
      error: { type: 'GATEWAY_ERROR', source: 'SYSTEM', details: [], traceId: expect.stringMatching(/^[0-9a-f]{32}$/) },
    });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  }
  /** Retries until the answer is not a 503 (each try is bounded by the timeouts); returns it. */
  async function untilServed(request: () => Promise<{ status: number; body: any }>, tries = 5) {
    let res = await request();
    for (let i = 1; i < tries && res.status === 503; i++) res = await request();
    return res;
  }

  it('a killed database: 503 at once with the cause logged, /healthz up, and service back on restore', async () => {
    const created = await create();
    expect(created.status).toBe(200);
    const id = created.body.data.id;

    await proxy.kill();
    const read = await timed(() => h.api('GET', `/v2/payments/${id}`));
    expectUnavailable(read.result);
    expect(read.ms).toBeLessThan(TIMEOUTS.connectMs + 500);
    expectUnavailable(await create());
    expectUnavailable(await h.api('GET', '/v2/payments'));
    expect((await h.api('GET', '/healthz')).status).toBe(200);
    expectUnavailable(await h.api('GET', '/readyz'));
    // The shopper's page says so in its own words, with the same Retry-After.
    const page = await h.app.inject({
      method: 'GET',
      url: new URL(created.body.data.paymentUrl).pathname + new URL(created.body.data.paymentUrl).search,
    });
    expect(page.statusCode).toBe(503);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(Number(page.headers['retry-after'])).toBeGreaterThan(0);

    const logged = logs.filter((line) => line.msg === 'database unavailable');
    expect(logged.length).toBeGreaterThanOrEqual(4);
    expect(logged.every((line) => line.level === 50)).toBe(true);
    // The real cause is in the log (the body never carries it): the connection was lost or refused.
    expect(logged.map((line) => `${line.err.code ?? ''} ${line.err.message}`).join('\n')).toMatch(
      /ECONNREFUSED|ECONNRESET|Connection terminated/,
    );

    await proxy.restore();
    const again = await untilServed(() => h.api('GET', `/v2/payments/${id}`), 2);
    expect(again.status).toBe(200);
    expect(again.body.data.id).toBe(id);
    expect((await create()).status).toBe(200);
    expect((await h.api('GET', '/readyz')).status).toBe(200);
  });

  it('a frozen database: reads, writes and many requests at once answer 503 within the configured bound', async () => {
    const created = await create();
    expect(created.status).toBe(200);
    const id = created.body.data.id;

    proxy.freeze();
    const read = await timed(() => h.api('GET', `/v2/payments/${id}`));
    expectUnavailable(read.result);
    expect(read.ms).toBeLessThan(FROZEN_BOUND_MS);
    const write = await timed(create);
    expectUnavailable(write.result);
    expect(write.ms).toBeLessThan(FROZEN_BOUND_MS);
    // More requests than the pool has connections: the ones waiting for a connection are bounded too.
    const burst = await timed(() => Promise.all(Array.from({ length: 12 }, () => h.api('GET', `/v2/payments/${id}`))));
    for (const res of burst.result) expectUnavailable(res);
    expect(burst.ms).toBeLessThan(FROZEN_BOUND_MS);

    const liveness = await timed(() => h.api('GET', '/healthz'));
    expect(liveness.result.status).toBe(200);
    expect(liveness.ms).toBeLessThan(200);
    const readiness = await timed(() => h.api('GET', '/readyz'));
    expectUnavailable(readiness.result);
    expect(readiness.ms).toBeLessThan(READY_TIMEOUT_MS + 300);
    expect(logs.some((line) => line.msg === 'database unavailable' && /timeout/i.test(line.err.message))).toBe(true);

    await proxy.restore();
    const again = await untilServed(() => h.api('GET', `/v2/payments/${id}`));
    expect(again.status).toBe(200);
    expect((await create()).status).toBe(200);
    expect((await h.api('GET', '/readyz')).status).toBe(200);
  });

  it('a failover: connections to the frozen server hang for good, new ones work, and Kasir moves to them', async () => {
    // Several pooled connections exist when the old server goes silent.
    const sessions = await Promise.all(Array.from({ length: POOL_SIZE }, create));
    for (const res of sessions) expect(res.status).toBe(200);
    const id = sessions[0]!.body.data.id;

    proxy.freeze();
    expectUnavailable(await h.api('GET', `/v2/payments/${id}`));
    await proxy.failover();
    // Each stranded connection costs at most one 503 (its query times out, and it is dropped, not reused).
    const res = await untilServed(() => h.api('GET', `/v2/payments/${id}`), POOL_SIZE + 1);
    expect(res.status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await create()).status).toBe(200);
  });

  it("pg_terminate_backend on Kasir's sessions: the next requests are served", async () => {
    // Fill the pool: several connections are open and idle when the server ends them.
    const sessions = await Promise.all(Array.from({ length: 4 }, create));
    for (const res of sessions) expect(res.status).toBe(200);

    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ ended: boolean }>(
        'SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE application_name = $1',
        [applicationName],
      );
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((row) => row.ended)).toBe(true);
    } finally {
      await admin.end();
    }

    // A request may still pick a pooled connection whose end the server has sent but Kasir not yet read:
    // that one answers 503 and the connection is dropped, so at worst each pooled connection costs one.
    const res = await untilServed(() => h.api('GET', `/v2/payments/${sessions[0]!.body.data.id}`), POOL_SIZE + 1);
    expect(res.status).toBe(200);
    expect((await create()).status).toBe(200);
  });
});
