// Card refunds end to end on both databases: a card paid through the API (custom-page flow, encrypted card)
// is refunded back to the card, the refund settles in sandbox and the payment shows it; a card captured by
// hand is refundable up to what was captured, not what was authorized; an authorization is not a payment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceDueRefunds } from '../../../src/usecases/advance-refunds.ts';
import { DB_KINDS, makeHarness, requestId, type Harness } from '../../helpers/harness.ts';
import { cardSessionBody, encryptCard, futureExpiry } from '../../helpers/cards.ts';
import { postRefund, refundBody } from '../../helpers/refunds.ts';

const FRICTIONLESS = '4440000112200001';
const idr = (value: number) => ({ value, currency: 'IDR' });

describe.each(DB_KINDS)('refunds of card payments on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness(kind);
  });
  afterAll(async () => h.close());

  /** An API-mode card session of 150,000 IDR confirmed with a frictionless test card. */
  async function cardPayment(captureMethod: 'automatic' | 'manual') {
    const created = await h.api('POST', '/v2/payments', cardSessionBody({ mode: 'API', autoConfirm: false }, { captureMethod }), {
      'x-request-id': requestId(),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const s = created.body.data;
    const confirmed = await h.api('POST', `/v2/payments/${s.id}/confirm`, {
      paymentMethod: {
        type: 'CARD',
        card: { encryptedCard: encryptCard(s.encryptionKey, { number: FRICTIONLESS, ...futureExpiry(), cvc: '737' }) },
      },
    });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    return confirmed.body.data;
  }

  const refund = async (body: unknown) => {
    const res = await postRefund(h, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.data;
  };

  it('goes back to the card (AUTO, CHANNEL, no destination needed), settles, and the payment shows it', async () => {
    const paid = await cardPayment('automatic');
    expect(paid.status).toBe('PAID');
    const created = await refund(refundBody({ paymentSessionId: paid.id }, { amount: { value: '40000', currency: 'IDR' } }));
    expect(created).toMatchObject({
      chargeId: paid.chargeDetails[0].id,
      method: 'AUTO',
      transferDestination: null,
      status: 'PENDING',
      capturedAmount: { value: '150000', currency: 'IDR' },
    });
    h.clock.advance(h.ctx.sandboxRefundDelayMs);
    await advanceDueRefunds(h.ctx);
    const settled = (await h.api('GET', `/v1/refunds/${created.id}`)).body.data;
    expect(settled).toMatchObject({ status: 'SUCCESS', destinationType: 'CHANNEL' });
    const session = (await h.api('GET', `/v2/payments/${paid.id}`)).body.data;
    expect(session.chargeDetails[0].refundedAmount).toEqual(idr(40_000));
    // The card itself never reappears in what the refund answers.
    expect(JSON.stringify(settled)).not.toContain(FRICTIONLESS);
  });

  it('a card captured in part and released is refundable up to what was captured, not what was authorized', async () => {
    const authorized = await cardPayment('manual');
    expect(authorized.chargeDetails[0]).toMatchObject({ status: 'WAITING_FOR_CAPTURE', authorizedAmount: idr(150_000) });
    // An authorization is not a payment: nothing to refund yet.
    const early = await postRefund(h, refundBody({ paymentSessionId: authorized.id }));
    expect(early.status, JSON.stringify(early.body)).toBe(422);

    const captured = await h.api('POST', `/v2/payments/${authorized.id}/capture`, {
      amount: idr(60_000),
      releaseRemainingAmount: true,
    });
    expect(captured.status, JSON.stringify(captured.body)).toBe(200);
    expect((await h.api('GET', `/v2/payments/${authorized.id}`)).body.data.status).toBe('PAID');

    const over = await postRefund(
      h,
      refundBody({ paymentSessionId: authorized.id }, { amount: { value: '60001', currency: 'IDR' } }),
    );
    expect(over.status).toBe(422);
    expect(over.body.code).toBe('refund_amount_exceeded');
    const full = await refund(refundBody({ paymentSessionId: authorized.id }, { isFullAmount: true, amount: undefined }));
    expect(full).toMatchObject({
      amount: { value: '60000', currency: 'IDR' },
      capturedAmount: { value: '60000', currency: 'IDR' },
    });
  });
});
