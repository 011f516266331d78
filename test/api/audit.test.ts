// The merchant API's state-changing calls leave an audit entry naming the merchant's client id (issue 11 §6),
// written in the change's own transaction; creating a payment does not (the payment is its own record).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLogPage } from '../../src/usecases/audit-log.ts';
import { DB_KINDS, makeHarness, requestId, type Harness } from '../helpers/harness.ts';
import { seedAutoConfirmBody, seedConfirmLaterBody } from '../helpers/bodies.ts';
import { cardSessionBody, encryptCard, futureExpiry } from '../helpers/cards.ts';
import { paidSession, postRefund, refundBody } from '../helpers/refunds.ts';

describe.each(DB_KINDS)('API actions in the audit log on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness(kind);
  });
  afterAll(async () => h.close());

  const entriesAbout = async (resourceId: string) =>
    (await auditLogPage(h.ctx, h.merchant.id, { page: 1, perPage: 100 })).entries.filter((e) => e.resource.id === resourceId);
  const create = async (body: unknown) => {
    const res = await h.api('POST', '/v2/payments', body, { 'x-request-id': requestId() });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.data;
  };
  const api = { kind: 'api', id: expect.any(String), email: null };

  it('create is not audited; cancel is, with the client id and the reason', async () => {
    const s = await create(seedConfirmLaterBody());
    expect(await entriesAbout(s.id)).toEqual([]);
    const res = await h.api('POST', `/v2/payments/${s.id}/cancel`, { cancellationReason: 'DUPLICATED' });
    expect(res.status).toBe(200);
    const entries = await entriesAbout(s.id);
    expect(entries).toEqual([
      {
        id: expect.any(String),
        merchantId: h.merchant.id,
        actor: { kind: 'api', id: h.merchant.id, email: null },
        action: 'payment.cancel',
        resource: { type: 'payment_session', id: s.id },
        at: expect.any(Date),
        detail: { cancellationReason: 'DUPLICATED' },
      },
    ]);
  });

  it('a refused cancel writes nothing', async () => {
    const s = await paidSession(h);
    const before = await entriesAbout(s.id);
    expect((await h.api('POST', `/v2/payments/${s.id}/cancel`, { cancellationReason: 'DUPLICATED' })).status).toBe(422);
    expect(await entriesAbout(s.id)).toEqual(before);
  });

  it('simulate and refund create are audited; a replayed refund is not recorded twice', async () => {
    const s = await paidSession(h);
    expect(await entriesAbout(s.id)).toMatchObject([{ actor: api, action: 'payment.simulate', detail: { outcome: 'SUCCESS' } }]);
    const body = refundBody({ paymentSessionId: s.id });
    const key = requestId();
    const first = await postRefund(h, body, { 'x-request-id': key });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect((await postRefund(h, body, { 'x-request-id': key })).status).toBe(200);
    expect(await entriesAbout(first.body.data.id)).toMatchObject([
      {
        actor: { kind: 'api', id: h.merchant.id, email: null },
        action: 'refund.create',
        resource: { type: 'refund', id: first.body.data.id },
        detail: { paymentSessionId: s.id, amount: 3000, currency: 'IDR' },
      },
    ]);
  });

  it('a refund simulation is audited with its outcome', async () => {
    const s = await paidSession(h);
    const created = await postRefund(h, refundBody({ paymentSessionId: s.id }));
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const settled = await h.api('POST', '/v1/refunds/simulations', { refundId: created.body.data.id, status: 'SUCCESS' });
    expect(settled.status, JSON.stringify(settled.body)).toBe(200);
    expect((await entriesAbout(created.body.data.id)).map((e) => [e.action, e.detail])).toEqual([
      ['refund.simulate', { outcome: 'SUCCESS' }],
      ['refund.create', expect.any(Object)],
    ]);
  });

  it('capture is audited with the capture id and amount', async () => {
    const created = await create(cardSessionBody({ mode: 'API', autoConfirm: false }, { captureMethod: 'manual' }));
    const confirmed = await h.api('POST', `/v2/payments/${created.id}/confirm`, {
      paymentMethod: {
        type: 'CARD',
        card: {
          encryptedCard: encryptCard(created.encryptionKey, { number: '4440000112200001', ...futureExpiry(), cvc: '737' }),
        },
      },
    });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    const res = await h.api('POST', `/v2/payments/${created.id}/capture`, {
      amount: { value: 4000, currency: 'IDR' },
      releaseRemainingAmount: false,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await entriesAbout(created.id)).toMatchObject([
      {
        actor: api,
        action: 'payment.capture',
        detail: { captureId: res.body.data.id, amount: 4000, releaseRemainingAmount: false },
      },
    ]);
  });

  it('callback resend is audited; another merchant’s callback id is a 404 and writes nothing', async () => {
    const s = await create(seedAutoConfirmBody());
    await h.api('POST', '/v2/payments/simulations', { paymentSessionId: s.id, chargeStatus: 'SUCCESS' });
    const callback = await h.store.db
      .selectFrom('callbacks')
      .select('id')
      .where('resource_id', '=', s.id)
      .executeTakeFirstOrThrow();
    expect((await h.api('POST', `/v2/callbacks/${callback.id}/resend`)).status).toBe(200);
    expect(await entriesAbout(callback.id)).toMatchObject([
      { actor: api, action: 'callback.resend', resource: { type: 'callback', id: callback.id } },
    ]);
    const other = await h.otherMerchant();
    const refused = await h.api('POST', `/v2/callbacks/${callback.id}/resend`, undefined, {
      authorization: `Bearer ${other.token}`,
    });
    expect(refused.status).toBe(404);
    expect(await entriesAbout(callback.id)).toHaveLength(1);
  });
});
