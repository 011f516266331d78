import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import { Tokens } from '../../src/security/tokens.ts';
import { VA_CHANNELS } from '../../src/domain/payment-methods.ts';
import { DB_KINDS, type Harness } from '../helpers/harness.ts';
import { seedAutoConfirmBody, seedConfirmLaterBody } from '../helpers/bodies.ts';
import { createSession, get, makePageHarness, pagePath, postForm } from './helpers.ts';

function vaNumberIn(body: string): string | undefined {
  return /data-testid="va-number">(\d+)</.exec(body)?.[1];
}

describe.each(DB_KINDS)('hosted page on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makePageHarness(kind);
  });
  afterAll(async () => {
    await h.close();
  });

  describe('rendering a session', () => {
    it('shows the VA step of an autoConfirm session: bank, number, amount, instructions, countdown, summary', async () => {
      const s = await createSession(h, seedAutoConfirmBody());
      const res = await get(h, s.path);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      const number = vaNumberIn(res.body);
      expect(number).toBeDefined();
      // The number the merchant API returned for this session's charge.
      expect(JSON.stringify(s.data.chargeDetails)).toContain(`"${number}"`);
      expect(res.body).toContain('Virtual Account Permata');
      expect(res.body).toContain('Rp 10.000');
      expect(res.body).toContain(`data-copy="${number}"`);
      for (const method of ['ATM', 'Mobile banking', 'Internet banking'])
        expect(res.body).toContain(`<summary>${method}</summary>`);
      expect(res.body).toContain('PermataMobile X');
      const remaining = Number(/data-remaining="(\d+)"/.exec(res.body)?.[1]);
      expect(remaining).toBeGreaterThan(3500);
      expect(remaining).toBeLessThanOrEqual(3600);
      expect(res.body).toContain('Dress Kasual Warna Putih');
      expect(res.body).toContain('Ongkos kirim');
      expect(res.body).toContain('Reforza Pivot');
      expect(res.body).toContain('Reforza Jordan Geotama');
    });

    it('shows the same VA number on every reload', async () => {
      const s = await createSession(h, seedAutoConfirmBody());
      const first = vaNumberIn((await get(h, s.path)).body);
      const second = vaNumberIn((await get(h, s.path)).body);
      expect(first).toBeDefined();
      expect(second).toBe(first);
    });

    it('shows the QR step with an inline SVG and a PNG download', async () => {
      const s = await createSession(h, seedAutoConfirmBody({ paymentMethod: { type: 'QR' }, paymentMethodOptions: { qr: {} } }));
      const res = await get(h, s.path);
      expect(res.statusCode).toBe(200);
      expect(res.body).toMatch(/<svg role="img" aria-label="[^"]*Rp 10\.000"[^>]*viewBox=/);
      expect(res.body).toContain(`/detail/qr.png?token=${encodeURIComponent(s.token)}`);
      const png = await get(h, `/detail/qr.png?token=${s.token}`);
      expect(png.statusCode).toBe(200);
      expect(png.headers['content-type']).toBe('image/png');
      expect(png.headers['content-disposition']).toMatch(/^attachment; filename="qris-[A-Za-z0-9_-]+\.png"$/);
      expect(png.rawPayload.subarray(1, 4).toString()).toBe('PNG');
      // Reload renders the very same code.
      const svg = (b: string) => /<svg[\s\S]*?<\/svg>/.exec(b)?.[0];
      expect(svg((await get(h, s.path)).body)).toBe(svg(res.body));
    });

    it('has no QR download for a VA session', async () => {
      const s = await createSession(h, seedAutoConfirmBody());
      const png = await get(h, `/detail/qr.png?token=${s.token}`);
      expect(png.statusCode).toBe(404);
      expect(png.headers['content-type']).toMatch(/^text\/html/);
    });
  });

  describe('bad tokens get a friendly 4xx page and no session data', () => {
    let s: Awaited<ReturnType<typeof createSession>>;
    beforeAll(async () => {
      s = await createSession(h, seedAutoConfirmBody());
    });

    const cases: Array<[string, () => Promise<string>, number]> = [
      ['missing', async () => '/detail', 400],
      ['empty', async () => '/detail?token=', 400],
      ['malformed', async () => '/detail?token=not-a-jwt', 404],
      [
        'tampered payload',
        async () => {
          const [head, , sig] = s.token.split('.');
          const payload = Buffer.from(
            JSON.stringify({ uuid: 'another-session', iss: 'kasir-payment-page', exp: 9999999999 }),
          ).toString('base64url');
          return pagePath(`${head}.${payload}.${sig}`);
        },
        404,
      ],
      ['tampered signature', async () => pagePath(s.token.slice(0, -2) + (s.token.endsWith('AA') ? 'BB' : 'AA')), 404],
      [
        'foreign (another secret)',
        async () => pagePath(await new Tokens(randomBytes(32).toString('hex')).issuePageToken(s.id, null, new Date())),
        404,
      ],
      ['an access token', async () => pagePath(await h.tokens.issueAccessToken(h.merchant.id, new Date())), 404],
      [
        'a token for a session that does not exist',
        async () => pagePath(await h.tokens.issuePageToken('0b7c0a52-0000-4000-8000-000000000000', null, new Date())),
        404,
      ],
      ['oversized', async () => pagePath('a'.repeat(10_000)), 404],
    ];

    it.each(cases)('%s', async (_name, url, status) => {
      const res = await get(h, await url());
      expect(res.statusCode).toBe(status);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('data-testid="error"');
      expect(res.body).not.toContain(s.data.clientReferenceId);
      expect(res.body).not.toMatch(/Reforza|Rp \d|virtual account number|at \w+ \(/i);
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('the status endpoint answers 404 JSON to a bad token', async () => {
      const res = await get(h, '/detail/status?token=nope');
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: 'invalid_token' });
    });
  });

  describe('method picker (autoConfirm: false, no method)', () => {
    it('lists QRIS and every enabled VA bank', async () => {
      const s = await createSession(h, seedConfirmLaterBody());
      const res = await get(h, s.path);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('value="QR"');
      for (const bank of VA_CHANNELS) expect(res.body).toContain(`value="VIRTUAL_ACCOUNT:${bank}"`);
      expect(res.body).toContain('action="/detail/choose"');
    });

    it('offers only the methods whose limits accept the amount', async () => {
      const s = await createSession(h, seedConfirmLaterBody({ amount: { value: 5000, currency: 'IDR' } }));
      const res = await get(h, s.path);
      expect(res.body).toContain('value="QR"');
      expect(res.body).not.toContain('VIRTUAL_ACCOUNT:');
    });

    it('choosing a bank confirms through the confirm use case and shows the VA step', async () => {
      const s = await createSession(h, seedConfirmLaterBody());
      const chosen = await postForm(h, '/detail/choose', { token: s.token, lang: 'en', method: 'VIRTUAL_ACCOUNT:BCA' });
      expect(chosen.statusCode).toBe(303);
      expect(chosen.headers.location).toBe(pagePath(s.token, 'en'));
      const api = await h.api('GET', `/v2/payments/${s.id}`);
      expect(api.body.data.status).toBe('REQUIRE_ACTION');
      expect(JSON.stringify(api.body.data.chargeDetails)).toContain('BCA');
      const page = await get(h, chosen.headers.location as string);
      expect(page.body).toContain('Transfer to a BCA virtual account');
      expect(JSON.stringify(api.body.data)).toContain(vaNumberIn(page.body)!);
      expect(page.body).toContain('only be paid from a BCA account');
    });

    it('choosing QRIS shows the QR step', async () => {
      const s = await createSession(h, seedConfirmLaterBody());
      const chosen = await postForm(h, '/detail/choose', { token: s.token, method: 'QR' });
      expect(chosen.statusCode).toBe(303);
      const page = await get(h, chosen.headers.location as string);
      expect(page.body).toContain('<svg role="img"');
    });

    it('a second choice after the charge is out is a friendly 409 with a way back', async () => {
      const s = await createSession(h, seedConfirmLaterBody());
      await postForm(h, '/detail/choose', { token: s.token, method: 'VIRTUAL_ACCOUNT:BNI' });
      const again = await postForm(h, '/detail/choose', { token: s.token, method: 'VIRTUAL_ACCOUNT:BRI' });
      expect(again.statusCode).toBe(409);
      expect(again.body).toContain('data-testid="error"');
      expect(again.body).toContain(`href="${pagePath(s.token, 'id').replace('&', '&amp;')}"`);
      const api = await h.api('GET', `/v2/payments/${s.id}`);
      expect(JSON.stringify(api.body.data.chargeDetails)).toContain('BNI');
    });

    it.each([
      ['unknown bank', 'VIRTUAL_ACCOUNT:NOPE'],
      ['unknown method', 'CASH'],
      ['no method', ''],
    ])('refuses %s with a 400 page', async (_name, method) => {
      const s = await createSession(h, seedConfirmLaterBody());
      const res = await postForm(h, '/detail/choose', { token: s.token, method });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('data-testid="error"');
    });

    it('a session whose merchant already chose the method gets a one-tap confirm', async () => {
      const s = await createSession(
        h,
        seedConfirmLaterBody({
          paymentMethod: { type: 'VIRTUAL_ACCOUNT' },
          paymentMethodOptions: { virtualAccount: { channel: 'MANDIRI' } },
        }),
      );
      const page = await get(h, s.path);
      expect(page.body).toContain('value="CONFIRM"');
      expect(page.body).toContain('Mandiri Virtual Account');
      const res = await postForm(h, '/detail/choose', { token: s.token, method: 'CONFIRM' });
      expect(res.statusCode).toBe(303);
      const after = await get(h, res.headers.location as string);
      expect(after.body).toContain('Virtual Account Mandiri');
    });
  });

  describe('live status endpoint', () => {
    it('reports status and remaining seconds, then the final status with the return URL', async () => {
      const s = await createSession(h, seedAutoConfirmBody());
      const open = await get(h, `/detail/status?token=${s.token}`);
      expect(open.statusCode).toBe(200);
      expect(open.headers['cache-control']).toBe('no-store');
      const body = open.json();
      expect(body.status).toBe('REQUIRE_ACTION');
      expect(body.remainingSeconds).toBeGreaterThan(3500);
      expect(body.redirectUrl).toBeUndefined();
      await h.api('POST', '/v2/payments/simulations', { paymentSessionId: s.id, chargeStatus: 'SUCCESS' });
      const paid = (await get(h, `/detail/status?token=${s.token}`)).json();
      expect(paid.status).toBe('PAID');
      expect(paid.remainingSeconds).toBe(0);
      expect(paid.redirectUrl).toMatch(/^https:\/\/merchant\.com\/success\?/);
    });

    it('reports EXPIRED once the time is up, before any sweeper runs', async () => {
      const s = await createSession(h, seedAutoConfirmBody());
      h.clock.advance(2 * 3600_000);
      try {
        expect((await get(h, `/detail/status?token=${s.token}`)).json().status).toBe('EXPIRED');
        const page = await get(h, s.path);
        expect(page.body).toContain('data-testid="status-expired"');
        expect(page.headers.refresh).toMatch(/url=https:\/\/merchant\.com\/expiration\?/);
      } finally {
        h.clock.advance(-2 * 3600_000);
      }
    });
  });

  describe('status page and return URLs', () => {
    const outcomes = [
      ['SUCCESS', 'paid', 'https://merchant.com/success', 'PAID'],
      ['FAILED', 'failed', 'https://merchant.com/failure', 'CANCELLED'],
      ['EXPIRED', 'expired', 'https://merchant.com/expiration', 'EXPIRED'],
    ] as const;

    it.each(outcomes)('sandbox %s button → %s page → %s', async (outcome, shown, url, status) => {
      const s = await createSession(h, seedAutoConfirmBody());
      const sim = await postForm(h, '/detail/simulate', { token: s.token, lang: 'id', outcome });
      expect(sim.statusCode).toBe(303);
      expect(sim.headers.location).toBe(pagePath(s.token, 'id'));
      expect((await h.api('GET', `/v2/payments/${s.id}`)).body.data.status).toBe(status);
      const page = await get(h, sim.headers.location as string);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(`data-testid="status-${shown}"`);
      const target = new URL(
        /data-testid="return"/.test(page.body)
          ? /href="([^"]+)" data-testid="return"/.exec(page.body)![1]!.replace(/&amp;/g, '&')
          : '',
      );
      expect(`${target.origin}${target.pathname}`).toBe(url);
      expect(Object.fromEntries(target.searchParams)).toEqual({
        paymentSessionId: s.id,
        clientReferenceId: s.data.clientReferenceId,
        status,
      });
      expect(page.headers.refresh).toBe(`5; url=${target.toString()}`);
      expect(page.body).toContain('data-redirect-in="5"');
      expect(page.body).not.toContain('data-poll');
    });

    it('a session cancelled by the merchant shows the cancelled page and goes to the failure URL', async () => {
      const s = await createSession(h, seedConfirmLaterBody());
      const cancel = await h.api('POST', `/v2/payments/${s.id}/cancel`, { cancellationReason: 'REQUESTED_BY_CUSTOMER' });
      expect(cancel.status).toBe(200);
      const page = await get(h, s.path);
      expect(page.body).toContain('data-testid="status-cancelled"');
      expect(page.headers.refresh).toMatch(/url=https:\/\/merchant\.com\/failure\?/);
    });

    it('bypassStatusPage: the page answers 303 straight to the return URL', async () => {
      const s = await createSession(h, seedAutoConfirmBody({ bypassStatusPage: true }));
      expect((await get(h, s.path)).statusCode).toBe(200);
      await postForm(h, '/detail/simulate', { token: s.token, outcome: 'SUCCESS' });
      const res = await get(h, s.path);
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toMatch(/^https:\/\/merchant\.com\/success\?paymentSessionId=/);
    });

    it("only the session's own return URL is a target, whatever the request carries", async () => {
      const s = await createSession(h, seedAutoConfirmBody({ bypassStatusPage: true }));
      await postForm(h, '/detail/simulate', { token: s.token, outcome: 'SUCCESS', redirectUrl: 'https://evil.example/' });
      const res = await get(h, `${s.path}&redirectUrl=https://evil.example/&successReturnUrl=https://evil.example/`);
      expect(new URL(res.headers.location as string).origin).toBe('https://merchant.com');
    });

    it('without a return URL the status page stays, with no redirect', async () => {
      const s = await createSession(
        h,
        seedAutoConfirmBody({ redirectUrl: { failureReturnUrl: 'https://merchant.com/failure' }, bypassStatusPage: true }),
      );
      await postForm(h, '/detail/simulate', { token: s.token, outcome: 'SUCCESS' });
      const res = await get(h, s.path);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('data-testid="status-paid"');
      expect(res.headers.refresh).toBeUndefined();
      expect(res.body).not.toContain('data-testid="return"');
    });
  });

  describe('domain refusals become friendly pages', () => {
    it('simulating payment of a paid session is a 409 page, not a 500', async () => {
      const s = await createSession(h, seedAutoConfirmBody());
      await postForm(h, '/detail/simulate', { token: s.token, outcome: 'SUCCESS' });
      const again = await postForm(h, '/detail/simulate', { token: s.token, outcome: 'FAILED' });
      expect(again.statusCode).toBe(409);
      expect(again.body).toContain('data-testid="error"');
      expect(again.body).toContain('Kembali ke halaman pembayaran');
    });

    it('an unknown outcome is a 400 page', async () => {
      const s = await createSession(h, seedAutoConfirmBody());
      const res = await postForm(h, '/detail/simulate', { token: s.token, outcome: 'MAYBE' });
      expect(res.statusCode).toBe(400);
    });

    it('the picker page offers only expiry simulation, and it works', async () => {
      const s = await createSession(h, seedConfirmLaterBody());
      const page = await get(h, s.path);
      expect(page.body).toContain('data-testid="simulate-expired"');
      expect(page.body).not.toContain('data-testid="simulate-success"');
      const res = await postForm(h, '/detail/simulate', { token: s.token, outcome: 'EXPIRED' });
      expect(res.statusCode).toBe(303);
      expect((await get(h, s.path)).body).toContain('data-testid="status-expired"');
    });

    it('a malformed form body is a 4xx page', async () => {
      const res = await h.app.inject({
        method: 'POST',
        url: '/detail/choose',
        headers: { 'content-type': 'application/json' },
        payload: '{',
      });
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
    });
  });

  describe('languages', () => {
    it('defaults to Indonesian, follows Accept-Language, and ?lang= wins', async () => {
      const s = await createSession(h, seedAutoConfirmBody());
      const id = await get(h, s.path);
      expect(id.body).toContain('<html lang="id">');
      expect(id.body).toContain('Total pembayaran');
      expect(id.body).toContain(`href="${pagePath(s.token, 'en').replace('&', '&amp;')}" hreflang="en" lang="en">English</a>`);
      const en = await get(h, s.path, { 'accept-language': 'en-GB,en;q=0.9' });
      expect(en.body).toContain('<html lang="en">');
      expect(en.body).toContain('Total to pay');
      expect(en.body).toContain('>Bahasa Indonesia</a>');
      const forced = await get(h, pagePath(s.token, 'id'), { 'accept-language': 'en' });
      expect(forced.body).toContain('Total pembayaran');
      const en2 = await get(h, pagePath(s.token, 'en'));
      expect(en2.body).toContain('How to pay');
    });

    it('error pages follow the language too', async () => {
      const res = await get(h, '/detail?token=bad', { 'accept-language': 'en' });
      expect(res.body).toContain('This payment page cannot be opened');
      expect((await get(h, '/detail?token=bad')).body).toContain('Halaman pembayaran tidak dapat dibuka');
    });
  });
});
