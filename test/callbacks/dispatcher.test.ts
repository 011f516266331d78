// The dispatcher's own guarantees: leases (an expired one is taken again, a live one is left alone),
// a graceful stop that lets sends in flight finish, and a late outcome from a lost lease being dropped.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DB_KINDS, requestId, type Harness } from '../helpers/harness.ts';
import { seedAutoConfirmBody } from '../helpers/bodies.ts';
import { claimDueCallbacks, recordAttempt } from '../../src/store/callbacks.ts';
import { quiet, startDispatcher, type Receiver, startCallbackRig, closeRig } from './receiver.ts';

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
    const first = await claimDueCallbacks(h.store.db, now, now.getTime() + 1000, 100);
    expect(first.map((c) => c.resourceId)).toContain(id);
    expect(await claimDueCallbacks(h.store.db, now, now.getTime() + 1000, 100)).toEqual([]);
    // The lease runs out; someone else takes the row.
    const later = new Date(now.getTime() + 2000);
    const second = await claimDueCallbacks(h.store.db, later, later.getTime() + 1000, 100);
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
