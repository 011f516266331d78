import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, makeHarness, requestId, uniqueReference, type Harness } from '../../helpers/harness.ts';
import { seedAutoConfirmBody, seedConfirmLaterBody } from '../../helpers/bodies.ts';

describe.each(DB_KINDS)('POST /v2/payments/simulations on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness(kind);
  });
  afterAll(async () => h.close());
  const create = async (body: unknown) => (await h.api('POST', '/v2/payments', body, { 'x-request-id': requestId() })).body.data;
  const simulate = (paymentSessionId: string, chargeStatus: string, extra = {}) =>
    h.api('POST', '/v2/payments/simulations', { paymentSessionId, chargeStatus, ...extra });

  it('SUCCESS pays a VA session: PAID, charge SUCCESS with paidAt', async () => {
    const s = await create(seedAutoConfirmBody());
    expect((await simulate(s.id, 'SUCCESS')).status).toBe(200);
    const got = (await h.api('GET', `/v2/payments/${s.id}`)).body.data;
    expect(got.status).toBe('PAID');
    expect(got.chargeDetails[0]).toMatchObject({
      status: 'SUCCESS',
      isCaptured: true,
      capturedAmount: { value: 10000, currency: 'IDR' },
    });
  });

  it('EXPIRED expires the session and its charge', async () => {
    const s = await create(seedAutoConfirmBody());
    expect((await simulate(s.id, 'EXPIRED')).status).toBe(200);
    const got = (await h.api('GET', `/v2/payments/${s.id}`)).body.data;
    expect(got.status).toBe('EXPIRED');
    expect(got.chargeDetails[0].status).toBe('EXPIRED');
  });

  it('FAILED (Kasir extension) cancels the session with CHARGE_FAILED', async () => {
    const s = await create(seedAutoConfirmBody());
    expect((await simulate(s.id, 'FAILED')).status).toBe(200);
    const got = (await h.api('GET', `/v2/payments/${s.id}`)).body.data;
    expect(got).toMatchObject({ status: 'CANCELLED', cancellationReason: 'CHARGE_FAILED' });
    expect(got.chargeDetails[0]).toMatchObject({ status: 'FAILED', failureCode: 'DECLINED_BY_CHANNEL' });
  });

  it('a paid session never moves again', async () => {
    const s = await create(seedAutoConfirmBody());
    await simulate(s.id, 'SUCCESS');
    for (const outcome of ['SUCCESS', 'EXPIRED', 'FAILED']) {
      const res = await simulate(s.id, outcome);
      expect(res.status).toBe(422);
      expect(res.body.error.type).toBe('API_ERROR');
    }
    expect((await h.api('GET', `/v2/payments/${s.id}`)).body.data.status).toBe('PAID');
  });

  it('cannot pay a session that has no charge yet', async () => {
    const s = await create(seedConfirmLaterBody());
    const res = await simulate(s.id, 'SUCCESS');
    expect(res.status).toBe(422);
  });

  it('cannot pay a session past its expiryAt even before the sweeper runs', async () => {
    const s = await create(
      seedAutoConfirmBody({
        expiryAt: new Date(Date.now() + 30_000).toISOString(),
        paymentMethodOptions: { virtualAccount: { channel: 'BCA' } },
      }),
    );
    h.clock.advance(31_000);
    const read = (await h.api('GET', `/v2/payments/${s.id}`)).body.data;
    expect(read.status).toBe('EXPIRED');
    expect(read.chargeDetails[0].status).toBe('EXPIRED');
    const res = await simulate(s.id, 'SUCCESS');
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('payment_session_expired');
    const listed = (await h.api('GET', `/v2/payments?clientReferenceId=${s.clientReferenceId}`)).body.data;
    expect(listed[0].status).toBe('EXPIRED');
  });

  it('pays a MULTIPLE static VA repeatedly with the given amounts', async () => {
    const s = await create({
      clientReferenceId: uniqueReference(),
      paymentType: 'MULTIPLE',
      mode: 'API',
      paymentMethod: { type: 'VIRTUAL_ACCOUNT' },
      paymentMethodOptions: { virtualAccount: { channel: 'BCA' } },
      redirectUrl: {},
    });
    expect(s.status).toBe('ACTIVE');
    expect((await simulate(s.id, 'SUCCESS')).status).toBe(400);
    expect((await simulate(s.id, 'SUCCESS', { amount: { value: 20000, currency: 'IDR' } })).status).toBe(200);
    expect((await simulate(s.id, 'SUCCESS', { amount: { value: 30000, currency: 'IDR' } })).status).toBe(200);
    const got = (await h.api('GET', `/v2/payments/${s.id}`)).body.data;
    expect(got.status).toBe('ACTIVE');
    expect(got.chargeDetails.filter((c: any) => c.status === 'SUCCESS').map((c: any) => c.amount.value)).toEqual([20000, 30000]);
    expect((await simulate(s.id, 'EXPIRED')).status).toBe(200);
    expect((await h.api('GET', `/v2/payments/${s.id}`)).body.data.status).toBe('INACTIVE');
  });

  it('refuses a bad outcome and unknown sessions', async () => {
    expect((await simulate('x', 'PAID')).status).toBe(400);
    expect((await simulate('00000000-0000-0000-0000-000000000000', 'SUCCESS')).status).toBe(404);
  });

  it("cannot pay another merchant's session", async () => {
    const s = await create(seedAutoConfirmBody());
    const other = await h.otherMerchant();
    const res = await h.api(
      'POST',
      '/v2/payments/simulations',
      { paymentSessionId: s.id, chargeStatus: 'SUCCESS' },
      { authorization: `Bearer ${other.token}` },
    );
    expect(res.status).toBe(404);
    expect((await h.api('GET', `/v2/payments/${s.id}`)).body.data.status).toBe('REQUIRE_ACTION');
  });

  it('does not exist in production', async () => {
    const prod = await makeHarness(kind, { env: 'production' });
    try {
      const res = await prod.api('POST', '/v2/payments/simulations', { paymentSessionId: 'x', chargeStatus: 'SUCCESS' });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not_found');
    } finally {
      await prod.close();
    }
  });
});
