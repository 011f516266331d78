// A payment's timeline on both databases: created, charge issued, paid, captured, refunded, expired, and
// each callback with every attempt — here a merchant endpoint that answers 500, so callbacks fail after
// their retries. Only the merchant's own session is found; what it sent comes back as sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallbackDispatcher } from '../../../src/callbacks/dispatcher.ts';
import { capturePayment } from '../../../src/usecases/capture-payment.ts';
import { paymentTimeline, type TimelineEvent } from '../../../src/usecases/dashboard/timeline.ts';
import { cardSessionBody, encryptCard, futureExpiry } from '../../helpers/cards.ts';
import { DB_KINDS, requestId, type Harness } from '../../helpers/harness.ts';
import { postRefund, refundBody } from '../../helpers/refunds.ts';
import { closeRig, drain, startCallbackRig, startDispatcher, type Receiver } from '../../callbacks/receiver.ts';
import { bodyOf, create, pay } from './fixtures.ts';

const types = (events: TimelineEvent[]) => events.map((e) => (e.type === 'callback' ? `callback ${e.callback.event}` : e.type));

describe.each(DB_KINDS)('payment timeline on %s', (kind) => {
  let h: Harness;
  let receiver: Receiver;
  let dispatcher: CallbackDispatcher;
  const metadata = { invoiceNo: 'INV-9', '2024-01-01': '2024-01-01T00:00:00Z', nested: { createdAt: '2024-01-01', n: 1.5 } };
  let paidId: string;
  let refundId: string;

  beforeAll(async () => {
    ({ h, receiver } = await startCallbackRig(kind));
    receiver.answer = () => ({ status: 500, body: 'down for maintenance' });
    // The circuit breaker stays out: its skips would be attempts without an HTTP answer.
    dispatcher = startDispatcher(h, { breaker: { failures: 1000, cooldownMs: 1 } });
    paidId = await create(h, bodyOf(h, 'va', { metadata }));
    h.clock.advance(1000);
    await pay(h, paidId);
    h.clock.advance(1000);
    const refund = await postRefund(h, refundBody({ paymentSessionId: paidId }));
    expect(refund.status, JSON.stringify(refund.body)).toBe(200);
    refundId = refund.body.data.id;
    h.clock.advance(1000);
    const settled = await h.api('POST', '/v1/refunds/simulations', { refundId, status: 'SUCCESS' });
    expect(settled.status, JSON.stringify(settled.body)).toBe(200);
    await drain(h, dispatcher);
  });
  afterAll(() => closeRig({ h, receiver, dispatcher }));

  it('orders what happened to a paid and refunded payment, each callback with its failed attempts', async () => {
    const timeline = await paymentTimeline(h.ctx, h.merchant.id, paidId);
    expect(timeline.session).toMatchObject({ id: paidId, status: 'PAID', methodType: 'VIRTUAL_ACCOUNT' });
    expect(types(timeline.events)).toEqual([
      'session.created',
      'charge.issued',
      'session.status',
      'callback PAYMENT.PROCESSING',
      'charge.paid',
      'session.status',
      'callback PAYMENT.PAID',
      'refund.created',
      'refund.status',
      'callback REFUND.PENDING',
      'refund.status',
      'callback REFUND.SUCCESS',
    ]);
    const at = timeline.events.map((e) => Date.parse(e.at));
    expect(at).toEqual([...at].sort((a, b) => a - b));
    const [created, issued, processing, , paid, paidStatus] = timeline.events;
    expect(issued).toMatchObject({ type: 'charge.issued', methodType: 'VIRTUAL_ACCOUNT', channel: 'PERMATA', at: created!.at });
    expect(processing!.at).toBe(timeline.events[3]!.at);
    // Pivot's PAYMENT.PROCESSING announces the issued charge: the session waits for the shopper.
    expect(processing).toMatchObject({ type: 'session.status', status: 'REQUIRE_ACTION' });
    expect(Date.parse(processing!.at)).toBeGreaterThanOrEqual(Date.parse(created!.at));
    expect(paid).toMatchObject({ type: 'charge.paid', amount: { value: 10000, currency: 'IDR' } });
    expect(Date.parse(paid!.at) - Date.parse(created!.at)).toBeGreaterThanOrEqual(1000);
    expect(paidStatus).toMatchObject({ type: 'session.status', status: 'PAID' });
    expect(Date.parse(paidStatus!.at) - Date.parse(paid!.at)).toBeLessThan(1000);
    expect(timeline.events.filter((e) => e.type === 'refund.status').map((e) => 'status' in e && e.status)).toEqual([
      'PENDING',
      'SUCCESS',
    ]);
    expect(timeline.events.find((e) => e.type === 'refund.created')).toMatchObject({
      refundId,
      amount: { value: 3000, currency: 'IDR' },
      reason: 'REQUESTED_BY_CUSTOMER',
    });

    const callbacks = timeline.events.flatMap((e) => (e.type === 'callback' ? [e.callback] : []));
    expect(callbacks).toHaveLength(4);
    for (const callback of callbacks) {
      expect(callback.status).toBe('FAILED');
      expect(callback.deliveredAt).toBeNull();
      // The first try and the two retries of the test schedule, oldest first.
      expect(callback.attempts).toHaveLength(3);
      const times = callback.attempts.map((a) => Date.parse(a.attemptedAt));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      for (const attempt of callback.attempts) {
        expect(attempt).toMatchObject({ httpStatus: 500, responseExcerpt: 'down for maintenance' });
        expect(attempt.latencyMs).toBeGreaterThanOrEqual(0);
      }
    }
    expect(callbacks.filter((c) => c.resourceType === 'refund').map((c) => c.resourceId)).toEqual([refundId, refundId]);
  });

  it('gives back what the merchant sent, unchanged', async () => {
    const { merchantData } = await paymentTimeline(h.ctx, h.merchant.id, paidId);
    expect(merchantData.metadata).toStrictEqual(metadata);
    expect(merchantData.customer).toMatchObject({ email: 'reforza@pivot-payment.com', givenName: 'Reforza Jordan' });
    expect(merchantData.orderInformation).toMatchObject({ productDetails: [{ name: 'Dress Kasual Warna Putih' }] });
  });

  it('shows each capture of a manual card charge', async () => {
    const s = (
      await h.api('POST', '/v2/payments', cardSessionBody({ mode: 'API', autoConfirm: false }, { captureMethod: 'manual' }), {
        'x-request-id': requestId(),
      })
    ).body.data;
    const confirmed = await h.api('POST', `/v2/payments/${s.id}/confirm`, {
      paymentMethod: {
        type: 'CARD',
        card: { encryptedCard: encryptCard(s.encryptionKey, { number: '4440000112200001', ...futureExpiry(), cvc: '737' }) },
      },
    });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    const idr = (value: number) => ({ value, currency: 'IDR' });
    h.clock.advance(1000);
    await capturePayment(h.ctx, h.merchant.id, s.id, { releaseRemainingAmount: false, amount: idr(100_000) });
    h.clock.advance(1000);
    await capturePayment(h.ctx, h.merchant.id, s.id, { releaseRemainingAmount: true, amount: idr(40_000) });
    const { events } = await paymentTimeline(h.ctx, h.merchant.id, s.id);
    const captures = events.filter((e) => e.type === 'charge.captured');
    expect(captures.map((e) => 'amount' in e && e.amount.value)).toEqual([100_000, 40_000]);
    expect(captures.map((e) => 'releaseRemainingAmount' in e && e.releaseRemainingAmount)).toEqual([false, true]);
    expect(Date.parse(captures[1]!.at) - Date.parse(captures[0]!.at)).toBeGreaterThanOrEqual(1000);
  });

  it('shows a session past its expiry as expired at its expiry, before the sweeper writes it', async () => {
    const id = await create(h, bodyOf(h, 'va'));
    h.clock.advance(2 * 3600_000);
    const timeline = await paymentTimeline(h.ctx, h.merchant.id, id);
    expect(timeline.session.status).toBe('EXPIRED');
    const last = timeline.events[timeline.events.length - 1]!;
    expect(last).toMatchObject({ type: 'session.status', status: 'EXPIRED', at: timeline.session.expiryAt });
  });

  it('finds only the merchant’s own session (404 otherwise)', async () => {
    const other = await h.otherMerchant();
    await expect(paymentTimeline(h.ctx, other.merchant.id, paidId)).rejects.toMatchObject({ kind: 'not_found' });
    await expect(paymentTimeline(h.ctx, h.merchant.id, 'no-such-session')).rejects.toMatchObject({ kind: 'not_found' });
    await expect(paymentTimeline(h.ctx, h.merchant.id, 'nul\u0000id')).rejects.toMatchObject({ kind: 'not_found' });
  });
});
