import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, makeHarness, requestId, type Harness } from '../../helpers/harness.ts';
import { seedAutoConfirmBody, seedConfirmLaterBody } from '../../helpers/bodies.ts';
import { expireDueSessions } from '../../../src/usecases/expire-sessions.ts';

describe.each(DB_KINDS)('GET /v2/payments on %s', (kind) => {
  let h: Harness;
  const ids: string[] = [];
  beforeAll(async () => {
    h = await makeHarness(kind);
    for (let i = 0; i < 25; i++) {
      h.clock.advance(5);
      const body = i % 5 === 0 ? seedAutoConfirmBody() : seedConfirmLaterBody();
      const res = await h.api('POST', '/v2/payments', body, { 'x-request-id': requestId() });
      ids.push(res.body.data.id);
    }
  });
  afterAll(async () => h.close());

  it('lists newest first, 20 per page by default, with pagination', async () => {
    const res = await h.api('GET', '/v2/payments');
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(20);
    expect(res.body.pagination).toEqual({ page: 1, perPage: 20, totalItems: 25, totalPages: 2 });
    expect(res.body.data[0].id).toBe(ids[24]);
    const page2 = await h.api('GET', '/v2/payments?page=2');
    expect(page2.body.data.map((s: any) => s.id)).toEqual(ids.slice(0, 5).reverse());
  });

  it('honours perPage up to 100 and refuses more', async () => {
    expect((await h.api('GET', '/v2/payments?perPage=7')).body.data).toHaveLength(7);
    const res = await h.api('GET', '/v2/payments?perPage=101');
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('perPage');
    expect((await h.api('GET', '/v2/payments?page=0')).status).toBe(400);
    expect((await h.api('GET', '/v2/payments?page=abc')).status).toBe(400);
  });

  it('filters by clientReferenceId and by status', async () => {
    const one = await h.api('GET', `/v2/payments/${ids[3]}`);
    const byRef = await h.api('GET', `/v2/payments?clientReferenceId=${one.body.data.clientReferenceId}`);
    expect(byRef.body.data.map((s: any) => s.id)).toEqual([ids[3]]);
    const waiting = await h.api('GET', '/v2/payments?status=REQUIRE_ACTION&perPage=100');
    expect(waiting.body.pagination.totalItems).toBe(5);
    expect(waiting.body.data.every((s: any) => s.status === 'REQUIRE_ACTION')).toBe(true);
    expect((await h.api('GET', '/v2/payments?status=NOPE')).status).toBe(400);
  });

  it('reports sessions past their expiry under EXPIRED, not under their stored status', async () => {
    h.clock.advance(2 * 3600_000);
    const fresh = { authorization: `Bearer ${await h.tokens.issueAccessToken(h.merchant.id, h.clock.now())}` };
    const open = await h.api('GET', '/v2/payments?status=REQUIRE_PAYMENT_METHOD', undefined, fresh);
    expect(open.body.pagination.totalItems).toBe(0);
    const expired = await h.api('GET', '/v2/payments?status=EXPIRED&perPage=100', undefined, fresh);
    expect(expired.body.pagination.totalItems).toBe(25);
    expect(expired.body.data.every((s: any) => s.status === 'EXPIRED')).toBe(true);

    // Some expiries recorded by the sweeper, the rest not yet: the pages still run newest first, each once.
    expect(await expireDueSessions(h.ctx, { batchSize: 7, maxBatches: 1 })).toBe(7);
    const seen: string[] = [];
    for (let page = 1; page <= 7; page++) {
      const res = await h.api('GET', `/v2/payments?status=EXPIRED&perPage=4&page=${page}`, undefined, fresh);
      expect(res.body.pagination).toEqual({ page, perPage: 4, totalItems: 25, totalPages: 7 });
      seen.push(...res.body.data.map((s: any) => s.id));
    }
    expect(seen).toEqual([...ids].reverse());
  });

  it('shows a merchant only its own sessions', async () => {
    const other = await h.otherMerchant();
    const res = await h.api('GET', '/v2/payments', undefined, { authorization: `Bearer ${other.token}` });
    expect(res.body.data).toEqual([]);
    expect(res.body.pagination.totalItems).toBe(0);
  });
});
