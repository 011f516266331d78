// GET /v1/refunds/{id}: the merchant's own refund as it stands; nobody else's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, makeHarness, type Harness } from '../../helpers/harness.ts';
import { paidSession, postRefund, refundBody } from '../../helpers/refunds.ts';

describe.each(DB_KINDS)('GET /v1/refunds/{id} on %s', (kind) => {
  let h: Harness;
  let refund: any;
  beforeAll(async () => {
    h = await makeHarness(kind);
    const session = await paidSession(h);
    refund = (await postRefund(h, refundBody({ paymentSessionId: session.id }))).body.data;
  });
  afterAll(async () => h.close());

  it('answers the Refund Object create answered', async () => {
    const res = await h.api('GET', `/v1/refunds/${refund.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ code: '00', message: 'Success', data: refund });
  });

  it('404 for an unknown id, in Pivot’s envelope', async () => {
    const res = await h.api('GET', '/v1/refunds/00000000-0000-7000-8000-000000000000');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({
      code: 'resource_missing',
      message: 'The refund with ID 00000000-0000-7000-8000-000000000000 cannot be found',
      error: { type: 'API_ERROR' },
    });
  });

  it("404 for another merchant's refund, 401 without a valid token", async () => {
    const other = await h.otherMerchant();
    const theirs = await h.api('GET', `/v1/refunds/${refund.id}`, undefined, { authorization: `Bearer ${other.token}` });
    expect(theirs.status).toBe(404);
    expect(theirs.body.code).toBe('resource_missing');
    for (const authorization of ['', 'Bearer nope', `Bearer ${h.token}x`]) {
      const res = await h.api('GET', `/v1/refunds/${refund.id}`, undefined, { authorization });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('credentials_invalid');
    }
  });
});
