import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, makeHarness, requestId, type Harness } from '../../helpers/harness.ts';
import { multipleQrBody, seedAutoConfirmBody, seedConfirmBody, seedConfirmLaterBody } from '../../helpers/bodies.ts';

describe.each(DB_KINDS)('GET /v2/payments/{id} on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness(kind);
  });
  afterAll(async () => h.close());

  it('returns the session exactly as create returned it', async () => {
    const created = await h.api('POST', '/v2/payments', seedAutoConfirmBody(), { 'x-request-id': requestId() });
    const got = await h.api('GET', `/v2/payments/${created.body.data.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);
  });

  it('answers 404 resource_missing for an unknown id, in the error envelope', async () => {
    const res = await h.api('GET', '/v2/payments/7f65c757-355f-4645-ac14-028b34ab51b1');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({
      code: 'resource_missing',
      message: 'The payment session with ID 7f65c757-355f-4645-ac14-028b34ab51b1 cannot be found',
      error: { type: 'API_ERROR', details: [] },
    });
  });

  it("never shows another merchant's session", async () => {
    const created = await h.api('POST', '/v2/payments', seedAutoConfirmBody(), { 'x-request-id': requestId() });
    const other = await h.otherMerchant();
    const res = await h.api('GET', `/v2/payments/${created.body.data.id}`, undefined, { authorization: `Bearer ${other.token}` });
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toContain(created.body.data.clientReferenceId);
  });

  /** GET as answered from the stored wire text, then as rebuilt from the row and its charges. */
  async function bothAnswers(id: string) {
    const stored = await h.api('GET', `/v2/payments/${id}`);
    await h.store.db.updateTable('payment_sessions').set({ wire: null }).where('id', '=', id).execute();
    const rebuilt = await h.api('GET', `/v2/payments/${id}`);
    return { stored, rebuilt };
  }

  it('answers from the stored wire exactly what it answers rebuilt, in every state', async () => {
    const create = async (body: unknown) =>
      (await h.api('POST', '/v2/payments', body, { 'x-request-id': requestId() })).body.data as { id: string };
    const simulate = (paymentSessionId: string, extra: Record<string, unknown> = {}) =>
      h.api('POST', '/v2/payments/simulations', { paymentSessionId, chargeStatus: 'SUCCESS', ...extra });

    const withMetadata = await create(
      seedAutoConfirmBody({ metadata: { createdAt: 'yesterday', nested: { paidAt: '2024-01-01', list: [1, null, 'x'] } } }),
    );
    const unconfirmed = await create(seedConfirmLaterBody());
    const confirmed = await create(seedConfirmLaterBody());
    expect((await h.api('POST', `/v2/payments/${confirmed.id}/confirm`, seedConfirmBody())).status).toBe(200);
    const cancelled = await create(seedConfirmLaterBody());
    await h.api('POST', `/v2/payments/${cancelled.id}/cancel`, { cancellationReason: 'REQUESTED_BY_CUSTOMER' });
    const paid = await create(seedAutoConfirmBody());
    expect((await simulate(paid.id)).status).toBe(200);
    const multiple = await create(multipleQrBody());
    for (const value of [10_000, 25_000])
      expect((await simulate(multiple.id, { amount: { value, currency: 'IDR' } })).status).toBe(200);

    for (const { id } of [withMetadata, unconfirmed, confirmed, cancelled, paid, multiple]) {
      const { stored, rebuilt } = await bothAnswers(id);
      expect(stored.status).toBe(200);
      expect(stored.headers['content-type']).toBe(rebuilt.headers['content-type']);
      expect(stored.body).toEqual(rebuilt.body);
    }
  });

  it('answers EXPIRED once the session is past expiryAt, though its stored wire was written while open', async () => {
    const expiryAt = new Date(h.clock.now().getTime() + 5 * 60_000).toISOString();
    const created = await h.api('POST', '/v2/payments', seedAutoConfirmBody({ expiryAt }), { 'x-request-id': requestId() });
    expect((await h.api('GET', `/v2/payments/${created.body.data.id}`)).body.data.status).toBe('REQUIRE_ACTION');
    h.clock.advance(5 * 60_000);
    const got = await h.api('GET', `/v2/payments/${created.body.data.id}`);
    expect(got.body.data.status).toBe('EXPIRED');
  });

  it('needs a valid bearer token', async () => {
    const res = await h.api('GET', '/v2/payments/x', undefined, { authorization: 'Bearer not.a.jwt' });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('credentials_invalid');
  });
});
