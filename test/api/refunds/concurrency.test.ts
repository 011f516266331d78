// 50 partial refunds of one payment at once: however they interleave, the refunds that are not FAILED
// never add up to more than was paid, the ones that fit all succeed, and every loser is a clear 422. On
// PostgreSQL the requests really run in parallel on the pool; on SQLite the transactions serialise.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, makeHarness, type Harness } from '../../helpers/harness.ts';
import { paidMultipleQr, paidSession, postRefund, refundBody } from '../../helpers/refunds.ts';

const N = 50;

describe.each(DB_KINDS)('concurrent refunds on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness(kind);
  });
  afterAll(async () => h.close());

  async function race(target: Record<string, string>, amounts: number[]) {
    const results = await Promise.all(
      amounts.map((value) => postRefund(h, refundBody(target, { amount: { value: String(value), currency: 'IDR' } }))),
    );
    const won = results.filter((r) => r.status === 200);
    const lost = results.filter((r) => r.status !== 200);
    const lostAmounts = amounts.filter((_, i) => results[i]!.status !== 200);
    for (const res of lost) {
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body).toMatchObject({ code: 'refund_amount_exceeded', error: { type: 'API_ERROR', source: 'UPSTREAM' } });
    }
    return { won, lost, lostAmounts };
  }

  async function storedSum(chargeId: string): Promise<{ refunds: number; reserved: number }> {
    const rows = await h.store.db
      .selectFrom('refunds')
      .select(['amount_value', 'status'])
      .where('charge_id', '=', chargeId)
      .execute();
    const charge = await h.store.db
      .selectFrom('charges')
      .select('refund_reserved')
      .where('id', '=', chargeId)
      .executeTakeFirstOrThrow();
    return {
      refunds: rows.filter((r) => r.status !== 'FAILED').reduce((sum, r) => sum + Number(r.amount_value), 0),
      reserved: Number(charge.refund_reserved),
    };
  }

  it('50 refunds of 1,000 on a 10,000 payment: exactly 10 succeed, 40 get 422, never more than paid', async () => {
    const session = await paidSession(h);
    const { won, lost } = await race({ paymentSessionId: session.id }, Array(N).fill(1000));
    expect(won).toHaveLength(10);
    expect(lost).toHaveLength(40);
    const sum = await storedSum(session.chargeDetails[0].id);
    expect(sum).toEqual({ refunds: 10_000, reserved: 10_000 });
    const callbacks = await h.store.db
      .selectFrom('callbacks')
      .select('event')
      .where(
        'resource_id',
        'in',
        won.map((r) => r.body.data.id),
      )
      .execute();
    expect(callbacks.map((c) => c.event)).toEqual(Array(10).fill('REFUND.PENDING'));
  });

  it('50 refunds of mixed sizes, again and again: the winners never pass what was paid', async () => {
    for (let round = 0; round < 3; round++) {
      const session = await paidSession(h);
      const amounts = Array.from({ length: N }, (_, i) => 100 + ((i * 37 + round * 11) % 900));
      const { won, lostAmounts } = await race({ paymentSessionId: session.id }, amounts);
      const granted = won.reduce((sum, r) => sum + Number(r.body.data.amount.value), 0);
      expect(granted).toBeLessThanOrEqual(10_000);
      // A refund lost only because it no longer fitted: what is left is smaller than each loser.
      expect(lostAmounts.length).toBeGreaterThan(0);
      for (const amount of lostAmounts) expect(10_000 - granted).toBeLessThan(amount);
      expect(await storedSum(session.chargeDetails[0].id)).toEqual({ refunds: granted, reserved: granted });
    }
  });

  it('refunds of two charges of one MULTIPLE session, all at once, each capped by its own charge', async () => {
    const { chargeIds } = await paidMultipleQr(h, [5000, 3000]);
    const [first, second] = chargeIds as [string, string];
    const results = await Promise.all([
      ...Array.from({ length: N / 2 }, () =>
        postRefund(h, refundBody({ chargeId: first }, { amount: { value: '1000', currency: 'IDR' } })),
      ),
      ...Array.from({ length: N / 2 }, () =>
        postRefund(h, refundBody({ chargeId: second }, { amount: { value: '1000', currency: 'IDR' } })),
      ),
    ]);
    expect(results.filter((r) => r.status === 200)).toHaveLength(8);
    expect(results.filter((r) => r.status === 422)).toHaveLength(42);
    expect(await storedSum(first)).toEqual({ refunds: 5000, reserved: 5000 });
    expect(await storedSum(second)).toEqual({ refunds: 3000, reserved: 3000 });
  });
});
