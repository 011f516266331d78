// A dispatcher round reads what it takes, not the outbox's backlog (migration 0012): with thousands of one
// merchant's callbacks due, finding the merchants with callbacks due seeks once per merchant, and a claim
// reads the merchant's oldest rows off the index in order, stopping at its limit. Before, both walked
// every due row, and under a burst of payments each round of eight claims read the whole backlog.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimDueCallbacks, merchantsWithDueCallbacks } from '../../../src/store/callbacks.ts';
import { DB_KINDS, makeHarness, type Harness } from '../../helpers/harness.ts';
import { explainRun } from '../../helpers/query-plans.ts';
import { EVENT_RESOURCES } from '../../../src/domain/statuses.ts';

const BACKLOG = 3000;
const EVENT = 'PAYMENT.PAID';
/** Ids sort as the rows were made; the merchant's index keeps the ids apart. */
const idOf = (merchantId: string, i: number) => `cb_${merchantId.slice(-6)}_${String(i).padStart(5, '0')}`;

describe.each(DB_KINDS)('the dispatcher reads the outbox by merchant on %s', (kind) => {
  let h: Harness;
  let other: string;

  beforeAll(async () => {
    h = await makeHarness(kind);
    other = (await h.otherMerchant()).merchant.id;
    const at = h.clock.now().getTime();
    const row = (merchantId: string, i: number) => ({
      id: idOf(merchantId, i),
      merchant_id: merchantId,
      resource_type: EVENT_RESOURCES[EVENT],
      resource_id: `ps_${i}`,
      event: EVENT,
      payload: '{}',
      status: 'PENDING',
      attempt_count: 0,
      next_attempt_at: at - BACKLOG + i,
      lease_until: null,
      created_at: at,
      updated_at: at,
      delivered_at: null,
    });
    const rows = Array.from({ length: BACKLOG }, (_, i) => row(h.merchant.id, i));
    for (let i = 0; i < rows.length; i += 500)
      await h.store.db
        .insertInto('callbacks')
        .values(rows.slice(i, i + 500))
        .execute();
    await h.store.db
      .insertInto('callbacks')
      .values(row(other, BACKLOG - 1))
      .execute();
  });
  afterAll(async () => h?.close());

  it('finds both merchants, the longest waiting first, and claims the oldest rows of each', async () => {
    const now = h.clock.now();
    expect(await merchantsWithDueCallbacks(h.store.db, now, { exclude: [], limit: 10 })).toEqual([h.merchant.id, other]);
    expect(await merchantsWithDueCallbacks(h.store.db, now, { exclude: [h.merchant.id], limit: 10 })).toEqual([other]);
    const claimed = await claimDueCallbacks(h.store.db, now, now.getTime() + 1000, 8, h.merchant.id);
    expect(claimed.map((c) => c.id).sort()).toEqual(Array.from({ length: 8 }, (_, i) => idOf(h.merchant.id, i)));
  });

  it('seeks per merchant and reads a claim off the index in order, never a whole table or every due row', async () => {
    const now = h.clock.now();
    const plans = await explainRun(
      h,
      async () => {
        await merchantsWithDueCallbacks(h.store.db, now, { exclude: [other], limit: 10 });
        await claimDueCallbacks(h.store.db, now, now.getTime() + 1000, 8, other);
      },
      { tables: /^(callbacks|c)$/ },
    );
    expect(plans).toHaveLength(2);
    for (const plan of plans) {
      expect(plan.scans, plan.text).toEqual([]);
      expect(plan.indexes.length, plan.text).toBeGreaterThan(0);
      for (const index of plan.indexes)
        expect(['callbacks_due_by_merchant', 'callbacks_pkey', 'sqlite_autoindex_callbacks_1']).toContain(index);
    }
    if (kind === 'sqlite') {
      // Every read of the due index names the merchant (or walks to the next one): none reads the backlog by time.
      const dueReads = plans.flatMap((p) => p.text.split('\n')).filter((l) => l.includes('callbacks_due_by_merchant'));
      for (const line of dueReads) expect(line).toMatch(/\(status=\?( AND merchant_id[=>]\?.*)?\)$/);
    }
  });
});
