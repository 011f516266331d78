// Retry policy: network errors, timeouts, 5xx, 408 and 429 are retried on the schedule, then FAILED;
// other answers end it at once; redirects are not followed; a flaky receiver still gets everything.
import { afterAll, assert, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { DB_KINDS, makeHarness, requestId, type Harness } from '../helpers/harness.ts';
import { seedAutoConfirmBody } from '../helpers/bodies.ts';
import type { CallbackDispatcher } from '../../src/callbacks/dispatcher.ts';
import { rotateWebhookSecret, setCallbackUrl } from '../../src/usecases/merchants.ts';
import { findMerchant } from '../../src/store/merchants.ts';
import { drain, quiet, startDispatcher, startReceiver, type Receiver, startCallbackRig, closeRig } from './receiver.ts';
import { freePort } from '../helpers/process.ts';

const SCHEDULE = [0.1, 0.2];

/** A port nothing listens on (freed right after it was found free). */
const closedPort = freePort;

describe.each(DB_KINDS)('callback retries on %s', (kind) => {
  let h: Harness;
  let receiver: Receiver;
  let dispatcher: CallbackDispatcher;

  beforeAll(async () => {
    ({ h, receiver } = await startCallbackRig(kind));
    // One merchant fails on purpose test after test here; its circuit breaker (dispatcher.test.ts) would
    // open and skip attempts, so it is set out of reach: this suite is about each callback's own schedule.
    dispatcher = startDispatcher(h, { retrySchedule: SCHEDULE, timeoutMs: 400, breaker: { failures: 1_000_000, cooldownMs: 1 } });
  });
  afterAll(() => closeRig({ h, receiver, dispatcher }));
  beforeEach(async () => {
    receiver.reset();
    receiver.answer = () => ({});
    await setCallbackUrl(h.store.db, h.merchant.id, receiver.url);
  });

  /** A session whose only callback so far is PAYMENT.PROCESSING. */
  const newCallback = async () => {
    const res = await h.api('POST', '/v2/payments', seedAutoConfirmBody(), { 'x-request-id': requestId() });
    expect(res.status).toBe(200);
    return res.body.data.id as string;
  };
  const history = async (sessionId: string) => {
    const res = await h.api('GET', `/v2/callbacks?paymentSessionId=${sessionId}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.data[0];
  };
  /** Runs the retry schedule on the clock until the session's callback is DELIVERED or FAILED. */
  const settled = async (sessionId: string) => {
    await drain(h, dispatcher);
    const cb = await history(sessionId);
    if (cb?.status !== 'DELIVERED' && cb?.status !== 'FAILED') throw new Error(`callback of ${sessionId} still ${cb?.status}`);
    return cb;
  };
  const attemptTimes = (cb: { attempts: Array<{ attemptedAt: string }> }) => cb.attempts.map((a) => Date.parse(a.attemptedAt));
  const forSession = (id: string) => receiver.received.filter((r) => r.json.data?.id === id);

  it.each([500, 503, 408, 429])('retries after HTTP %i with the same webhook-id, then delivers', async (status) => {
    receiver.answer = (_r, n) => (n === 0 ? { status, body: `nope ${status}` } : {});
    const id = await newCallback();
    const cb = await settled(id);
    expect(cb.status).toBe('DELIVERED');
    expect(cb.attempts.map((a: { httpStatus: number }) => a.httpStatus)).toEqual([status, 200]);
    expect(cb.attempts[0].responseExcerpt).toBe(`nope ${status}`);
    const got = forSession(id);
    expect(got).toHaveLength(2);
    expect(got[0]!.headers['webhook-id']).toBe(cb.id);
    expect(got[1]!.headers['webhook-id']).toBe(cb.id);
    expect(got[1]!.body).toBe(got[0]!.body);
    // The retry waited out the schedule's first step on the clock.
    const [first, second] = attemptTimes(cb);
    expect(second! - first!).toBeGreaterThanOrEqual(SCHEDULE[0]! * 1000);
    // Each attempt is signed afresh and verifies on its own.
    const verifier = new Webhook(h.merchant.webhookSecret);
    for (const r of got) {
      verifier.verify(r.body, {
        'webhook-id': String(r.headers['webhook-id']),
        'webhook-timestamp': String(r.headers['webhook-timestamp']),
        'webhook-signature': String(r.headers['webhook-signature']),
      });
    }
  });

  it('retries a timeout (no answer within the timeout) and a dropped connection', async () => {
    receiver.answer = (_r, n) => (n === 0 ? { delayMs: 1500 } : n === 1 ? { destroy: true } : {});
    const id = await newCallback();
    const cb = await settled(id);
    expect(cb.status).toBe('DELIVERED');
    expect(cb.attempts).toHaveLength(3);
    expect(cb.attempts[0]).toMatchObject({ httpStatus: null, error: expect.stringMatching(/timeout/) });
    expect(cb.attempts[0].latencyMs).toBeGreaterThanOrEqual(350);
    expect(cb.attempts[0].latencyMs).toBeLessThan(1400);
    expect(cb.attempts[1]).toMatchObject({ httpStatus: null, error: expect.any(String) });
    expect(cb.attempts[2].httpStatus).toBe(200);
  });

  it('retries connection refused on the schedule, then marks the callback FAILED', async () => {
    await setCallbackUrl(h.store.db, h.merchant.id, `http://127.0.0.1:${await closedPort()}/cb`);
    const id = await newCallback();
    const cb = await settled(id);
    expect(cb.status).toBe('FAILED');
    expect(cb.nextAttemptAt).toBeNull();
    expect(cb.attempts).toHaveLength(1 + SCHEDULE.length);
    expect(cb.attempts.every((a: { error: string }) => /ECONNREFUSED/.test(a.error))).toBe(true);
    const times = attemptTimes(cb);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(100);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(200);
    await quiet(h, dispatcher);
    expect((await history(id)).attempts).toHaveLength(3); // nothing after the schedule is spent
  });

  it('marks FAILED after the last scheduled retry when the receiver keeps answering 500', async () => {
    receiver.answer = () => ({ status: 500 });
    const id = await newCallback();
    const cb = await settled(id);
    expect(cb.status).toBe('FAILED');
    expect(forSession(id)).toHaveLength(3);
  });

  it.each([400, 401, 404, 410])('does not retry HTTP %i: recorded and FAILED at once', async (status) => {
    receiver.answer = () => ({ status, body: 'go away' });
    const id = await newCallback();
    const cb = await settled(id);
    expect(cb.status).toBe('FAILED');
    expect(cb.attempts).toEqual([expect.objectContaining({ httpStatus: status, responseExcerpt: 'go away' })]);
    await quiet(h, dispatcher);
    expect(forSession(id)).toHaveLength(1);
  });

  it('an API key HTTP cannot carry (stored before keys were checked) fails at once, saying why', async () => {
    const good = h.merchant.callbackApiKey;
    await h.store.db
      .updateTable('merchants')
      .set({ callback_api_key: 'key\r\nX-Injected: 1' })
      .where('id', '=', h.merchant.id)
      .execute();
    try {
      const id = await newCallback();
      const cb = await settled(id);
      expect(cb.status).toBe('FAILED');
      expect(cb.attempts).toEqual([
        expect.objectContaining({ httpStatus: null, error: expect.stringMatching(/callback API key must be printable ASCII/) }),
      ]);
      await quiet(h, dispatcher);
      expect(forSession(id)).toHaveLength(0);
    } finally {
      await h.store.db.updateTable('merchants').set({ callback_api_key: good }).where('id', '=', h.merchant.id).execute();
    }
  });

  it('does not follow a redirect: 302 is a failure and the target is never called', async () => {
    const target = await startReceiver();
    try {
      receiver.answer = () => ({ status: 302, headers: { location: target.url } });
      const id = await newCallback();
      const cb = await settled(id);
      expect(cb.status).toBe('FAILED');
      expect(cb.attempts.map((a: { httpStatus: number }) => a.httpStatus)).toEqual([302]);
      await quiet(h, dispatcher);
      expect(target.received).toHaveLength(0);
    } finally {
      await target.close();
    }
  });

  it('trims the response excerpt to 200 characters', async () => {
    receiver.answer = () => ({ body: 'x'.repeat(5000) });
    const cb = await settled(await newCallback());
    expect(cb.attempts[0].responseExcerpt).toBe('x'.repeat(200));
  });

  it('during a secret rotation both signatures are sent and each secret verifies; after it only the new one', async () => {
    const before = (await findMerchant(h.store.db, h.merchant.id))!.webhookSecret;
    const rotated = await rotateWebhookSecret(h.store.db, h.merchant.id, 3600_000, h.clock.now());
    expect(rotated.webhookSecret).not.toBe(before);
    const id = await newCallback();
    await settled(id);
    const [r] = forSession(id);
    assert(r, 'the callback was received');
    const headers = {
      'webhook-id': String(r.headers['webhook-id']),
      'webhook-timestamp': String(r.headers['webhook-timestamp']),
      'webhook-signature': String(r.headers['webhook-signature']),
    };
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(rotated.webhookSecret).verify(r.body, headers)).toEqual(r.json);
    expect(new Webhook(before).verify(r.body, headers)).toEqual(r.json);

    const again = await rotateWebhookSecret(h.store.db, h.merchant.id, 0, h.clock.now());
    const id2 = await newCallback();
    await settled(id2);
    const [r2] = forSession(id2);
    assert(r2, 'the callback was received');
    const headers2 = {
      'webhook-id': String(r2.headers['webhook-id']),
      'webhook-timestamp': String(r2.headers['webhook-timestamp']),
      'webhook-signature': String(r2.headers['webhook-signature']),
    };
    expect(headers2['webhook-signature'].split(' ')).toHaveLength(1);
    expect(new Webhook(again.webhookSecret).verify(r2.body, headers2)).toEqual(r2.json);
    expect(() => new Webhook(rotated.webhookSecret).verify(r2.body, headers2)).toThrow();
  });
});

describe.each(DB_KINDS)('a receiver that fails half the time on %s', (kind) => {
  it('still receives every callback', async () => {
    const receiver = await startReceiver();
    const h = await makeHarness(kind, { callbackUrl: receiver.url });
    // 20 quick retries: a callback failing 21 times in a row at 50% is a one-in-two-million event. The
    // receiver never stalls, so a generous timeout costs nothing and a loaded machine adds no failures.
    // The circuit breaker stays out of it: five failures in a row happen often at 50%, and each time the
    // circuit opens every waiting callback spends an attempt on a skip (the breaker has its own suite).
    const dispatcher = startDispatcher(h, {
      retrySchedule: Array(20).fill(0.02),
      timeoutMs: 5000,
      breaker: { failures: 1000, cooldownMs: 1 },
    });
    receiver.answer = () => {
      const roll = Math.random();
      if (roll < 0.3) return { status: 500 };
      if (roll < 0.4) return { status: 429 };
      if (roll < 0.5) return { destroy: true };
      return {};
    };
    try {
      const ids: string[] = [];
      for (let i = 0; i < 30; i++) {
        const res = await h.api('POST', '/v2/payments', seedAutoConfirmBody(), { 'x-request-id': requestId() });
        ids.push(res.body.data.id);
        const paid = await h.api('POST', '/v2/payments/simulations', { paymentSessionId: ids[i], chargeStatus: 'SUCCESS' });
        expect(paid.status).toBe(200);
      }
      const rows = () => h.store.db.selectFrom('callbacks').select(['id', 'status']).execute();
      await drain(h, dispatcher);
      const all = await rows();
      const undelivered = all.filter((r) => r.status !== 'DELIVERED').map((r) => r.id);
      // On a failure, show what each attempt of an undelivered callback met, not just that it failed.
      const theirAttempts = undelivered.length
        ? await h.store.db
            .selectFrom('callback_attempts')
            .select(['callback_id', 'http_status', 'error'])
            .where('callback_id', 'in', undelivered)
            .execute()
        : [];
      expect(theirAttempts).toEqual([]);
      expect(undelivered).toEqual([]);
      expect(all).toHaveLength(60);
      const failures = receiver.received.length - 60;
      expect(failures).toBeGreaterThan(10); // the receiver really did fail a lot
      // Every callback reached the receiver (the ones it answered with 200 at least).
      const ids200 = new Set(receiver.received.map((r) => String(r.headers['webhook-id'])));
      for (const row of all) expect(ids200.has(row.id)).toBe(true);
      const events = new Map<string, string[]>();
      for (const r of receiver.received)
        events.set(r.json.data.id, [...new Set([...(events.get(r.json.data.id) ?? []), r.json.event])]);
      for (const id of ids) expect(events.get(id)?.sort()).toEqual(['PAYMENT.PAID', 'PAYMENT.PROCESSING']);
    } finally {
      await dispatcher.stop();
      await h.close();
      await receiver.close();
    }
  });
});
