import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, makeHarness, type Harness } from '../helpers/harness.ts';
import { seedAutoConfirmBody } from '../helpers/bodies.ts';
import { createSession, pagePath, postForm, PUBLIC_URL } from './helpers.ts';

const PER_TOKEN = 4;
const PER_ADDRESS = 10;

describe.each(DB_KINDS)('payment page rate limits on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness(kind, {
      publicUrl: PUBLIC_URL,
      pageRateLimits: { perTokenPerMinute: PER_TOKEN, perAddressPerMinute: PER_ADDRESS },
    });
  });
  afterAll(async () => h.close());

  const view = (path: string, remoteAddress: string) =>
    h.app.inject({ method: 'GET', url: path, remoteAddress, headers: { 'accept-language': 'en' } });

  it('limits each page token, with a friendly 429 page and Retry-After, and leaves other tokens alone', async () => {
    const a = await createSession(h, seedAutoConfirmBody());
    const b = await createSession(h, seedAutoConfirmBody());
    const statuses = [];
    for (let i = 0; i < PER_TOKEN + 1; i++) statuses.push((await view(pagePath(a.token), '198.51.100.1')).statusCode);
    expect(statuses).toEqual([...Array<number>(PER_TOKEN).fill(200), 429]);

    const refused = await view(`/detail/status?token=${encodeURIComponent(a.token)}`, '198.51.100.2');
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers['content-type']).toMatch(/^text\/html/);
    expect(refused.body).toContain('Too many requests');
    expect(refused.headers['x-frame-options']).toBe('DENY');

    expect((await view(pagePath(b.token), '198.51.100.1')).statusCode).toBe(200);
  });

  it('counts form posts against the token they carry', async () => {
    const s = await createSession(h, seedAutoConfirmBody());
    for (let i = 0; i < PER_TOKEN; i++) await view(pagePath(s.token), `203.0.113.${i + 1}`);
    const post = await postForm(h, '/detail/simulate', { token: s.token, outcome: 'SUCCESS' });
    expect(post.statusCode).toBe(429);
    expect((await h.api('GET', `/v2/payments/${s.id}`)).body.data.status).toBe('REQUIRE_ACTION');
  });

  it('limits each client address, whatever tokens it rotates through, before reading anything', async () => {
    const sessions = await Promise.all(Array.from({ length: 4 }, () => createSession(h, seedAutoConfirmBody())));
    const statuses = [];
    for (let i = 0; i < PER_ADDRESS + 1; i++) {
      const s = sessions[i % sessions.length]!;
      statuses.push((await view(`/detail/qr.png?token=${encodeURIComponent(s.token)}`, '192.0.2.77')).statusCode);
    }
    // A VA session has no QR: 404 until the address is over its limit.
    expect(statuses).toEqual([...Array<number>(PER_ADDRESS).fill(404), 429]);
    expect((await view('/detail?token=forged', '192.0.2.77')).statusCode).toBe(429);
    // Another shopper elsewhere is not affected.
    expect((await view(pagePath(sessions[0]!.token), '192.0.2.78')).statusCode).toBe(200);
  });
});
