// The business figures /metrics gives as payments happen, on both databases: sessions created by method and
// mode, each committed status change by method and from/to status (create, confirm, pay, expire), refunds
// by the status they reach, callbacks delivered and failing with their latency, and the PostgreSQL pool.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, makeHarness, requestId, type Harness } from '../helpers/harness.ts';
import { multipleQrBody, seedAutoConfirmBody, seedConfirmBody, seedConfirmLaterBody } from '../helpers/bodies.ts';
import { paidQrSession, postRefund, refundBody } from '../helpers/refunds.ts';
import { drain, startDispatcher, startReceiver, type Receiver } from '../callbacks/receiver.ts';
import { advanceDueRefunds } from '../../src/usecases/advance-refunds.ts';
import { expireDueSessions } from '../../src/usecases/expire-sessions.ts';
import { declares, moved, sample, scrape } from './scrape.ts';

const CREATED = 'kasir_sessions_created_total';
const MOVES = 'kasir_session_transitions_total';
const REFUNDS = 'kasir_refunds_total';

describe.each(DB_KINDS)('payment figures in /metrics on %s', (kind) => {
  let h: Harness;
  let receiver: Receiver;
  /** Callbacks about this session are answered 500: the merchant's endpoint fails for it. */
  let failingSessionId = '';
  beforeAll(async () => {
    receiver = await startReceiver((r) => (r.json.data?.id === failingSessionId ? { status: 500 } : {}));
    h = await makeHarness(kind, { callbackUrl: receiver.url });
  });
  afterAll(async () => {
    await h?.close();
    await receiver?.close();
  });

  const create = async (body: Record<string, unknown>): Promise<string> => {
    const res = await h.api('POST', '/v2/payments', body, { 'x-request-id': requestId() });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.data.id;
  };

  it('counts sessions created and every committed status change, not reads or refused requests', async () => {
    const before = await scrape(h);
    const paidId = await create(seedAutoConfirmBody());
    const laterId = await create(seedConfirmLaterBody());
    expect(moved(before, await scrape(h), CREATED, { method: 'VIRTUAL_ACCOUNT', mode: 'REDIRECT' })).toBe(1);
    expect(moved(before, await scrape(h), CREATED, { method: 'NONE', mode: 'REDIRECT' })).toBe(1);

    const confirmed = await h.api('POST', `/v2/payments/${laterId}/confirm`, seedConfirmBody(), { 'x-request-id': requestId() });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    const paid = await h.api('POST', '/v2/payments/simulations', { paymentSessionId: paidId, chargeStatus: 'SUCCESS' });
    expect(paid.status).toBe(200);
    // A static QRIS stays ACTIVE through its payments: a change without a new status is not a transition.
    const staticQr = await create(multipleQrBody());
    const amount = { value: 5000, currency: 'IDR' };
    expect(
      (await h.api('POST', '/v2/payments/simulations', { paymentSessionId: staticQr, chargeStatus: 'SUCCESS', amount })).status,
    ).toBe(200);
    // Reads and refusals change nothing, so they count nothing.
    await h.api('GET', `/v2/payments/${paidId}`);
    expect((await h.api('POST', '/v2/payments/simulations', { paymentSessionId: paidId, chargeStatus: 'SUCCESS' })).status).toBe(
      422,
    );

    const after = await scrape(h);
    const va = { method: 'VIRTUAL_ACCOUNT' };
    expect(moved(before, after, MOVES, { ...va, from: 'REQUIRE_PAYMENT_METHOD', to: 'REQUIRE_ACTION' })).toBe(1);
    expect(moved(before, after, MOVES, { ...va, from: 'REQUIRE_ACTION', to: 'PAID' })).toBe(1);
    expect(totalOf(after, MOVES) - totalOf(before, MOVES)).toBe(2);
    expect(moved(before, after, CREATED, { method: 'QR', mode: 'API' })).toBe(1);
    expect(totalOf(after, CREATED) - totalOf(before, CREATED)).toBe(3);
  });

  it('counts refunds by the status they reach, as they are created and as the sandbox moves them on', async () => {
    const session = await paidQrSession(h);
    const before = await scrape(h);
    const refund = await postRefund(h, refundBody({ paymentSessionId: session.id }));
    expect(refund.status, JSON.stringify(refund.body)).toBe(200);
    const created = await scrape(h);
    expect(moved(before, created, REFUNDS, { status: 'PENDING' })).toBe(1);
    expect(totalOf(created, REFUNDS) - totalOf(before, REFUNDS)).toBe(1);

    h.clock.advance(h.ctx.sandboxRefundDelayMs + 1);
    expect(await advanceDueRefunds(h.ctx)).toBe(1);
    const stepped = await scrape(h);
    const now = (await h.api('GET', `/v1/refunds/${refund.body.data.id}`)).body.data.status;
    expect(now).not.toBe('PENDING');
    expect(moved(created, stepped, REFUNDS, { status: now })).toBe(1);
    expect(totalOf(stepped, REFUNDS) - totalOf(created, REFUNDS)).toBe(1);
  });

  it('counts callbacks delivered and failing, with their latency, and the outbox drains', async () => {
    failingSessionId = await create(seedAutoConfirmBody());
    const before = await scrape(h);
    expect(sample(before, 'kasir_outbox_pending')).toBeGreaterThanOrEqual(1);
    const dispatcher = startDispatcher(h, { metrics: h.metrics });
    try {
      await drain(h, dispatcher);
    } finally {
      await dispatcher.stop();
    }
    const after = await scrape(h);
    const attempts = (outcome: string) => moved(before, after, 'kasir_callback_attempts_total', { outcome });
    const timed = (outcome: string) => moved(before, after, 'kasir_callback_attempt_duration_seconds_count', { outcome });
    // The failing session's one callback: the first attempt and one retry (schedule 0.1 s, 0.2 s) ask again,
    // the last gives up; everything the earlier tests owed is delivered.
    expect(attempts('retry')).toBe(2);
    expect(attempts('give-up')).toBe(1);
    expect(attempts('delivered')).toBeGreaterThanOrEqual(1);
    for (const outcome of ['retry', 'give-up', 'delivered']) expect(timed(outcome)).toBe(attempts(outcome));
    expect(sample(after, 'kasir_outbox_pending')).toBe(0);
    expect(sample(after, 'kasir_outbox_oldest_pending_age_seconds')).toBe(0);
  });

  it(
    kind === 'postgres'
      ? "gives the pool's connections from pg's own counters"
      : 'has no pool figures: SQLite has one connection',
    async () => {
      const text = await scrape(h);
      if (kind === 'sqlite') {
        expect(declares(text, 'kasir_db_pool_connections')).toBe(false);
        return;
      }
      // The harness's pool (test/helpers/harness.ts: 20); the scrape's own backlog query has come and gone.
      expect(sample(text, 'kasir_db_pool_max_connections')).toBe(20);
      const open =
        sample(text, 'kasir_db_pool_connections', { state: 'idle' }) +
        sample(text, 'kasir_db_pool_connections', { state: 'in_use' });
      expect(open).toBeGreaterThanOrEqual(1);
      expect(open).toBeLessThanOrEqual(20);
      expect(sample(text, 'kasir_db_pool_waiting_queries')).toBe(0);
    },
  );
  // Last: it moves the clock by hours, past every session's expiry and the harness token's lifetime.
  it("counts the sweeper's expiries once, when they commit", async () => {
    const before = await scrape(h);
    h.clock.advance(2 * 3_600_000);
    const expired = await expireDueSessions(h.ctx);
    // The confirmed session of the first test and the failing one of the callbacks test were still open.
    expect(expired).toBe(2);
    expect(await expireDueSessions(h.ctx)).toBe(0);
    const after = await scrape(h);
    expect(moved(before, after, MOVES, { method: 'VIRTUAL_ACCOUNT', from: 'REQUIRE_ACTION', to: 'EXPIRED' })).toBe(2);
    expect(totalOf(after, MOVES) - totalOf(before, MOVES)).toBe(2);
  });
});

/** Every series of a counter added up. */
function totalOf(text: string, name: string): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}
