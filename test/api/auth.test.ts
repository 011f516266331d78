import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { decodeJwt } from 'jose';
import { rotateClientSecret, seedMerchant } from '../../src/usecases/merchants.ts';
import { openStore } from '../../src/store/database.ts';
import { SECRET_HASH_COST } from '../../src/security/secrets.ts';
import { DB_KINDS, makeHarness, openTestStore, type Harness, type HarnessOptions, type TestStore } from '../helpers/harness.ts';

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

  it("refuses an access token issued before the merchant's secret changed, at once", async () => {
    const issued = (await exchange(h.merchant.id, h.merchantSecret)).json().data.accessToken;
    const bearer = { authorization: `Bearer ${issued}` };
    expect((await h.api('GET', '/v2/payment-method-configs', undefined, bearer)).status).toBe(200);

    const { clientSecret } = await rotateClientSecret(h.store.db, h.merchant.id);
    const after = await h.api('GET', '/v2/payment-method-configs', undefined, bearer);
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('credentials_invalid');
    expect((await exchange(h.merchant.id, h.merchantSecret)).statusCode).toBe(401);

    const fresh = await exchange(h.merchant.id, clientSecret);
    expect(fresh.statusCode).toBe(200);
    const reopened = { authorization: `Bearer ${fresh.json().data.accessToken}` };
    expect((await h.api('GET', '/v2/payment-method-configs', undefined, reopened)).status).toBe(200);
    h.merchantSecret = clientSecret;
  });
});

/** A second instance's own connection to a test store's database (file or schema). */
async function sameDatabase(store: TestStore): Promise<TestStore> {
  const own = await openStore(
    store.kind === 'sqlite'
      ? { kind: 'sqlite', path: store.databaseUrl.slice('file:'.length) }
      : { kind: 'postgres', url: store.databaseUrl, schema: store.schema },
  );
  return { ...store, ...own, destroy: () => own.close() };
}

/**
 * Moves the harnesses' clocks (all still at real time) together to just after the start of the next
 * one-minute window, so a test's hits cannot straddle two windows.
 */
function startOfWindow(...harnesses: Harness[]): void {
  const ahead = 60_000 - (Date.now() % 60_000) + 5;
  for (const h of harnesses) h.clock.advance(ahead);
}

describe.each(DB_KINDS)('access-token limits on %s', (kind) => {
  const opened: Harness[] = [];
  afterEach(async () => {
    for (const h of opened.splice(0)) await h.close();
  });
  // Secret checks at Kasir's own cost: the limits are judged by how long the checks they let through take.
  const harness = async (options: HarnessOptions) => {
    const h = await makeHarness(kind, { hashCost: SECRET_HASH_COST, ...options });
    opened.push(h);
    return h;
  };

  const exchangeFrom = (app: FastifyInstance, remoteAddress: string, id: string, secret: string, headers = {}) =>
    app.inject({
      method: 'POST',
      url: '/v1/access-token',
      remoteAddress,
      headers: { 'x-merchant-id': id, 'x-merchant-secret': secret, ...headers },
      payload: { grantType: 'client_credentials' },
    });

  it('limits one client address whatever merchant ids it sends; a merchant elsewhere still gets its token fast', async () => {
    const h = await harness({ tokenRateLimitPerMinute: 5 });
    startOfWindow(h);
    // What one exchange takes on this machine right now, unhurried (the median of three): "fast" is
    // measured against it.
    const quiet: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      expect((await exchangeFrom(h.app, `198.51.100.1${i}`, h.merchant.id, h.merchantSecret)).statusCode).toBe(200);
      quiet.push(performance.now() - started);
    }
    const quietMs = quiet.sort((a, b) => a - b)[1]!;
    // One address rotates merchant ids, 300 at once: only its first 5 reach a secret check.
    const flood = Promise.all(
      Array.from({ length: 300 }, (_, i) => exchangeFrom(h.app, '203.0.113.7', `guess-${i}`, 'not-the-secret')),
    );
    const started = performance.now();
    const legitimate = await exchangeFrom(h.app, '198.51.100.20', h.merchant.id, h.merchantSecret);
    const legitimateMs = performance.now() - started;
    const answers = await flood;

    expect(legitimate.statusCode).toBe(200);
    // Behind at most the flood's 5 checks and its 300 limit lookups: 5-8 exchanges' time here alone, 26
    // once in CI while the other test worker's load rose after the quiet ones were timed. Unlimited (no
    // address limit, no bound on checks at once), it waits behind all 300 checks on two cores: 100-130.
    expect(legitimateMs).toBeLessThan(50 * quietMs);
    const statuses = answers.map((a) => a.statusCode);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(295);
    const refused = answers.find((a) => a.statusCode === 429)!;
    expect(refused.json()).toMatchObject({ code: 'frequency_above_limit', error: { type: 'API_ERROR', details: [] } });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    // The limit is on the token exchange only: the API itself is not limited.
    expect((await h.api('GET', '/v2/payment-method-configs')).status).toBe(200);
  });

  it('limits one merchant id across addresses, separately from each address', async () => {
    const h = await harness({ tokenRateLimitPerMerchantPerMinute: 3 });
    startOfWindow(h);
    for (let i = 1; i <= 3; i++) {
      expect((await exchangeFrom(h.app, `192.0.2.${i}`, h.merchant.id, 'wrong')).statusCode).toBe(401);
    }
    const fromNewAddress = await exchangeFrom(h.app, '192.0.2.99', h.merchant.id, h.merchantSecret);
    expect(fromNewAddress.statusCode).toBe(429);
    expect(fromNewAddress.json().code).toBe('frequency_above_limit');
    // Another merchant id from the same addresses has its own allowance.
    const other = await h.otherMerchant();
    expect((await exchangeFrom(h.app, '192.0.2.1', other.merchant.id, 'wrong')).statusCode).toBe(401);
  });

  it('counts IPv6 clients by their /64', async () => {
    const h = await harness({ tokenRateLimitPerMinute: 2 });
    startOfWindow(h);
    expect((await exchangeFrom(h.app, '2001:db8:5:6::1', 'a', 'x')).statusCode).toBe(401);
    expect((await exchangeFrom(h.app, '2001:db8:5:6:ffff::2', 'b', 'x')).statusCode).toBe(401);
    expect((await exchangeFrom(h.app, '2001:db8:5:6:1234:5678:9abc:def0', 'c', 'x')).statusCode).toBe(429);
    expect((await exchangeFrom(h.app, '2001:db8:5:7::1', 'd', 'x')).statusCode).toBe(401);
  });

  it('believes X-Forwarded-For only from a configured proxy', async () => {
    const direct = await harness({ tokenRateLimitPerMinute: 2 });
    startOfWindow(direct);
    const spoofed = (i: number) =>
      exchangeFrom(direct.app, '127.0.0.1', 'someone', 'x', { 'x-forwarded-for': `198.51.100.${i}` });
    expect([(await spoofed(1)).statusCode, (await spoofed(2)).statusCode, (await spoofed(3)).statusCode]).toEqual([
      401, 401, 429,
    ]);

    const proxied = await harness({ tokenRateLimitPerMinute: 2, trustProxy: ['127.0.0.1'] });
    startOfWindow(proxied);
    const behindProxy = (client: string) => exchangeFrom(proxied.app, '127.0.0.1', 'someone', 'x', { 'x-forwarded-for': client });
    for (const client of ['198.51.100.1', '198.51.100.1']) expect((await behindProxy(client)).statusCode).toBe(401);
    expect((await behindProxy('198.51.100.1')).statusCode).toBe(429);
    expect((await behindProxy('198.51.100.2')).statusCode).toBe(401);
  });

  it('caps the secret checks running at once: a flood from many addresses gets quick 429s', async () => {
    const h = await harness({});
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => exchangeFrom(h.app, `10.9.${i}.1`, `guess-${i}`, 'not-the-secret')),
    );
    const statuses = answers.map((a) => a.statusCode);
    // Two checks run and eight wait; the rest are refused without a check.
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(10);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(20);
    const busy = answers.find((a) => a.statusCode === 429)!;
    expect(busy.json().code).toBe('frequency_above_limit');
    expect(busy.headers['retry-after']).toBe('1');
  });

  it('shares the counts between instances on one database', async () => {
    const store = await openTestStore(kind);
    const first = await harness({ store, tokenRateLimitPerMinute: 4 });
    const second = await harness({ store: await sameDatabase(store), tokenRateLimitPerMinute: 4 });
    startOfWindow(first, second);
    const from = (app: FastifyInstance) => exchangeFrom(app, '203.0.113.50', 'nobody', 'x');
    for (const app of [first.app, second.app, first.app, second.app]) expect((await from(app)).statusCode).toBe(401);
    expect((await from(second.app)).statusCode).toBe(429);
    expect((await from(first.app)).statusCode).toBe(429);
  });

  it('refuses tokens from before a start with a changed KASIR_MERCHANT_SECRET, not after an unchanged one', async () => {
    const h = await harness({});
    const before = {
      authorization: `Bearer ${(await exchangeFrom(h.app, '192.0.2.20', h.merchant.id, h.merchantSecret)).json().data.accessToken}`,
    };
    await seedMerchant(h.store.db, { id: h.merchant.id, secret: h.merchantSecret });
    expect((await h.api('GET', '/v2/payments', undefined, before)).status).toBe(200);
    await seedMerchant(h.store.db, { id: h.merchant.id, secret: 'a-new-seeded-secret' });
    expect((await h.api('GET', '/v2/payments', undefined, before)).status).toBe(401);
    expect((await exchangeFrom(h.app, '192.0.2.20', h.merchant.id, 'a-new-seeded-secret')).statusCode).toBe(200);
  });

  it('refuses tokens from before a secret change on every instance', async () => {
    const store = await openTestStore(kind);
    const tokenSecret = randomBytes(32).toString('hex');
    const first = await harness({ store, tokenSecret });
    const second = await harness({ store: await sameDatabase(store), tokenSecret });
    const issued = await exchangeFrom(first.app, '192.0.2.10', first.merchant.id, first.merchantSecret);
    const bearer = { authorization: `Bearer ${issued.json().data.accessToken}` };
    for (const h of [first, second]) expect((await h.api('GET', '/v2/payments', undefined, bearer)).status).toBe(200);
    await rotateClientSecret(store.db, first.merchant.id);
    for (const h of [first, second]) expect((await h.api('GET', '/v2/payments', undefined, bearer)).status).toBe(401);
  });
});
