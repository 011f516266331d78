// GET /v1/refunds: newest first, paginated like /v2/payments, filtered by session, reference and status;
// only the merchant's own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, makeHarness, type Harness } from '../../helpers/harness.ts';
import { paidQrSession, paidSession, postRefund, refundBody } from '../../helpers/refunds.ts';

describe.each(DB_KINDS)('GET /v1/refunds on %s', (kind) => {
  let h: Harness;
  let sessionA: any;
  let sessionB: any;
  const made: any[] = [];
  beforeAll(async () => {
    h = await makeHarness(kind);
    sessionA = await paidSession(h);
    sessionB = await paidQrSession(h);
    for (const [session, value] of [
      [sessionA, '1000'],
      [sessionB, '2000'],
      [sessionA, '3000'],
      [sessionB, '4000'],
      [sessionA, '5000'],
    ] as const) {
      h.clock.advance(1000);
      const res = await postRefund(h, refundBody({ paymentSessionId: session.id }, { amount: { value, currency: 'IDR' } }));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      made.push(res.body.data);
    }
    const settled = await h.api('POST', '/v1/refunds/simulations', { refundId: made[1].id, status: 'SUCCESS' });
    made[1] = settled.body.data;
  });
  afterAll(async () => h.close());

  it('lists every refund newest first with Pivot’s pagination object', async () => {
    const res = await h.api('GET', '/v1/refunds');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([...made].reverse());
    expect(res.body.pagination).toEqual({ page: 1, perPage: 20, totalItems: 5, totalPages: 1 });
  });

  it('pages', async () => {
    const page2 = await h.api('GET', '/v1/refunds?page=2&perPage=2');
    expect(page2.body.data.map((r: any) => r.id)).toEqual([made[2].id, made[1].id]);
    expect(page2.body.pagination).toEqual({ page: 2, perPage: 2, totalItems: 5, totalPages: 3 });
    const beyond = await h.api('GET', '/v1/refunds?page=9&perPage=2');
    expect(beyond.body.data).toEqual([]);
  });

  it('filters by paymentSessionId, clientReferenceId and status', async () => {
    const ofA = await h.api('GET', `/v1/refunds?paymentSessionId=${sessionA.id}`);
    expect(ofA.body.data.map((r: any) => r.amount.value)).toEqual(['5000', '3000', '1000']);
    const byReference = await h.api('GET', `/v1/refunds?clientReferenceId=${made[3].clientReferenceId}`);
    expect(byReference.body.data).toEqual([made[3]]);
    const succeeded = await h.api('GET', '/v1/refunds?status=SUCCESS');
    expect(succeeded.body.data).toEqual([made[1]]);
    const combined = await h.api('GET', `/v1/refunds?paymentSessionId=${sessionB.id}&status=PENDING`);
    expect(combined.body.data.map((r: any) => r.id)).toEqual([made[3].id]);
    expect(combined.body.pagination.totalItems).toBe(1);
  });

  it('400 for a bad status or page size', async () => {
    for (const query of ['status=DONE', 'perPage=101', 'page=0', 'perPage=abc']) {
      const res = await h.api('GET', `/v1/refunds?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.code).toBe('api_validation_error');
    }
  });

  it("never shows another merchant's refunds; 401 without a token", async () => {
    const other = await h.otherMerchant();
    const theirs = await h.api('GET', `/v1/refunds?paymentSessionId=${sessionA.id}`, undefined, {
      authorization: `Bearer ${other.token}`,
    });
    expect(theirs.body.data).toEqual([]);
    expect(theirs.body.pagination.totalItems).toBe(0);
    const none = await h.api('GET', '/v1/refunds', undefined, { authorization: '' });
    expect(none.status).toBe(401);
  });
});
