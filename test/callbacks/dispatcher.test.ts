// The dispatcher's own guarantees: leases (an expired one is taken again, a live one is left alone),
// a graceful stop that lets sends in flight finish, and a late outcome from a lost lease being dropped.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DB_KINDS, requestId, type Harness } from '../helpers/harness.ts';
import { seedAutoConfirmBody } from '../helpers/bodies.ts';
import { claimDueCallbacks, recordAttempt } from '../../src/store/callbacks.ts';
import { enqueueCallbacks } from '../../src/store/outbox.ts';
import type { CallbackDispatcher } from '../../src/callbacks/dispatcher.ts';
import { setCallbackUrl } from '../../src/usecases/merchants.ts';
import {
  closeRig,
  drain,
  quiet,
  startCallbackRig,
  startDispatcher,
  startSilentEndpoint,
  type Receiver,
  type SilentEndpoint,
} from './receiver.ts';

describe.each(DB_KINDS)('dispatcher on %s', (kind) => {
  let h: Harness;
  let receiver: Receiver;

  beforeAll(async () => {
    ({ h, receiver } = await startCallbackRig(kind));
  });
  afterAll(() => closeRig({ h, receiver }));
  beforeEach(() => {
    receiver.reset();
    receiver.answer = () => ({});
  });

  const newSession = async () => {
    const res = await h.api('POST', '/v2/payments', seedAutoConfirmBody(), { 'x-request-id': requestId() });
    expect(res.status).toBe(200);
    return res.body.data.id as string;
  };
  const rowOf = (sessionId: string) =>
    h.store.db.selectFrom('callbacks').selectAll().where('resource_id', '=', sessionId).executeTakeFirstOrThrow();

  it('logs one line per attempt: the callback, its event, the attempt number, the answer and the outcome', async () => {
    const logged: Array<{ obj: any; msg: string }> = [];
    const log = { error: () => {}, info: (obj: object, msg: string) => void logged.push({ obj, msg }) };
    receiver.answer = (() => {
      let calls = 0;
      return () => (calls++ === 0 ? { status: 503 } : {});
    })();
    const id = await newSession();
    const dispatcher = startDispatcher(h, { log });
    try {
      await drain(h, dispatcher);
    } finally {
      await dispatcher.stop();
    }
    const row = await rowOf(id);
    const lines = logged.filter((l) => l.msg === 'callback attempt' && l.obj.callbackId === row.id);
    expect(lines.map((l) => l.obj)).toEqual([
      expect.objectContaining({ event: 'PAYMENT.PROCESSING', attempt: 1, httpStatus: 503, outcome: 'retry' }),
      expect.objectContaining({ event: 'PAYMENT.PROCESSING', attempt: 2, httpStatus: 200, outcome: 'delivered' }),
    ]);
    expect(lines[0]!.obj).toMatchObject({ merchantId: h.merchant.id, latencyMs: expect.any(Number) });
  });

  it('takes again a row whose lease ran out (its holder crashed) and leaves a live lease alone', async () => {
    const crashed = await newSession();
    const busy = await newSession();
    const now = h.clock.now().getTime();
    await h.store.db
      .updateTable('callbacks')
      .set({ status: 'DELIVERING', lease_until: now - 1 })
      .where('resource_id', '=', crashed)
      .execute();
    await h.store.db
      .updateTable('callbacks')
      .set({ status: 'DELIVERING', lease_until: now + 60_000 })
      .where('resource_id', '=', busy)
      .execute();
    const dispatcher = startDispatcher(h);
    try {
      await receiver.waitFor((r) => r.some((x) => x.json.data.id === crashed));
      await dispatcher.idle();
      expect((await rowOf(crashed)).status).toBe('DELIVERED');
      await quiet(h, dispatcher); // polls run, but the lease has 50 s left
      expect((await rowOf(busy)).status).toBe('DELIVERING');
      expect(receiver.received.some((x) => x.json.data.id === busy)).toBe(false);
    } finally {
      await dispatcher.stop();
      await h.store.db
        .updateTable('callbacks')
        .set({ status: 'DELIVERED', lease_until: null })
        .where('resource_id', '=', busy)
        .execute();
    }
  });

  it('stop() lets a send in flight finish and record its outcome, and claims nothing after', async () => {
    receiver.answer = () => ({ delayMs: 100 });
    const dispatcher = startDispatcher(h);
    const id = await newSession();
    await receiver.waitFor((r) => r.length === 1);
    await dispatcher.stop();
    const row = await rowOf(id);
    expect(row.status).toBe('DELIVERED');
    const later = await newSession();
    h.clock.advance(10_000); // a running dispatcher would poll now
    await dispatcher.idle();
    expect((await rowOf(later)).status).toBe('PENDING');
    const again = startDispatcher(h);
    await receiver.waitFor((r) => r.some((x) => x.json.data.id === later));
    await again.stop();
  });

  it('a claim takes each due row once; an outcome recorded under a lost lease is dropped', async () => {
    const id = await newSession();
    const now = h.clock.now();
    const first = await claimDueCallbacks(h.store.db, now, now.getTime() + 1000, 100, h.merchant.id);
    expect(first.map((c) => c.resourceId)).toContain(id);
    expect(await claimDueCallbacks(h.store.db, now, now.getTime() + 1000, 100, h.merchant.id)).toEqual([]);
    // The lease runs out; someone else takes the row.
    const later = new Date(now.getTime() + 2000);
    const second = await claimDueCallbacks(h.store.db, later, later.getTime() + 1000, 100, h.merchant.id);
    expect(second.map((c) => c.resourceId)).toContain(id);
    const mine = first.find((c) => c.resourceId === id)!;
    const attempt = {
      callbackId: mine.id,
      attemptedAt: later,
      httpStatus: 200,
      latencyMs: 1,
      responseExcerpt: null,
      error: null,
    };
    const stale = await recordAttempt(h.store.db, mine, {
      attempt: { id: 'cba_stale', ...attempt },
      status: 'DELIVERED',
      nextAttemptAt: later,
      deliveredAt: later,
    });
    expect(stale).toBe(false);
    expect((await rowOf(id)).status).toBe('DELIVERING');
    const theirs = second.find((c) => c.resourceId === id)!;
    expect(
      await recordAttempt(h.store.db, theirs, {
        attempt: { id: 'cba_live', ...attempt },
        status: 'DELIVERED',
        nextAttemptAt: later,
        deliveredAt: later,
      }),
    ).toBe(true);
    expect((await rowOf(id)).status).toBe('DELIVERED');
  });
});

describe.each(DB_KINDS)('fair delivery on %s', (kind) => {
  const CAP = 4;
  let h: Harness;
  let receiver: Receiver;
  let silent: SilentEndpoint;
  let dispatcher: CallbackDispatcher | undefined;
  /** Merchant A: its endpoint accepts connections and never answers. */
  let merchantA: string;

  beforeAll(async () => {
    ({ h, receiver } = await startCallbackRig(kind));
    silent = await startSilentEndpoint();
    merchantA = (await h.otherMerchant()).merchant.id;
    await setCallbackUrl(h.store.db, merchantA, silent.url);
  });
  afterAll(async () => {
    await dispatcher?.stop();
    await closeRig({ h, receiver });
    await silent.close();
  });

  const queueForA = (count: number) =>
    enqueueCallbacks(
      h.store.db,
      Array.from({ length: count }, () => ({
        id: `cb_${randomUUID()}`,
        merchantId: merchantA,
        resource: { type: 'payment_session' as const, id: randomUUID() },
        event: 'PAYMENT.PAID' as const,
        payload: JSON.stringify({ event: 'PAYMENT.PAID', data: { id: 'for-a' } }),
      })),
      h.clock.now(),
    );
  const rowsOfA = () => h.store.db.selectFrom('callbacks').selectAll().where('merchant_id', '=', merchantA).execute();
  const attemptsOfA = () =>
    h.store.db
      .selectFrom('callback_attempts')
      .innerJoin('callbacks', 'callbacks.id', 'callback_attempts.callback_id')
      .select(['callback_attempts.callback_id', 'callback_attempts.error', 'callback_attempts.http_status'])
      .where('callbacks.merchant_id', '=', merchantA)
      .execute();

  it("shares the slots out merchant by merchant, within each merchant's cap and the total", async () => {
    const merchants = [h.merchant.id, (await h.otherMerchant()).merchant.id, (await h.otherMerchant()).merchant.id];
    for (const id of merchants) await setCallbackUrl(h.store.db, id, receiver.url);
    // Each merchant has 5 due callbacks; the first merchant's are the oldest, the last one's the newest.
    for (const [n, merchantId] of merchants.entries()) {
      await enqueueCallbacks(
        h.store.db,
        Array.from({ length: 5 }, () => ({
          id: `cb_${randomUUID()}`,
          merchantId,
          resource: { type: 'payment_session' as const, id: randomUUID() },
          event: 'PAYMENT.PAID' as const,
          payload: JSON.stringify({ event: 'PAYMENT.PAID', data: { id: `merchant-${n}` } }),
        })),
        new Date(h.clock.now().getTime() - 1000 + n),
      );
    }
    receiver.reset();
    receiver.answer = () => ({ delayMs: 300 });
    const fair = startDispatcher(h, { concurrency: 5, merchantConcurrency: 2 });
    try {
      // Nothing is answered for 300 ms, so the first five requests are all the first claim round sent.
      await receiver.waitFor((r) => r.length >= 5);
      const perMerchant = receiver.received.slice(0, 5).map((r) => r.json.data.id);
      expect(perMerchant.sort()).toEqual(['merchant-0', 'merchant-0', 'merchant-1', 'merchant-1', 'merchant-2']);
      await drain(h, fair);
      expect(receiver.received.filter((r) => r.json.data.id.startsWith('merchant-'))).toHaveLength(15);
    } finally {
      await fair.stop();
      receiver.answer = () => ({});
    }
  });

  it("200 callbacks to a merchant's dead endpoint: another merchant's callback still lands within 2 s", async () => {
    await queueForA(200);
    dispatcher = startDispatcher(h, {
      timeoutMs: 1000,
      merchantConcurrency: CAP,
      breaker: { failures: CAP, cooldownMs: 60_000 },
    });
    await until(() => silent.requests() >= 1, 'A receives its first requests');

    const started = performance.now();
    const res = await h.api('POST', '/v2/payments', seedAutoConfirmBody(), { 'x-request-id': requestId() });
    expect(res.status).toBe(200);
    await receiver.waitFor((r) => r.some((x) => x.json.data.id === res.body.data.id), 2000);
    expect(performance.now() - started).toBeLessThan(2000);
    // A never had more than its cap of requests hanging at once.
    expect(silent.maxOpen()).toBeLessThanOrEqual(CAP);
  });

  it('after a run of failures the breaker stops calling A and records each skipped attempt, losing none', async () => {
    // The first CAP attempts time out (1 s); CAP failures in a row open the breaker.
    await until(async () => (await attemptsOfA()).some((a) => a.error?.startsWith('not sent')), 'the breaker opens');
    // Sends that began before it opened run out their timeout.
    await dispatcher!.idle();
    const requestsWhenOpen = silent.requests();
    expect(requestsWhenOpen).toBeLessThan(2 * CAP);
    const rows = await rowsOfA();
    expect(rows).toHaveLength(200);
    // Every callback of A had an attempt (real or skipped) and waits for its next one; none is lost or FAILED.
    expect(rows.filter((r) => r.status !== 'PENDING')).toEqual([]);
    expect(rows.every((r) => Number(r.attempt_count) >= 1)).toBe(true);
    const skipped = (await attemptsOfA()).filter((a) => a.error?.startsWith('not sent'));
    expect(skipped.length).toBeGreaterThanOrEqual(200 - 2 * CAP);
    expect(skipped.every((a) => a.http_status === null)).toBe(true);
    // While it is open, due retries of A (the schedule's 0.1 s, 0.2 s) are not sent, and a skipped callback
    // waits for the cooldown: one outage spends one step of its schedule, not all of them.
    h.clock.advance(1000);
    await dispatcher!.idle();
    h.clock.advance(1000);
    await dispatcher!.idle();
    expect(silent.requests()).toBe(requestsWhenOpen);
    const later = await rowsOfA();
    expect(later.filter((r) => r.status !== 'PENDING')).toEqual([]);
    const skippedPerRow = new Map<string, number>();
    for (const a of await attemptsOfA())
      if (a.error?.startsWith('not sent')) skippedPerRow.set(a.callback_id, (skippedPerRow.get(a.callback_id) ?? 0) + 1);
    expect(Math.max(...skippedPerRow.values())).toBe(1);
  });

  it('once the cooldown passes, one probe goes out; when it succeeds every callback of A is delivered', async () => {
    await setCallbackUrl(h.store.db, merchantA, receiver.url);
    receiver.reset();
    receiver.answer = (_r, n) => (n === 0 ? { delayMs: 300 } : {});
    h.clock.advance(60_000);
    await drain(h, dispatcher!);
    // The probe went out alone; the rest followed once it had succeeded.
    const [probe, next] = receiver.received;
    expect(next!.at - probe!.at).toBeGreaterThanOrEqual(250);
    const rows = await rowsOfA();
    expect(rows.filter((r) => r.status !== 'DELIVERED')).toEqual([]);
    const delivered = new Set(receiver.received.map((r) => String(r.headers['webhook-id'])));
    for (const row of rows) expect(delivered.has(row.id)).toBe(true);
  });
});

/** Resolves once the condition holds; fails after `timeoutMs` (a bound, not a wait). */
async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
