// The "done when": a merchant runs the seed flow, refunds part of it twice and the rest with
// isFullAmount, and receives REFUND.* callbacks — Pivot's headers, a Standard Webhooks signature the
// off-the-shelf verifier accepts, and the Refund Object as GET /v1/refunds/{id} shows it — with the same
// history, filters and resend as payment callbacks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import type { CallbackDispatcher } from '../../src/callbacks/dispatcher.ts';
import { advanceDueRefunds } from '../../src/usecases/advance-refunds.ts';
import { DB_KINDS, type Harness } from '../helpers/harness.ts';
import { paidSession, postRefund, refundBody } from '../helpers/refunds.ts';
import { closeRig, quiet, startCallbackRig, startDispatcher, type Receiver } from './receiver.ts';

describe.each(DB_KINDS)('refund callbacks on %s', (kind) => {
  let h: Harness;
  let receiver: Receiver;
  let dispatcher: CallbackDispatcher;
  beforeAll(async () => {
    ({ h, receiver } = await startCallbackRig(kind));
    dispatcher = startDispatcher(h);
  });
  afterAll(() => closeRig({ h, receiver, dispatcher }));

  const refundCallbacks = (id: string) =>
    receiver.received.filter((r) => r.json.event.startsWith('REFUND.') && r.json.data?.id === id);

  /** The sweeper's sandbox step, one delay later, and the callbacks it owes delivered. */
  async function step(): Promise<void> {
    h.clock.advance(h.ctx.sandboxRefundDelayMs);
    await advanceDueRefunds(h.ctx);
    await dispatcher.idle();
  }

  it('seed flow, two partial refunds and the rest: the documented callbacks, each verifiable', async () => {
    const session = await paidSession(h);
    const refunds: any[] = [];
    for (const amount of [{ value: '2000', currency: 'IDR' }, { value: 3000, currency: 'IDR' }, undefined]) {
      const res = await postRefund(
        h,
        refundBody({ paymentSessionId: session.id }, amount ? { amount } : { amount: undefined, isFullAmount: true }),
      );
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      refunds.push(res.body.data);
    }
    expect(refunds.map((r) => r.amount.value)).toEqual(['2000', '3000', '5000']);
    // Kasir delivers at least once, not in order: the PENDING callbacks land before the refunds move on,
    // as each step's do, so the order asserted below is the order the changes happened in.
    await dispatcher.idle();
    await step(); // PENDING → WAITING_BANK_TRANSFER (a VA payment goes back by bank transfer)
    await step(); // → SUCCESS
    await receiver.waitFor(() => refunds.every((r) => refundCallbacks(r.id).length === 3));
    await quiet(h, dispatcher);

    const verifier = new Webhook(h.merchant.webhookSecret);
    for (const refund of refunds) {
      const got = refundCallbacks(refund.id);
      expect(got.map((r) => r.json.event)).toEqual(['REFUND.PENDING', 'REFUND.WAITING_BANK_TRANFER', 'REFUND.SUCCESS']);
      expect(got.map((r) => r.json.data.status)).toEqual(['PENDING', 'WAITING_BANK_TRANSFER', 'SUCCESS']);
      expect(got[0]!.json.data).toEqual(refund);
      const now = await h.api('GET', `/v1/refunds/${refund.id}`);
      expect(got[2]!.json.data).toEqual(now.body.data);
      expect(now.body.data).toMatchObject({ status: 'SUCCESS', destinationType: 'ACCOUNT' });
      for (const r of got) {
        expect(Object.keys(r.json).sort()).toEqual(['data', 'event']);
        expect(r.headers['x-api-key']).toBe(h.merchant.callbackApiKey);
        expect(r.headers['content-type']).toBe('application/json');
        expect(r.headers.accept).toBe('application/json');
        const payload = verifier.verify(r.body, {
          'webhook-id': String(r.headers['webhook-id']),
          'webhook-timestamp': String(r.headers['webhook-timestamp']),
          'webhook-signature': String(r.headers['webhook-signature']),
        });
        expect(payload).toEqual(r.json);
      }
    }
    const paid = await h.api('GET', `/v2/payments/${session.id}`);
    expect(paid.body.data.chargeDetails[0].refundedAmount).toEqual({ value: 10000, currency: 'IDR' });
  });

  it('history filters by refundId, names the resource, and resends like any callback', async () => {
    const session = await paidSession(h);
    const refund = (await postRefund(h, refundBody({ paymentSessionId: session.id }))).body.data;
    await receiver.waitFor(() => refundCallbacks(refund.id).length === 1);
    await dispatcher.idle();
    const history = await h.api('GET', `/v2/callbacks?refundId=${refund.id}`);
    expect(history.status).toBe(200);
    expect(history.body.data).toHaveLength(1);
    const [callback] = history.body.data;
    expect(callback).toMatchObject({
      resourceType: 'refund',
      resourceId: refund.id,
      paymentSessionId: null,
      event: 'REFUND.PENDING',
      status: 'DELIVERED',
      payload: { event: 'REFUND.PENDING', data: refund },
    });
    const ofSession = await h.api('GET', `/v2/callbacks?paymentSessionId=${session.id}`);
    expect(ofSession.body.data.every((c: any) => c.resourceType === 'payment_session' && c.paymentSessionId === session.id)).toBe(
      true,
    );
    const byEvent = await h.api('GET', '/v2/callbacks?event=REFUND.PENDING&perPage=100');
    expect(byEvent.body.data.map((c: any) => c.id)).toContain(callback.id);
    const both = await h.api('GET', `/v2/callbacks?refundId=${refund.id}&paymentSessionId=${session.id}`);
    expect(both.status).toBe(400);

    const resent = await h.api('POST', `/v2/callbacks/${callback.id}/resend`);
    expect(resent.status, JSON.stringify(resent.body)).toBe(200);
    await receiver.waitFor(() => refundCallbacks(refund.id).length === 2);
    const [first, second] = refundCallbacks(refund.id);
    expect(second!.body).toBe(first!.body);
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    const other = await h.otherMerchant();
    const theirs = await h.api('GET', `/v2/callbacks?refundId=${refund.id}`, undefined, {
      authorization: `Bearer ${other.token}`,
    });
    expect(theirs.body.data).toEqual([]);
  });
});
