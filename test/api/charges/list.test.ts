// GET /v2/charges: every charge, newest first, paginated; the way through a MULTIPLE session's charges
// beyond the latest ones GET shows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHARGE_WINDOW } from '../../../src/domain/session.ts';
import { multipleQrBody, seedAutoConfirmBody } from '../../helpers/bodies.ts';
import { DB_KINDS, makeHarness, requestId, type Harness } from '../../helpers/harness.ts';

describe.each(DB_KINDS)('GET /v2/charges on %s', (kind) => {
  let h: Harness;
  let multiple: { id: string; clientReferenceId: string };
  let single: { id: string; clientReferenceId: string };
  const PAYMENTS = CHARGE_WINDOW + 5;

  beforeAll(async () => {
    h = await makeHarness(kind);
    const create = async (body: unknown) =>
      (await h.api('POST', '/v2/payments', body, { 'x-request-id': requestId() })).body.data;
    multiple = await create(multipleQrBody());
    single = await create(seedAutoConfirmBody());
    for (let i = 1; i <= PAYMENTS; i++) {
      const res = await h.api('POST', '/v2/payments/simulations', {
        paymentSessionId: multiple.id,
        chargeStatus: 'SUCCESS',
        amount: { value: 1000 * i, currency: 'IDR' },
      });
      expect(res.status).toBe(200);
      h.clock.advance(1000);
    }
  });
  afterAll(async () => h.close());

  it('GET shows the latest charges of a MULTIPLE session; /v2/charges pages through all of them, newest first', async () => {
    const session = (await h.api('GET', `/v2/payments/${multiple.id}`)).body.data;
    expect(session.chargeDetails).toHaveLength(CHARGE_WINDOW);
    expect(session.chargeDetails.at(-1).amount.value).toBe(1000 * PAYMENTS);

    const seen: Array<{ amount: { value: number }; paymentSessionId: string; status: string }> = [];
    for (let page = 1; ; page++) {
      const res = await h.api('GET', `/v2/charges?paymentSessionId=${multiple.id}&perPage=4&page=${page}`);
      expect(res.status).toBe(200);
      expect(res.body.pagination).toMatchObject({
        page,
        perPage: 4,
        totalItems: PAYMENTS + 1,
        totalPages: Math.ceil((PAYMENTS + 1) / 4),
      });
      seen.push(...res.body.data);
      if (page >= res.body.pagination.totalPages) break;
    }
    // The static QR's own charge, then one SUCCESS charge per payment.
    expect(seen).toHaveLength(PAYMENTS + 1);
    const paid = seen.filter((c) => c.status === 'SUCCESS').map((c) => c.amount.value);
    expect(paid).toEqual(Array.from({ length: PAYMENTS }, (_, i) => 1000 * (PAYMENTS - i)));
    expect(seen.every((c) => c.paymentSessionId === multiple.id)).toBe(true);
  });

  it('filters by clientReferenceId, with the wire shape of chargeDetails', async () => {
    const res = await h.api('GET', `/v2/charges?clientReferenceId=${single.clientReferenceId}`);
    expect(res.status).toBe(200);
    const session = (await h.api('GET', `/v2/payments/${single.id}`)).body.data;
    expect(res.body.data).toEqual(session.chargeDetails);
    expect(res.body.data[0]).toMatchObject({
      paymentSessionClientReferenceId: single.clientReferenceId,
      virtualAccount: { channel: 'PERMATA' },
    });
  });

  it('errors: perPage above 100 or page 0 is a 400 in the error envelope; an unknown reference is an empty page', async () => {
    for (const query of ['perPage=101', 'page=0', 'perPage=abc']) {
      const res = await h.api('GET', `/v2/charges?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.code).toBe('api_validation_error');
    }
    const none = await h.api('GET', '/v2/charges?clientReferenceId=nobody-has-this');
    expect(none.body).toMatchObject({ code: '00', data: [], pagination: { totalItems: 0, totalPages: 0 } });
  });

  it("security: no token is 401; another merchant sees none of this merchant's charges", async () => {
    expect((await h.api('GET', '/v2/charges', undefined, { authorization: '' })).status).toBe(401);
    const other = await h.otherMerchant();
    const res = await h.api('GET', `/v2/charges?paymentSessionId=${multiple.id}`, undefined, {
      authorization: `Bearer ${other.token}`,
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([]);
  });
});
