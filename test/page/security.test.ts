import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { DB_KINDS, type Harness } from '../helpers/harness.ts';
import { seedAutoConfirmBody, seedConfirmLaterBody } from '../helpers/bodies.ts';
import { escapeHtml } from '../../src/page/html.ts';
import { createSession, get, makePageHarness, postForm } from './helpers.ts';

const SCRIPT = '<script>alert(1)</script>';
const ATTR = '"><img src=x onerror=alert(1)>';
// statementDescriptor is at most 20 characters.
const SHORT_SCRIPT = '<script>x()</script>';
const SHORT_ATTR = '"><svg onload=x()>';

function hostileBody(descriptor: string) {
  const base = seedAutoConfirmBody();
  return seedAutoConfirmBody({
    statementDescriptor: descriptor,
    customer: { ...(base.customer as object), givenName: SCRIPT, sureName: ATTR },
    paymentMethodOptions: { virtualAccount: { channel: 'BRI', virtualAccountName: `${ATTR}${SCRIPT}` } },
    orderInformation: {
      ...(base.orderInformation as object),
      productDetails: [
        { type: 'PHYSICAL', category: 'X', name: SCRIPT, quantity: 1, price: { value: 5000, currency: 'IDR' } },
        { type: 'PHYSICAL', category: 'X', name: ATTR, quantity: 2, price: { value: 2500, currency: 'IDR' } },
        { type: 'PHYSICAL', category: 'X', name: "' onmouseover='alert(1)", quantity: 1, price: { value: 1, currency: 'IDR' } },
      ],
    },
  });
}

/** Every tag in the page, so we can check no payload created one. */
function tags(body: string): string[] {
  return body.match(/<[a-zA-Z][^>]*>/g) ?? [];
}

describe.each(DB_KINDS)('page security on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makePageHarness(kind);
  });
  afterAll(async () => {
    await h.close();
  });

  describe('escaping merchant- and customer-supplied strings', () => {
    it.each([
      ['VA page', SHORT_SCRIPT, 'va'],
      ['VA page', SHORT_ATTR, 'va'],
      ['status page', SHORT_SCRIPT, 'paid'],
      ['status page', SHORT_ATTR, 'paid'],
    ])('%s with statementDescriptor %s', async (_name, descriptor, stage) => {
      const s = await createSession(h, hostileBody(descriptor));
      if (stage === 'paid') await postForm(h, '/detail/simulate', { token: s.token, outcome: 'SUCCESS' });
      const res = await get(h, s.path);
      expect(res.statusCode).toBe(200);
      for (const raw of [SCRIPT, ATTR, SHORT_SCRIPT, SHORT_ATTR]) expect(res.body).not.toContain(raw);
      expect(res.body).not.toMatch(/<img|<svg onload/i);
      // No tag carries an event handler, and the only scripts are our external file.
      for (const tag of tags(res.body)) {
        expect(tag).not.toMatch(/\son\w+=/i);
        if (tag.startsWith('<script')) expect(tag).toMatch(/^<script src="\/detail\/assets\/page\.[0-9a-f]{12}\.js" defer>$/);
      }
      expect(res.body).toContain(escapeHtml(descriptor));
      if (stage === 'va') {
        expect(res.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
        expect(res.body).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
        expect(res.body).toContain('&#39; onmouseover=&#39;alert(1)');
      }
    });

    it('the picker page escapes too', async () => {
      const body = hostileBody(SHORT_ATTR) as Record<string, unknown>;
      delete body.paymentMethod;
      delete body.paymentMethodOptions;
      const s = await createSession(h, { ...body, autoConfirm: false });
      const res = await get(h, s.path);
      expect(res.body).toContain('VIRTUAL_ACCOUNT:BCA');
      for (const raw of [SCRIPT, ATTR, SHORT_ATTR]) expect(res.body).not.toContain(raw);
    });
  });

  describe('headers', () => {
    it('every page response carries CSP, a same-origin referrer policy, no-store and denies framing', async () => {
      const s = await createSession(h, seedAutoConfirmBody());
      for (const res of [
        await get(h, s.path),
        await get(h, '/detail?token=bad'),
        await get(h, `/detail/status?token=${s.token}`),
      ]) {
        const csp = String(res.headers['content-security-policy']);
        expect(csp).toContain("default-src 'none'");
        expect(csp).toContain("script-src 'self'");
        expect(csp).toContain("frame-ancestors 'none'");
        expect(csp).not.toContain('unsafe-inline');
        expect(csp).not.toContain('unsafe-eval');
        // Other sites never see the URL (it carries the token); the page's own posts keep their Origin.
        expect(res.headers['referrer-policy']).toBe('same-origin');
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.headers['x-frame-options']).toBe('DENY');
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        // The rest of helmet's set, computed once at start-up, arrives on every answer too.
        expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
        expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
        expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
        expect(res.headers['x-permitted-cross-domain-policies']).toBe('none');
        expect(res.headers['permissions-policy']).toContain('payment=()');
      }
    });

    it('the page headers and form parsing stay inside the page: the merchant API is untouched', async () => {
      const res = await h.api('GET', '/v2/payment-method-configs');
      expect(res.status).toBe(200);
      expect(res.headers['content-security-policy']).toBeUndefined();
      const form = await h.app.inject({
        method: 'POST',
        url: '/v2/payments',
        headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'clientReferenceId=x',
      });
      expect(form.statusCode).toBe(415);
    });

    it("form-action allows only 'self' and the session's own return origins", async () => {
      const s = await createSession(h, seedAutoConfirmBody());
      const csp = String((await get(h, s.path)).headers['content-security-policy']);
      expect(csp).toMatch(/form-action 'self' https:\/\/merchant\.com;/);
    });

    it('the page has no inline script or style', async () => {
      const s = await createSession(h, seedAutoConfirmBody({ paymentMethod: { type: 'QR' }, paymentMethodOptions: { qr: {} } }));
      const body = (await get(h, s.path)).body;
      expect(body).not.toMatch(/<script(?![^>]*\ssrc=)/);
      expect(body).not.toMatch(/\sstyle=/);
      expect(body).not.toMatch(/<style/);
    });

    it('assets are served under hashed names with long caching', async () => {
      const s = await createSession(h, seedAutoConfirmBody());
      const body = (await get(h, s.path)).body;
      const css = /href="(\/detail\/assets\/page\.[0-9a-f]{12}\.css)"/.exec(body)![1]!;
      const js = /src="(\/detail\/assets\/page\.[0-9a-f]{12}\.js)"/.exec(body)![1]!;
      const cssRes = await get(h, css);
      const jsRes = await get(h, js);
      expect(cssRes.headers['content-type']).toMatch(/^text\/css/);
      expect(jsRes.headers['content-type']).toMatch(/^text\/javascript/);
      expect(cssRes.headers['cache-control']).toContain('immutable');
      expect((await get(h, '/detail/assets/page.000000000000.js')).statusCode).toBe(404);
    });
  });

  describe('cross-site form posts', () => {
    it.each([
      ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
      ['Sec-Fetch-Site: same-site', { 'sec-fetch-site': 'same-site' }],
      ['a foreign Origin without Sec-Fetch-Site', { 'sec-fetch-site': '', origin: 'https://evil.example' }],
      ['Origin: null (a sandboxed frame, a data: URL) without Sec-Fetch-Site', { 'sec-fetch-site': '', origin: 'null' }],
      ['Origin: null even beside Sec-Fetch-Site: same-origin', { 'sec-fetch-site': 'same-origin', origin: 'null' }],
    ])('refuses %s with 403', async (_name, headers) => {
      const s = await createSession(h, seedAutoConfirmBody());
      const hdrs = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== ''));
      const res = await h.app.inject({
        method: 'POST',
        url: '/detail/simulate',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...hdrs },
        payload: new URLSearchParams({ token: s.token, outcome: 'SUCCESS' }).toString(),
      });
      expect(res.statusCode).toBe(403);
      expect((await h.api('GET', `/v2/payments/${s.id}`)).body.data.status).toBe('REQUIRE_ACTION');
      const choose = await createSession(h, seedConfirmLaterBody());
      const res2 = await h.app.inject({
        method: 'POST',
        url: '/detail/choose',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...hdrs },
        payload: new URLSearchParams({ token: choose.token, method: 'QR' }).toString(),
      });
      expect(res2.statusCode).toBe(403);
    });

    it('accepts a same-origin post: Sec-Fetch-Site same-origin with the own Origin, or the own Origin alone', async () => {
      const a = await createSession(h, seedAutoConfirmBody());
      expect((await postForm(h, '/detail/simulate', { token: a.token, outcome: 'SUCCESS' })).statusCode).toBe(303);
      const b = await createSession(h, seedAutoConfirmBody());
      const res = await postForm(
        h,
        '/detail/simulate',
        { token: b.token, outcome: 'SUCCESS' },
        { 'sec-fetch-site': '', origin: 'http://kasir.test' },
      );
      expect(res.statusCode).toBe(303);
    });

    it('a post without a valid token changes nothing', async () => {
      const res = await postForm(h, '/detail/simulate', { token: 'forged', outcome: 'SUCCESS' });
      expect(res.statusCode).toBe(404);
    });
  });

  describe('size budget', () => {
    it.each([
      ['VA', () => seedAutoConfirmBody()],
      ['QR', () => seedAutoConfirmBody({ paymentMethod: { type: 'QR' }, paymentMethodOptions: { qr: {} } })],
      ['picker', () => seedConfirmLaterBody()],
    ])('%s page: HTML + CSS + JS under 60 KB', async (_name, body) => {
      const s = await createSession(h, body());
      const page = (await get(h, s.path)).body;
      const css = (await get(h, /href="(\/detail\/assets\/[^"]+\.css)"/.exec(page)![1]!)).body;
      const js = (await get(h, /src="(\/detail\/assets\/[^"]+\.js)"/.exec(page)![1]!)).body;
      const total = Buffer.byteLength(page) + Buffer.byteLength(css) + Buffer.byteLength(js);
      expect(total).toBeLessThan(60 * 1024);
    });
  });
});

describe.each(DB_KINDS)('production page on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makePageHarness(kind, 'production');
  });
  afterAll(async () => {
    await h.close();
  });

  it('has no sandbox banner, no simulation buttons and no simulate route', async () => {
    const s = await createSession(h, seedAutoConfirmBody());
    const page = await get(h, s.path);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('class="sandbox"');
    expect(page.body).not.toContain('/detail/simulate');
    expect(page.body).not.toMatch(/simulat/i);
    const picker = await get(h, (await createSession(h, seedConfirmLaterBody())).path);
    expect(picker.body).not.toMatch(/simulat/i);
    const res = await postForm(h, '/detail/simulate', { token: s.token, outcome: 'SUCCESS' });
    expect(res.statusCode).toBe(404);
    expect((await h.api('GET', `/v2/payments/${s.id}`)).body.data.status).toBe('REQUIRE_ACTION');
  });
});
