import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, makeHarness, requestId, type Harness } from '../../helpers/harness.ts';
import { seedAutoConfirmBody, seedConfirmBody, seedConfirmLaterBody } from '../../helpers/bodies.ts';

describe.each(DB_KINDS)('POST /v2/payments/{id}/confirm on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness(kind);
  });
  afterAll(async () => h.close());

  const createLater = async (overrides = {}) => {
    const res = await h.api('POST', '/v2/payments', seedConfirmLaterBody(overrides), { 'x-request-id': requestId() });
    expect(res.status).toBe(200);
    return res.body.data;
  };

  describe('happy paths', () => {
    it('confirms the seed session with sibling paymentMethodOptions and issues the VA', async () => {
      const s = await createLater();
      const res = await h.api('POST', `/v2/payments/${s.id}/confirm`, seedConfirmBody());
      expect(res.status).toBe(200);
      expect(res.body.data.status).toBe('REQUIRE_ACTION');
      expect(res.body.data.chargeDetails[0]).toMatchObject({
        status: 'WAITING_FOR_USER_ACTION',
        virtualAccount: { channel: 'PERMATA' },
      });
      expect(res.body.data.paymentUrl).toBe(s.paymentUrl);
    });

    it('accepts paymentMethodOptions nested inside paymentMethod (Pivot example form)', async () => {
      const s = await createLater();
      const res = await h.api('POST', `/v2/payments/${s.id}/confirm`, {
        paymentMethod: { type: 'VIRTUAL_ACCOUNT', paymentMethodOptions: { virtualAccount: { channel: 'BRI' } } },
      });
      expect(res.status).toBe(200);
      expect(res.body.data.chargeDetails[0].virtualAccount.channel).toBe('BRI');
    });

    it('confirms a session whose method was chosen at creation without repeating it', async () => {
      const res0 = await h.api('POST', '/v2/payments', seedAutoConfirmBody({ autoConfirm: false }), {
        'x-request-id': requestId(),
      });
      const res = await h.api('POST', `/v2/payments/${res0.body.data.id}/confirm`, {});
      expect(res.status).toBe(200);
      expect(res.body.data.chargeDetails[0].virtualAccount.channel).toBe('PERMATA');
    });

    it('walks the seed confirm-later flow to PAID', async () => {
      const s = await createLater();
      await h.api('POST', `/v2/payments/${s.id}/confirm`, seedConfirmBody());
      const sim = await h.api('POST', '/v2/payments/simulations', { paymentSessionId: s.id, chargeStatus: 'SUCCESS' });
      expect(sim.body).toEqual({ code: '00', message: 'Success', data: { updated: true } });
      const got = await h.api('GET', `/v2/payments/${s.id}`);
      expect(got.body.data.status).toBe('PAID');
      expect(got.body.data.chargeDetails[0].status).toBe('SUCCESS');
      expect(got.body.data.chargeDetails[0].paidAt).toEqual(expect.any(String));
    });
  });

  describe('error paths', () => {
    it('needs a payment method when the session has none', async () => {
      const s = await createLater();
      const res = await h.api('POST', `/v2/payments/${s.id}/confirm`, {});
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].field).toBe('paymentMethod');
    });

    it('refuses a VA without a channel', async () => {
      const s = await createLater();
      const res = await h.api('POST', `/v2/payments/${s.id}/confirm`, { paymentMethod: { type: 'VIRTUAL_ACCOUNT' } });
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].field).toBe('paymentMethodOptions.virtualAccount.channel');
    });

    it('answers 422 for a session that already has its charge', async () => {
      const s = await createLater();
      await h.api('POST', `/v2/payments/${s.id}/confirm`, seedConfirmBody());
      const again = await h.api('POST', `/v2/payments/${s.id}/confirm`, seedConfirmBody());
      expect(again.status).toBe(422);
      expect(again.body.code).toBe('invalid_state');
      expect(again.body.message).toContain('REQUIRE_ACTION');
    });

    it('answers 422 payment_session_expired once expiryAt has passed, and records EXPIRED', async () => {
      const s = await createLater({ expiryAt: new Date(Date.now() + 60_000).toISOString() });
      h.clock.advance(61_000);
      const res = await h.api('POST', `/v2/payments/${s.id}/confirm`, seedConfirmBody());
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('payment_session_expired');
      const got = await h.api('GET', `/v2/payments/${s.id}`);
      expect(got.body.data.status).toBe('EXPIRED');
    });

    it('answers 404 resource_missing for an unknown id', async () => {
      const res = await h.api('POST', '/v2/payments/00000000-0000-0000-0000-000000000000/confirm', seedConfirmBody());
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('resource_missing');
    });
  });

  describe('security paths', () => {
    it("cannot confirm another merchant's session", async () => {
      const s = await createLater();
      const other = await h.otherMerchant();
      const res = await h.api('POST', `/v2/payments/${s.id}/confirm`, seedConfirmBody(), {
        authorization: `Bearer ${other.token}`,
      });
      expect(res.status).toBe(404);
      const mine = await h.api('GET', `/v2/payments/${s.id}`);
      expect(mine.body.data.status).toBe('REQUIRE_PAYMENT_METHOD');
    });

    it('needs a bearer token', async () => {
      const s = await createLater();
      const res = await h.api('POST', `/v2/payments/${s.id}/confirm`, seedConfirmBody(), { authorization: 'Basic abc' });
      expect(res.status).toBe(401);
    });
  });
});
