// Manual capture through the merchant API on both databases (pivot-api §5.7): a card authorized with
// captureMethod manual waits for captures; partial, several, over-capture, release, replay, races, expiry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expireDueSessions } from '../../../src/usecases/expire-sessions.ts';
import { DB_KINDS, makeHarness, requestId, type Harness } from '../../helpers/harness.ts';
import { cardSessionBody, encryptCard, futureExpiry } from '../../helpers/cards.ts';
import { postForm } from '../../page/helpers.ts';

const FRICTIONLESS = '4440000112200001';
const CHALLENGE = '4440000112290002';

describe.each(DB_KINDS)('POST /v2/payments/{id}/capture on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness(kind, { publicUrl: 'http://kasir.test' });
  });
  afterAll(async () => h.close());

  /** An API-mode card session confirmed with `number`; manual capture unless told otherwise. */
  const authorize = async (number = FRICTIONLESS, overrides: Record<string, unknown> = {}, captureMethod = 'manual') => {
    const created = await h.api(
      'POST',
      '/v2/payments',
      cardSessionBody({ mode: 'API', autoConfirm: false, ...overrides }, { captureMethod }),
      { 'x-request-id': requestId() },
    );
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const s = created.body.data;
    const confirmed = await h.api('POST', `/v2/payments/${s.id}/confirm`, {
      paymentMethod: {
        type: 'CARD',
        card: { encryptedCard: encryptCard(s.encryptionKey, { number, ...futureExpiry(), cvc: '737' }) },
      },
    });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    return confirmed.body.data;
  };
  const capture = (id: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    h.api('POST', `/v2/payments/${id}/capture`, body, headers);
  const idr = (value: number) => ({ value, currency: 'IDR' });
  const get = async (id: string) => (await h.api('GET', `/v2/payments/${id}`)).body.data;
  const events = async (id: string) =>
    (await h.store.db.selectFrom('callbacks').select('event').where('resource_id', '=', id).orderBy('created_at').execute()).map(
      (r) => r.event,
    );

  it('a manual-capture card is authorized, not paid: PROCESSING, charge WAITING_FOR_CAPTURE with authorizedAmount', async () => {
    const s = await authorize();
    expect(s.status).toBe('PROCESSING');
    expect(s.chargeDetails[0]).toMatchObject({
      status: 'WAITING_FOR_CAPTURE',
      authorizedAmount: idr(150_000),
      capturedAmount: null,
      isCaptured: false,
      captureHistories: [],
      paidAt: null,
    });
    expect(await events(s.id)).toEqual(['PAYMENT.PROCESSING']);
  });

  it('captures everything when amount is omitted: charge SUCCESS, session PAID, PAYMENT.PAID', async () => {
    const s = await authorize();
    const res = await capture(s.id, { releaseRemainingAmount: false });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ code: '00', message: 'Success' });
    expect(res.body.data).toMatchObject({
      paymentSessionId: s.id,
      paymentSessionClientReferenceId: s.clientReferenceId,
      releaseRemainingAmount: false,
      amount: idr(150_000),
      status: 'SUCCESS',
    });
    const after = await get(s.id);
    expect(after.status).toBe('PAID');
    expect(after.chargeDetails[0]).toMatchObject({
      status: 'SUCCESS',
      authorizedAmount: idr(150_000),
      capturedAmount: idr(150_000),
      isCaptured: true,
      paidAt: expect.any(String),
      captureHistories: [{ captureId: res.body.data.id, currency: 'IDR', capturedAmount: 150_000, status: 'SUCCESS' }],
    });
    expect(await events(s.id)).toEqual(['PAYMENT.PROCESSING', 'PAYMENT.PAID']);
  });

  it('takes several partial captures; the one that takes the rest ends it; more is then refused', async () => {
    const s = await authorize();
    expect((await capture(s.id, { releaseRemainingAmount: false, amount: idr(50_000) })).status).toBe(200);
    const partly = await get(s.id);
    expect(partly.status).toBe('PROCESSING');
    expect(partly.chargeDetails[0]).toMatchObject({
      status: 'WAITING_FOR_CAPTURE',
      capturedAmount: idr(50_000),
      isCaptured: true,
    });
    expect(await events(s.id)).toEqual(['PAYMENT.PROCESSING']);

    expect((await capture(s.id, { releaseRemainingAmount: false, amount: idr(40_000) })).status).toBe(200);
    expect((await capture(s.id, { releaseRemainingAmount: false, amount: idr(60_000) })).status).toBe(200);
    const paid = await get(s.id);
    expect(paid.status).toBe('PAID');
    expect(paid.chargeDetails[0].capturedAmount).toEqual(idr(150_000));
    expect(paid.chargeDetails[0].captureHistories.map((c: any) => c.capturedAmount)).toEqual([50_000, 40_000, 60_000]);

    const more = await capture(s.id, { releaseRemainingAmount: false, amount: idr(1) });
    expect(more.status).toBe(422);
    expect(more.body.code).toBe('invalid_state');
  });

  it('refuses to capture more than is left with 422 capture_amount_exceeded, and takes nothing', async () => {
    const s = await authorize();
    await capture(s.id, { releaseRemainingAmount: false, amount: idr(100_000) });
    const over = await capture(s.id, { releaseRemainingAmount: false, amount: idr(50_001) });
    expect(over.status).toBe(422);
    expect(over.body.code).toBe('capture_amount_exceeded');
    expect(over.body.message).toContain('50000 of 150000 is left');
    expect(over.body.error.details[0]).toMatchObject({ field: 'amount.value' });
    expect((await get(s.id)).chargeDetails[0].capturedAmount).toEqual(idr(100_000));
  });

  it('releaseRemainingAmount ends it with what was captured; amount 0 only releases after a capture', async () => {
    const s = await authorize();
    const zeroFirst = await capture(s.id, { releaseRemainingAmount: true, amount: idr(0) });
    expect(zeroFirst.status).toBe(400);
    expect(zeroFirst.body.error.details[0].field).toBe('amount.value');

    await capture(s.id, { releaseRemainingAmount: false, amount: idr(30_000) });
    const released = await capture(s.id, { releaseRemainingAmount: true, amount: idr(20_000) });
    expect(released.status).toBe(200);
    expect(released.body.data.releaseRemainingAmount).toBe(true);
    const after = await get(s.id);
    expect(after.status).toBe('PAID');
    expect(after.chargeDetails[0]).toMatchObject({
      status: 'SUCCESS',
      authorizedAmount: idr(150_000),
      capturedAmount: idr(50_000),
    });
    expect(await events(s.id)).toEqual(['PAYMENT.PROCESSING', 'PAYMENT.PAID']);

    const s2 = await authorize();
    await capture(s2.id, { releaseRemainingAmount: false, amount: idr(10_000) });
    expect((await capture(s2.id, { releaseRemainingAmount: true, amount: idr(0) })).status).toBe(200);
    expect((await get(s2.id)).chargeDetails[0]).toMatchObject({ status: 'SUCCESS', capturedAmount: idr(10_000) });
  });

  it('a retried capture with the same X-REQUEST-ID answers the first capture and takes nothing more', async () => {
    const s = await authorize();
    const key = requestId();
    const first = await capture(s.id, { releaseRemainingAmount: false, amount: idr(10_000) }, { 'x-request-id': key });
    const again = await capture(s.id, { releaseRemainingAmount: false, amount: idr(10_000) }, { 'x-request-id': key });
    expect(again.status).toBe(200);
    expect(again.body.data).toEqual(first.body.data);
    expect((await get(s.id)).chargeDetails[0].capturedAmount).toEqual(idr(10_000));

    const changed = await capture(s.id, { releaseRemainingAmount: false, amount: idr(20_000) }, { 'x-request-id': key });
    expect(changed.status).toBe(409);
    expect(changed.body.code).toBe('idempotency_error');
    const bad = await capture(s.id, { releaseRemainingAmount: false }, { 'x-request-id': 'short' });
    expect(bad.status).toBe(400);
  });

  it('refuses what is not a waiting authorization: automatic capture, an unpaid session, bad bodies', async () => {
    const automatic = await authorize(FRICTIONLESS, {}, 'automatic');
    expect(automatic.status).toBe('PAID');
    const res = await capture(automatic.id, { releaseRemainingAmount: false });
    expect(res.status).toBe(422);
    expect(res.body.message).toContain('captureMethod manual');

    const s = await authorize();
    expect((await capture(s.id, {})).status).toBe(400);
    expect((await capture(s.id, { releaseRemainingAmount: 'yes' })).body.error.details[0].field).toBe('releaseRemainingAmount');
    expect((await capture(s.id, { releaseRemainingAmount: false, amount: { value: 1.5, currency: 'IDR' } })).status).toBe(400);
    expect((await capture(s.id, { releaseRemainingAmount: false, amount: { value: -1, currency: 'IDR' } })).status).toBe(400);
    expect((await capture(s.id, { releaseRemainingAmount: false, amount: { value: 1, currency: 'USD' } })).status).toBe(400);
    expect((await get(s.id)).chargeDetails[0].capturedAmount).toBeNull();
  });

  it('answers 404 for an unknown id and for another merchant, 401 without a token', async () => {
    expect((await capture('nope', { releaseRemainingAmount: false })).status).toBe(404);
    const s = await authorize();
    const other = await h.otherMerchant();
    const res = await capture(s.id, { releaseRemainingAmount: false }, { authorization: `Bearer ${other.token}` });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('resource_missing');
    const anonymous = await capture(s.id, { releaseRemainingAmount: false }, { authorization: '' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('credentials_invalid');
    expect((await get(s.id)).status).toBe('PROCESSING');
  });

  it('a challenged card waits for capture after its OTP; the merchant hears PAYMENT.PROCESSING for it', async () => {
    const s = await authorize(CHALLENGE);
    expect(s.chargeDetails[0].status).toBe('WAITING_FOR_AUTHENTICATION');
    await postForm(h, '/detail/acs', { token: new URL(s.paymentUrl).searchParams.get('token')!, otp: '000000' });
    const after = await get(s.id);
    expect(after.chargeDetails[0]).toMatchObject({ status: 'WAITING_FOR_CAPTURE', authorizedAmount: idr(150_000) });
    expect(await events(s.id)).toEqual(['PAYMENT.PROCESSING', 'PAYMENT.PROCESSING']);
  });

  it('50 concurrent partial captures never take more than was authorized; each loser is a clear 422', async () => {
    const s = await authorize();
    // 50 × 7,000 = 350,000 asked of 150,000 authorized: exactly 21 fit (147,000).
    const results = await Promise.all(
      Array.from({ length: 50 }, () => capture(s.id, { releaseRemainingAmount: false, amount: idr(7_000) })),
    );
    const won = results.filter((r) => r.status === 200);
    const lost = results.filter((r) => r.status !== 200);
    for (const r of lost) {
      expect(r.status, JSON.stringify(r.body)).toBe(422);
      expect(['capture_amount_exceeded', 'concurrent_update']).toContain(r.body.code);
    }
    const charge = (await get(s.id)).chargeDetails[0];
    expect(charge.captureHistories).toHaveLength(won.length);
    expect(charge.capturedAmount.value).toBe(won.length * 7_000);
    expect(charge.capturedAmount.value).toBeLessThanOrEqual(150_000);
    expect(won.length).toBe(21);
    expect(new Set(won.map((r) => r.body.data.id)).size).toBe(won.length);
  });

  it('an uncaptured authorization expires with the session; a partly captured one ends PAID with what was taken', async () => {
    const soon = () => ({ expiryAt: new Date(h.clock.now().getTime() + 120_000).toISOString() });
    const untouched = await authorize(FRICTIONLESS, soon());
    const partly = await authorize(FRICTIONLESS, soon());
    await capture(partly.id, { releaseRemainingAmount: false, amount: idr(25_000) });
    h.clock.advance(3 * 60_000);
    expect(await expireDueSessions(h.ctx)).toBe(2);

    const expired = await get(untouched.id);
    expect(expired.status).toBe('EXPIRED');
    expect(expired.chargeDetails[0]).toMatchObject({ status: 'EXPIRED', capturedAmount: null });
    expect(await events(untouched.id)).toEqual(['PAYMENT.PROCESSING', 'PAYMENT.CANCELLED']);
    const late = await capture(untouched.id, { releaseRemainingAmount: false });
    expect(late.status).toBe(422);
    expect(late.body.code).toBe('payment_session_expired');

    const paid = await get(partly.id);
    expect(paid.status).toBe('PAID');
    expect(paid.chargeDetails[0]).toMatchObject({ status: 'SUCCESS', capturedAmount: idr(25_000) });
    expect(await events(partly.id)).toEqual(['PAYMENT.PROCESSING', 'PAYMENT.PAID']);
  });
});
