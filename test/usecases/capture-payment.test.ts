// Captures decided against what the database holds: two captures in the same millisecond (a frozen
// clock) must each see the other's, on both databases. They once did not — the charge row was only
// rewritten when its status or updatedAt changed, so the second capture read a charge without the first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturePayment } from '../../src/usecases/capture-payment.ts';
import { findSession } from '../../src/store/sessions.ts';
import { DB_KINDS, makeHarness, requestId, type Harness } from '../helpers/harness.ts';
import { cardSessionBody, encryptCard, futureExpiry } from '../helpers/cards.ts';

describe.each(DB_KINDS)('capturePayment on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness(kind);
  });
  afterAll(async () => h.close());

  it('captures in one millisecond add up; the next over-capture is refused', async () => {
    const s = (
      await h.api('POST', '/v2/payments', cardSessionBody({ mode: 'API', autoConfirm: false }, { captureMethod: 'manual' }), {
        'x-request-id': requestId(),
      })
    ).body.data;
    await h.api('POST', `/v2/payments/${s.id}/confirm`, {
      paymentMethod: {
        type: 'CARD',
        card: { encryptedCard: encryptCard(s.encryptionKey, { number: '4440000112200001', ...futureExpiry(), cvc: '737' }) },
      },
    });
    const frozen = h.clock.now();
    const ctx = { ...h.ctx, now: () => frozen };
    const idr = (value: number) => ({ value, currency: 'IDR' });
    await capturePayment(ctx, h.merchant.id, s.id, { releaseRemainingAmount: false, amount: idr(100_000) });
    await capturePayment(ctx, h.merchant.id, s.id, { releaseRemainingAmount: false, amount: idr(40_000) });

    const stored = await findSession(h.store.db, h.merchant.id, s.id);
    expect(stored?.charges[0]?.card?.captures?.map((c) => c.amount)).toEqual([100_000, 40_000]);
    await expect(
      capturePayment(ctx, h.merchant.id, s.id, { releaseRemainingAmount: false, amount: idr(20_000) }),
    ).rejects.toMatchObject({ code: 'capture_amount_exceeded' });
  });
});
