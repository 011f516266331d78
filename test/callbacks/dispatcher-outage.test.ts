// The dispatcher through a database outage (PostgreSQL behind a proxy the test kills): it keeps running,
// logs each failed claim, slows its polls down instead of failing on every tick, and delivers again once
// the database is back. Time is the harness clock: polls happen when the test moves it.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallbackDispatcher } from '../../src/callbacks/dispatcher.ts';
import { DB_KINDS, PG_URL, makeHarness, openTestStore, requestId, type Harness } from '../helpers/harness.ts';
import { seedAutoConfirmBody } from '../helpers/bodies.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { startDispatcher, startReceiver, type Receiver } from './receiver.ts';

const POLL_MS = 25;

describe.runIf(DB_KINDS.includes('postgres'))('the dispatcher through a database outage', () => {
  let proxy: TcpProxy;
  let h: Harness;
  let receiver: Receiver;
  let dispatcher: CallbackDispatcher | undefined;
  const failures: Array<{ retryInMs: number; message: string }> = [];

  beforeAll(async () => {
    const target = new URL(PG_URL);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const url = new URL(PG_URL);
    url.host = proxy.address;
    url.searchParams.set('application_name', `kasir_dispatch_${randomBytes(4).toString('hex')}`);
    const timeouts = { connectMs: 500, statementMs: 400, queryMs: 700, idleInTransactionMs: 2000 };
    const store = await openTestStore('postgres', { url: url.toString(), timeouts, poolSize: 5 });
    receiver = await startReceiver();
    h = await makeHarness('postgres', { store, callbackUrl: receiver.url });
  });
  afterAll(async () => {
    await dispatcher?.stop();
    await proxy?.restore();
    await h?.close();
    await receiver?.close();
    await proxy?.close();
  });

  it('fails a claim per backed-off poll, not per tick, and delivers once the database is back', async () => {
    dispatcher = startDispatcher(h, {
      pollIntervalMs: POLL_MS,
      log: { error: (obj: any, msg) => void failures.push({ retryInMs: obj.retryInMs, message: `${msg}: ${obj.err?.message}` }) },
    });
    // The first attempt fails, so the callback waits for a retry (0.1 s later) that falls inside the outage.
    receiver.answer = (_r, n) => (n === 0 ? { status: 500 } : {});
    const before = await h.api('POST', '/v2/payments', seedAutoConfirmBody(), { 'x-request-id': requestId() });
    expect(before.status).toBe(200);
    const id = before.body.data.id;
    await receiver.waitFor((r) => r.length === 1);
    await dispatcher.idle();

    await proxy.kill();
    // Two seconds of polls (80 ticks) with the database gone.
    for (let tick = 0; tick < 80; tick++) {
      h.clock.advance(POLL_MS);
      await dispatcher.idle();
    }
    expect(failures.length).toBeGreaterThanOrEqual(3);
    // Doubling from one poll interval: 25, 50, 100 … 1600 ms fill two seconds with about seven tries.
    expect(failures.length).toBeLessThanOrEqual(8);
    expect(failures.map((f) => f.retryInMs)).toEqual(failures.map((_f, i) => Math.min(POLL_MS * 2 ** i, 10_000)));
    expect(failures[0]!.message).toMatch(/could not claim callbacks/);

    await proxy.restore();
    // No commit nudges it: the next poll the backoff allows claims the retry, at most 10 s later.
    let waited = 0;
    while (receiver.received.length < 2 && waited <= 10_000) {
      h.clock.advance(POLL_MS);
      waited += POLL_MS;
      await dispatcher.idle();
    }
    expect(receiver.received.map((r) => r.json.data.id)).toEqual([id, id]);
    expect(waited).toBeLessThanOrEqual(failures.at(-1)!.retryInMs + POLL_MS);

    // And at the normal pace again: a commit's callback goes out at once.
    const after = await h.api('POST', '/v2/payments', seedAutoConfirmBody(), { 'x-request-id': requestId() });
    expect(after.status).toBe(200);
    await receiver.waitFor((r) => r.some((x) => x.json.data.id === after.body.data.id), 5000);
  });
});
