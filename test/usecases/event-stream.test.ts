// EventFollower: a merchant's callbacks in the order written, each once, never one at or before the start,
// and a row whose transaction committed after a later-stamped row was read still goes out (late, once).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueCallbacks } from '../../src/store/outbox.ts';
import { EventFollower, LATE_COMMIT_WINDOW_MS, STREAM_BATCH, positionNow } from '../../src/usecases/event-stream.ts';
import { DB_KINDS, makeHarness, type Harness } from '../helpers/harness.ts';

describe.each(DB_KINDS)('EventFollower (%s)', (kind) => {
  let h: Harness;
  let n = 0;
  beforeAll(async () => {
    h = await makeHarness(kind);
  });
  afterAll(async () => h.close());

  /** A PAYMENT.TEST row stamped `at`, as a transaction that took its time would write it. */
  async function written(at: Date, merchantId = h.merchant.id): Promise<string> {
    const id = `cb-${kind}-${(n++).toString().padStart(6, '0')}`;
    const payload = JSON.stringify({ event: 'PAYMENT.TEST', data: { id } });
    await enqueueCallbacks(
      h.store.db,
      [{ id, merchantId, resource: { type: 'merchant', id: merchantId }, event: 'PAYMENT.TEST', payload }],
      at,
    );
    return id;
  }

  it('returns new rows once, in order, and a late-committed row inside the window once', async () => {
    const start = positionNow(h.ctx);
    const before = await written(new Date(start.createdAt - 1));
    const follower = new EventFollower(h.ctx, h.merchant.id, start);
    expect(await follower.next()).toEqual([]);
    const t = start.createdAt;
    const a = await written(new Date(t + 1000));
    const b = await written(new Date(t + 2000));
    expect((await follower.next()).map((c) => c.id)).toEqual([a, b]);
    expect(await follower.next()).toEqual([]);
    // Stamped before b, visible only now: still sent, once.
    const late = await written(new Date(t + 1500));
    const c = await written(new Date(t + 3000));
    expect((await follower.next()).map((r) => r.id)).toEqual([late, c]);
    expect(await follower.next()).toEqual([]);
    // Older than the window behind the newest sent: given up on (the documented bound).
    await written(new Date(t + 3000 - LATE_COMMIT_WINDOW_MS - 1));
    expect(await follower.next()).toEqual([]);
    expect([a, b, late, c]).not.toContain(before);
  });

  it('goes through more rows than one batch, and never another merchant', async () => {
    const other = await h.otherMerchant();
    // Well after the first test's rows.
    const start = { createdAt: positionNow(h.ctx).createdAt + 60_000, id: '' };
    const follower = new EventFollower(h.ctx, h.merchant.id, start);
    const ids: string[] = [];
    for (let i = 1; i <= STREAM_BATCH + 20; i++) {
      ids.push(await written(new Date(start.createdAt + i)));
      if (i % 10 === 0) await written(new Date(start.createdAt + i), other.merchant.id);
    }
    expect((await follower.next()).map((c) => c.id)).toEqual(ids);
    expect(await follower.next()).toEqual([]);
  });
});
