// /metrics as an operator's Prometheus sees it, on both databases: request latency by route pattern (never
// by session id), the outbox's backlog read from the database at scrape time, each callback attempt by
// outcome, and a bearer token when one is configured.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, makeHarness, requestId, type Harness } from '../helpers/harness.ts';
import { seedAutoConfirmBody } from '../helpers/bodies.ts';
import { drain, startDispatcher, startReceiver, type Receiver } from '../callbacks/receiver.ts';
import { sample, scrape as scrapeOf } from './scrape.ts';

describe.each(DB_KINDS)('/metrics on %s', (kind) => {
  let h: Harness;
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
    h = await makeHarness(kind, { callbackUrl: receiver.url });
  });
  afterAll(async () => {
    await h?.close();
    await receiver?.close();
  });

  const scrape = () => scrapeOf(h);

  it('counts requests by route pattern and status, and the outbox backlog, and the callbacks as they go out', async () => {
    const before = await scrape();
    const created = await h.api('POST', '/v2/payments', seedAutoConfirmBody(), { 'x-request-id': requestId() });
    expect(created.status).toBe(200);
    const id = created.body.data.id;
    await h.api('GET', `/v2/payments/${id}`);
    await h.api('GET', `/v2/payments/${id}`);
    await h.api('GET', '/v2/payments/no-such-session');
    expect((await h.api('POST', '/v2/payments/simulations', { paymentSessionId: id, chargeStatus: 'SUCCESS' })).status).toBe(200);

    const after = await scrape();
    const count = (text: string, labels: Record<string, string>) =>
      sample(text, 'kasir_http_request_duration_seconds_count', labels);
    const get200 = { route: '/v2/payments/:id', method: 'GET', status: '200' };
    expect(count(after, get200) - count(before, get200)).toBe(2);
    expect(count(after, { ...get200, status: '404' }) - count(before, { ...get200, status: '404' })).toBe(1);
    expect(count(after, { route: '/v2/payments', method: 'POST', status: '200' })).toBeGreaterThanOrEqual(1);
    // A label per route, never per session: the id appears nowhere.
    expect(after).not.toContain(id);
    // Two callbacks are owed (PAYMENT.PROCESSING and PAYMENT.PAID), and nothing has sent them yet.
    expect(sample(after, 'kasir_outbox_pending')).toBe(2);
    h.clock.advance(30_000);
    expect(sample(await scrape(), 'kasir_outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(30);

    const dispatcher = startDispatcher(h, { metrics: h.metrics });
    try {
      await drain(h, dispatcher);
    } finally {
      await dispatcher.stop();
    }
    const delivered = await scrape();
    expect(sample(delivered, 'kasir_outbox_pending')).toBe(0);
    expect(sample(delivered, 'kasir_outbox_oldest_pending_age_seconds')).toBe(0);
    expect(sample(delivered, 'kasir_callback_attempts_total', { outcome: 'delivered' })).toBe(2);
    expect(sample(delivered, 'kasir_callback_attempt_duration_seconds_count', { outcome: 'delivered' })).toBe(2);
    // prom-client's process figures come along.
    expect(sample(delivered, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });
});

describe('/metrics with KASIR_METRICS_TOKEN', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness('sqlite', { metricsToken: 'scrape-token-0123456789' });
  });
  afterAll(async () => h?.close());

  it('answers only the configured bearer token', async () => {
    const get = (authorization?: string) =>
      h.app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });
    expect((await get()).statusCode).toBe(401);
    expect((await get('Bearer wrong-token-0123456789')).statusCode).toBe(401);
    expect((await get('Bearer scrape-token-0123456789x')).statusCode).toBe(401);
    const ok = await get('Bearer scrape-token-0123456789');
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('kasir_outbox_pending');
  });
});
