import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, makeHarness, requestId, type Harness } from '../../helpers/harness.ts';
import { seedAutoConfirmBody, seedConfirmLaterBody } from '../../helpers/bodies.ts';

describe.each(DB_KINDS)('POST /v2/payments/{id}/cancel on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness(kind);
  });
  afterAll(async () => h.close());
  const create = async (body: unknown) => (await h.api('POST', '/v2/payments', body, { 'x-request-id': requestId() })).body.data;

  it('cancels an unconfirmed session with cancelledAt and the reason', async () => {
    const s = await create(seedConfirmLaterBody());
    const res = await h.api('POST', `/v2/payments/${s.id}/cancel`, { cancellationReason: 'REQUESTED_BY_CUSTOMER' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'CANCELLED', cancellationReason: 'REQUESTED_BY_CUSTOMER' });
    expect(res.body.data.cancelledAt).toEqual(expect.any(String));
    expect(res.body.data.expiryAt).toBe(res.body.data.cancelledAt);
  });

  it('cancels a session waiting for confirmation', async () => {
    const s = await create(seedAutoConfirmBody({ autoConfirm: false }));
    const res = await h.api('POST', `/v2/payments/${s.id}/cancel`, { cancellationReason: 'DUPLICATED' });
    expect(res.body.data.status).toBe('CANCELLED');
  });

  it('refuses to cancel once the VA is issued (pivot-api §5.6) and after payment', async () => {
    const s = await create(seedAutoConfirmBody());
    const res = await h.api('POST', `/v2/payments/${s.id}/cancel`, { cancellationReason: 'VOID_SESSION' });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('invalid_state');
    await h.api('POST', '/v2/payments/simulations', { paymentSessionId: s.id, chargeStatus: 'SUCCESS' });
    const paid = await h.api('POST', `/v2/payments/${s.id}/cancel`, { cancellationReason: 'VOID_SESSION' });
    expect(paid.status).toBe(422);
    expect((await h.api('GET', `/v2/payments/${s.id}`)).body.data.status).toBe('PAID');
  });

  it('refuses a missing or unknown reason, and reasons only Kasir may set', async () => {
    const s = await create(seedConfirmLaterBody());
    expect((await h.api('POST', `/v2/payments/${s.id}/cancel`, {})).status).toBe(400);
    expect((await h.api('POST', `/v2/payments/${s.id}/cancel`, { cancellationReason: 'CHARGE_FAILED' })).status).toBe(400);
    const res = await h.api('POST', `/v2/payments/${s.id}/cancel`, { cancellationReason: 'BECAUSE' });
    expect(res.body.error.details[0].field).toBe('cancellationReason');
  });

  it('answers 404 for an unknown id and for another merchant', async () => {
    expect((await h.api('POST', '/v2/payments/nope/cancel', { cancellationReason: 'DUPLICATED' })).status).toBe(404);
    const s = await create(seedConfirmLaterBody());
    const other = await h.otherMerchant();
    const res = await h.api(
      'POST',
      `/v2/payments/${s.id}/cancel`,
      { cancellationReason: 'DUPLICATED' },
      { authorization: `Bearer ${other.token}` },
    );
    expect(res.status).toBe(404);
    expect((await h.api('GET', `/v2/payments/${s.id}`)).body.data.status).toBe('REQUIRE_PAYMENT_METHOD');
  });

  it('frees the clientReferenceId for a new session', async () => {
    const body = seedConfirmLaterBody();
    const s = await create(body);
    await h.api('POST', `/v2/payments/${s.id}/cancel`, { cancellationReason: 'DUPLICATED' });
    const again = await h.api('POST', '/v2/payments', { ...body }, { 'x-request-id': requestId() });
    expect(again.status).toBe(200);
  });
});
