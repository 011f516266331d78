// X-REQUEST-ID (pivot-api §3.3): same key + same payload replays the original answer, same key + another
// payload is 409 idempotency_error, keys live 24 h and belong to one merchant; and, separately, an open
// session holds its clientReferenceId (409 duplicate_error) until it ends.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { DB_KINDS, makeHarness, requestId, uniqueReference, type ApiResponse, type Harness } from '../helpers/harness.ts';
import { seedAutoConfirmBody, seedConfirmLaterBody } from '../helpers/bodies.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

function expectError(res: ApiResponse, status: number, code: string): void {
  const where = JSON.stringify(res.body);
  expect(res.status, where).toBe(status);
  expect(res.body.code, where).toBe(code);
  expect(typeof res.body.message, where).toBe('string');
  expect(res.body.error, where).toMatchObject({
    type: 'API_ERROR',
    source: 'UPSTREAM',
    details: expect.any(Array),
    traceId: expect.any(String),
  });
  expect(res.body.data, where).toBeUndefined();
}

describe.each(DB_KINDS)('idempotency on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness(kind);
  });
  afterAll(async () => {
    await h?.close();
  });

  /** Like h.api, but with a token issued at the harness clock's now, so tests may move the clock. */
  async function call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}, token?: string) {
    const bearer = token ?? (await h.tokens.issueAccessToken(h.merchant.id, h.clock.now()));
    return h.api(method, url, body, { authorization: `Bearer ${bearer}`, ...headers });
  }
  const create = (body: unknown, key: string | undefined, token?: string) =>
    call('POST', '/v2/payments', body, key === undefined ? {} : { 'x-request-id': key }, token);

  /** Expiry times follow the harness clock, which tests move forward. */
  function autoBody(overrides: Record<string, unknown> = {}) {
    const expiryAt = new Date(h.clock.now().getTime() + 3600_000).toISOString();
    const body = seedAutoConfirmBody({ expiryAt, ...overrides });
    (body.paymentMethodOptions as any).virtualAccount.expiryAt = expiryAt;
    return body;
  }
  function laterBody(overrides: Record<string, unknown> = {}) {
    return seedConfirmLaterBody({ expiryAt: new Date(h.clock.now().getTime() + 3600_000).toISOString(), ...overrides });
  }

  async function sessionRows(reference: string, merchantId = h.merchant.id) {
    return h.store.db
      .selectFrom('payment_sessions')
      .select(['id', 'status'])
      .where('merchant_id', '=', merchantId)
      .where('client_reference_id', '=', reference)
      .execute();
  }

  it('same X-REQUEST-ID + same body replays the original response (same id, same VA number) and creates one session', async () => {
    const key = requestId();
    const body = autoBody();
    const first = await create(body, key);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.code).toBe('00');
    const va = first.body.data.paymentMethod.virtualAccount.virtualAccountNumber;
    expect(va).toMatch(/^\d+$/);

    const second = await create(body, key);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(second.body.data.paymentMethod.virtualAccount.virtualAccountNumber).toBe(va);

    // Key order is not part of the payload's identity.
    const reordered = Object.fromEntries(Object.entries(structuredClone(body)).reverse());
    const third = await create(reordered, key);
    expect(third.status).toBe(200);
    expect(third.body).toEqual(first.body);

    expect(await sessionRows(body.clientReferenceId)).toHaveLength(1);
    const keys = await h.store.db.selectFrom('idempotency_keys').select('key').where('key', '=', key).execute();
    expect(keys).toHaveLength(1);
  });

  it('the replay is the ORIGINAL response even after the session has moved on', async () => {
    const key = requestId();
    const body = autoBody();
    const first = await create(body, key);
    expect(first.status).toBe(200);
    const sim = await call('POST', '/v2/payments/simulations', { paymentSessionId: first.body.data.id, chargeStatus: 'SUCCESS' });
    expect(sim.status).toBe(200);
    const replay = await create(body, key);
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(first.body);
    expect(replay.body.data.status).toBe('REQUIRE_ACTION');
    const now = await call('GET', `/v2/payments/${first.body.data.id}`);
    expect(now.body.data.status).toBe('PAID');
  });

  it('a retry gets the original answer even when its body would now be refused: its expiryAt has passed', async () => {
    const key = requestId();
    const body = autoBody();
    const first = await create(body, key);
    expect(first.status).toBe(200);
    h.clock.advance(2 * 3600_000);
    expectError(await create(body, requestId()), 400, 'api_validation_error');
    const replay = await create(body, key);
    expect(replay.status, JSON.stringify(replay.body)).toBe(200);
    expect(replay.body).toEqual(first.body);
  });

  it('same key + different body is 409 idempotency_error and changes nothing', async () => {
    const key = requestId();
    const body = autoBody();
    const first = await create(body, key);
    expect(first.status).toBe(200);

    const changedAmount = await create({ ...body, amount: { value: 20_000, currency: 'IDR' } }, key);
    expectError(changedAmount, 409, 'idempotency_error');
    const otherReference = uniqueReference();
    const changedReference = await create({ ...body, clientReferenceId: otherReference }, key);
    expectError(changedReference, 409, 'idempotency_error');
    const otherShape = await create(laterBody(), key);
    expectError(otherShape, 409, 'idempotency_error');

    expect(await sessionRows(body.clientReferenceId)).toHaveLength(1);
    expect(await sessionRows(otherReference)).toHaveLength(0);
    // The original still replays.
    expect((await create(body, key)).body).toEqual(first.body);
  });

  it('a refused request does not burn its key: the corrected request with the same key succeeds', async () => {
    const key = requestId();
    const bad = await create(autoBody({ amount: { value: 500, currency: 'IDR' } }), key);
    expectError(bad, 400, 'api_validation_error');
    const good = autoBody();
    const res = await create(good, key);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((await create(good, key)).body).toEqual(res.body);
  });

  it('X-REQUEST-ID missing or malformed is 400 api_validation_error naming X-REQUEST-ID', async () => {
    const malformed = [
      undefined,
      '',
      'a'.repeat(15),
      'a'.repeat(37),
      'abcdef-0123456789-abcdef',
      'abcdef_0123456789_abcdef',
      'abcdef 0123456789 abcdef',
      'abcdef0123456789abcdé',
      'abcdef0123456789abcdef!',
    ];
    for (const key of malformed) {
      const body = autoBody();
      const res = await create(body, key);
      expectError(res, 400, 'api_validation_error');
      expect(res.body.error.details, `key ${JSON.stringify(key)}`).toContainEqual({
        field: 'X-REQUEST-ID',
        message: expect.any(String),
      });
      expect(await sessionRows(body.clientReferenceId)).toHaveLength(0);
    }
    // The boundaries themselves are fine.
    for (const key of ['a'.repeat(16), `${'Z9'.repeat(18)}`]) {
      const res = await create(autoBody(), key);
      expect(res.status, `${key}: ${JSON.stringify(res.body)}`).toBe(200);
    }
  });

  it('the key is per merchant: another merchant with the same key gets its own session', async () => {
    const key = requestId();
    const body = autoBody();
    const mine = await create(body, key);
    expect(mine.status).toBe(200);

    const other = await h.otherMerchant();
    const theirs = await create(body, key, other.token);
    expect(theirs.status, JSON.stringify(theirs.body)).toBe(200);
    expect(theirs.body.data.id).not.toBe(mine.body.data.id);
    expect(theirs.body.data.paymentMethod.virtualAccount.virtualAccountNumber).not.toBe(
      mine.body.data.paymentMethod.virtualAccount.virtualAccountNumber,
    );
    expect(await sessionRows(body.clientReferenceId)).toHaveLength(1);
    expect(await sessionRows(body.clientReferenceId, other.merchant.id)).toHaveLength(1);

    // And each merchant's key still replays its own answer, and only to its owner.
    expect((await create(body, key)).body).toEqual(mine.body);
    expect((await create(body, key, other.token)).body).toEqual(theirs.body);
    const otherGet = await call('GET', `/v2/payments/${mine.body.data.id}`, undefined, {}, other.token);
    expectError(otherGet, 404, 'resource_missing');
  });

  it('20 concurrent identical requests with one key: one session row, all 200 with the same id', async () => {
    for (let round = 0; round < 3; round++) {
      const key = requestId();
      const body = autoBody();
      const token = await h.tokens.issueAccessToken(h.merchant.id, h.clock.now());
      const results = await Promise.all(Array.from({ length: 20 }, () => create(body, key, token)));
      for (const r of results) expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(new Set(results.map((r) => r.body.data.id)).size).toBe(1);
      expect(new Set(results.map((r) => JSON.stringify(r.body))).size).toBe(1);
      expect(await sessionRows(body.clientReferenceId)).toHaveLength(1);
      const callbacks = await h.store.db
        .selectFrom('callbacks')
        .select('event')
        .where('resource_id', '=', results[0]!.body.data.id)
        .execute();
      expect(callbacks.map((c) => c.event)).toEqual(['PAYMENT.PROCESSING']);
    }
  });

  it('an open session holds its clientReferenceId (409 duplicate_error) until it is cancelled', async () => {
    const reference = uniqueReference();
    const first = await create(laterBody({ clientReferenceId: reference }), requestId());
    expect(first.status).toBe(200);
    expect(first.body.data.status).toBe('REQUIRE_PAYMENT_METHOD');

    const dup = await create(laterBody({ clientReferenceId: reference }), requestId());
    expectError(dup, 409, 'duplicate_error');
    const dupAuto = await create(autoBody({ clientReferenceId: reference }), requestId());
    expectError(dupAuto, 409, 'duplicate_error');

    const cancelled = await call('POST', `/v2/payments/${first.body.data.id}/cancel`, { cancellationReason: 'DUPLICATED' });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);

    const again = await create(autoBody({ clientReferenceId: reference }), requestId());
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.data.id).not.toBe(first.body.data.id);
    const rows = await sessionRows(reference);
    expect(rows.map((r) => r.status).sort()).toEqual(['CANCELLED', 'REQUIRE_ACTION']);
  });

  it('20 concurrent creates with different keys and one clientReferenceId: exactly one 200, the rest 409 duplicate_error', async () => {
    for (let round = 0; round < 3; round++) {
      const reference = uniqueReference();
      const token = await h.tokens.issueAccessToken(h.merchant.id, h.clock.now());
      const bodies = Array.from({ length: 20 }, (_, i) =>
        i % 2 ? autoBody({ clientReferenceId: reference }) : laterBody({ clientReferenceId: reference }),
      );
      const results = await Promise.all(bodies.map((b) => create(b, requestId(), token)));
      const ok = results.filter((r) => r.status === 200);
      expect(ok, JSON.stringify(results.map((r) => [r.status, r.body.code]))).toHaveLength(1);
      for (const r of results.filter((r) => r.status !== 200)) expectError(r, 409, 'duplicate_error');
      const rows = await sessionRows(reference);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.id).toBe(ok[0]!.body.data.id);
      // Losers left no idempotency record behind: their keys are free for a different payload.
    }
  });

  // These move the harness clock forward, so they run last.
  it('an open session past its expiryAt frees its clientReferenceId', async () => {
    const reference = uniqueReference();
    const first = await create(autoBody({ clientReferenceId: reference }), requestId());
    expect(first.status).toBe(200);
    expectError(await create(autoBody({ clientReferenceId: reference }), requestId()), 409, 'duplicate_error');

    h.clock.advance(3600_000 + 1000);
    const again = await create(autoBody({ clientReferenceId: reference }), requestId());
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.data.id).not.toBe(first.body.data.id);
    const old = await call('GET', `/v2/payments/${first.body.data.id}`);
    expect(old.body.data.status).toBe('EXPIRED');
    const rows = await sessionRows(reference);
    expect(rows.map((r) => r.status).sort()).toEqual(['EXPIRED', 'REQUIRE_ACTION']);
  });

  it('a key is remembered for 24 h, then may be reused for a new session', async () => {
    const key = requestId();
    const firstBody = autoBody();
    const first = await create(firstBody, key);
    expect(first.status).toBe(200);

    h.clock.advance(DAY_MS - 60_000);
    // Still inside the window: same payload replays, another payload conflicts.
    expect((await create(firstBody, key)).body).toEqual(first.body);
    expectError(await create(autoBody(), key), 409, 'idempotency_error');

    h.clock.advance(60_000 + 1000);
    // The first session may still hold its reference (its row can be open until swept): use a new one.
    const secondBody = autoBody();
    const second = await create(secondBody, key);
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect(second.body.data.id).not.toBe(first.body.data.id);
    expect(second.body.data.clientReferenceId).toBe(secondBody.clientReferenceId);
    // From now on the key replays the new answer.
    expect((await create(secondBody, key)).body).toEqual(second.body);
    expectError(await create(firstBody, key), 409, 'idempotency_error');
    const keys = await h.store.db
      .selectFrom('idempotency_keys')
      .select('key')
      .where('merchant_id', '=', h.merchant.id)
      .where('key', '=', key)
      .execute();
    expect(keys).toHaveLength(1);
  });
});
