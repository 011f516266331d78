import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { DB_KINDS, makeHarness, type Harness } from '../helpers/harness.ts';

describe.each(DB_KINDS)('POST /v1/access-token on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness(kind);
  });
  afterAll(async () => h.close());

  const exchange = (id: string, secret: string, body: unknown = { grantType: 'client_credentials' }) =>
    h.app.inject({
      method: 'POST',
      url: '/v1/access-token',
      headers: { 'x-merchant-id': id, 'x-merchant-secret': secret },
      payload: body as object,
    });

  it('issues a 900-second bearer token that opens /v2', async () => {
    const res = await exchange(h.merchant.id, h.merchantSecret);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ code: '00', message: 'Success', data: { expiresIn: '900', tokenType: 'Bearer' } });
    const claims = decodeJwt(body.data.accessToken);
    expect(claims.exp! - claims.iat!).toBe(900);
    const list = await h.api('GET', '/v2/payment-method-configs', undefined, {
      authorization: `Bearer ${body.data.accessToken}`,
    });
    expect(list.status).toBe(200);
  });

  it('answers 401 credentials_invalid for a wrong secret, an unknown id, or missing headers', async () => {
    for (const res of [
      await exchange(h.merchant.id, 'wrong'),
      await exchange('nobody', h.merchantSecret),
      await h.app.inject({ method: 'POST', url: '/v1/access-token', payload: { grantType: 'client_credentials' } }),
    ]) {
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('credentials_invalid');
    }
  });

  it('answers 400 for another grant type', async () => {
    const res = await exchange(h.merchant.id, h.merchantSecret, { grantType: 'password' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].field).toBe('grantType');
  });

  it('stores the secret hashed, never in clear', async () => {
    const row = await h.store.db.selectFrom('merchants').selectAll().where('id', '=', h.merchant.id).executeTakeFirstOrThrow();
    expect(row.secret_hash).not.toContain(h.merchantSecret);
    expect(row.secret_hash).toMatch(/^scrypt\$/);
  });

  it('refuses an access token after its 900 seconds', async () => {
    h.clock.advance(901_000);
    try {
      const res = await h.api('GET', '/v2/payments');
      expect(res.status).toBe(401);
    } finally {
      h.clock.advance(-901_000);
    }
  });

  it('limits exchanges per client and merchant id: 429 frequency_above_limit in the envelope', async () => {
    const limited = await makeHarness(kind, { tokenRateLimitPerMinute: 3 });
    try {
      const exchangeOn = (id: string) =>
        limited.app.inject({
          method: 'POST',
          url: '/v1/access-token',
          headers: { 'x-merchant-id': id, 'x-merchant-secret': limited.merchantSecret },
          payload: { grantType: 'client_credentials' },
        });
      for (let i = 0; i < 3; i++) expect((await exchangeOn(limited.merchant.id)).statusCode).toBe(200);
      const refused = await exchangeOn(limited.merchant.id);
      expect(refused.statusCode).toBe(429);
      expect(refused.json()).toMatchObject({ code: 'frequency_above_limit', error: { type: 'API_ERROR', details: [] } });
      expect(refused.headers['retry-after']).toBeDefined();
      // Another merchant id from the same client has its own allowance; the API itself is not limited.
      expect((await exchangeOn('someone-else')).statusCode).toBe(401);
      expect((await limited.api('GET', '/v2/payment-method-configs')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
