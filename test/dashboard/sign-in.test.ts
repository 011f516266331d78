// Dashboard sign-in and sign-out, sessions and their cookie, CSRF on every form, the sign-in rate limit,
// the idle timeout (moved by the harness clock), headers, languages, and KASIR_DASHBOARD=false.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, createTestDashboardUser, makeHarness, type Harness } from '../helpers/harness.ts';
import { Browser, cookieValue, csrfOf, signedIn } from './helpers.ts';

describe.each(DB_KINDS)('dashboard sign-in on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness(kind);
  });
  afterAll(async () => h.close());

  it('sends a visitor without a session to the sign-in page', async () => {
    const b = new Browser(h);
    for (const url of ['/dashboard', '/dashboard/developers', '/dashboard/audit']) {
      const res = await b.get(url);
      expect(res.status).toBe(303);
      expect(res.location).toBe('/dashboard/sign-in');
    }
  });

  it('signs in with the right password only; the session cookie is HttpOnly, SameSite=Lax, under /dashboard', async () => {
    const { password } = await createTestDashboardUser(h.store.db, {
      merchantId: h.merchant.id,
      email: 'owner@signin.test',
      role: 'owner',
    });
    const b = new Browser(h);
    const wrong = await b.signIn('owner@signin.test', 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toContain('Email atau kata sandi salah.');
    expect(cookieValue(wrong, 'kasir_dash')).toBeUndefined();
    const unknown = await b.signIn('nobody@signin.test', password);
    expect(unknown.status).toBe(401);

    const ok = await b.signIn('OWNER@signin.test', password);
    expect(ok.status).toBe(303);
    expect(ok.location).toBe('/dashboard');
    const cookie = ok.setCookies.find((c) => c.startsWith('kasir_dash='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\/dashboard/);
    expect(cookie).not.toMatch(/Secure/);
    const home = await b.get('/dashboard');
    expect(home.location).toBe('/dashboard/overview');
    const dev = await b.get('/dashboard/developers');
    expect(dev.status).toBe(200);
    expect(dev.body).toContain(h.merchant.id);
    expect(dev.body).toContain('owner@signin.test');
  });

  it('refuses a sign-in post without the form token (login CSRF) or from another site', async () => {
    const { password } = await createTestDashboardUser(h.store.db, {
      merchantId: h.merchant.id,
      email: 'csrf@signin.test',
      role: 'viewer',
    });
    const b = new Browser(h);
    const noCookie = await b.post('/dashboard/sign-in', { csrf: 'x', email: 'csrf@signin.test', password });
    expect(noCookie.status).toBe(403);
    const form = await b.get('/dashboard/sign-in');
    expect((await b.post('/dashboard/sign-in', { email: 'csrf@signin.test', password })).status).toBe(403);
    expect(
      (await b.post('/dashboard/sign-in', { csrf: `${csrfOf(form.body)}x`, email: 'csrf@signin.test', password })).status,
    ).toBe(403);
    const crossSite = await b.post(
      '/dashboard/sign-in',
      { csrf: csrfOf(form.body), email: 'csrf@signin.test', password },
      { origin: 'https://evil.test', 'sec-fetch-site': 'cross-site' },
    );
    expect(crossSite.status).toBe(403);
    expect(b.cookies.has('kasir_dash')).toBe(false);
  });

  it('signs out only with the CSRF token; the old cookie no longer works', async () => {
    const { browser } = await signedIn(h, 'viewer');
    const stolen = browser.cookies.get('kasir_dash');
    expect((await browser.post('/dashboard/sign-out', {})).status).toBe(403);
    expect((await browser.post('/dashboard/sign-out', { csrf: 'wrong' })).status).toBe(403);
    expect((await browser.get('/dashboard/developers')).status).toBe(200);
    const out = await browser.submit('/dashboard/developers', '/dashboard/sign-out');
    expect(out.status).toBe(303);
    expect(out.location).toBe('/dashboard/sign-in?out=1');
    expect(out.setCookies.find((c) => c.startsWith('kasir_dash='))).toMatch(/Max-Age=0/);
    const replay = new Browser(h);
    replay.cookies.set('kasir_dash', stolen!);
    const after = await replay.get('/dashboard/developers');
    expect(after.status).toBe(303);
    expect(after.location).toBe('/dashboard/sign-in?ended=1');
  });

  it('ends a session after 30 idle minutes, not while it is used', async () => {
    const { browser } = await signedIn(h, 'viewer');
    h.clock.advance(29 * 60_000);
    expect((await browser.get('/dashboard/developers')).status).toBe(200);
    h.clock.advance(29 * 60_000);
    expect((await browser.get('/dashboard/developers')).status).toBe(200);
    h.clock.advance(30 * 60_000);
    const ended = await browser.get('/dashboard/developers');
    expect(ended.status).toBe(303);
    expect(ended.location).toBe('/dashboard/sign-in?ended=1');
    const notice = await browser.get('/dashboard/sign-in?ended=1&lang=en');
    expect(notice.body).toContain('Your session ended. Please sign in again.');
  });

  it('answers every page noindex, no-store, unframeable, with a CSP without inline script', async () => {
    const { browser } = await signedIn(h, 'owner');
    for (const url of ['/dashboard/sign-in', '/dashboard/developers', '/dashboard/audit', '/dashboard/nope']) {
      const res = await browser.get(url);
      expect(res.headers['cache-control'], url).toBe('no-store');
      expect(res.headers['x-robots-tag'], url).toBe('noindex, nofollow');
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.body).toContain('<meta name="robots" content="noindex, nofollow" />');
    }
    const notFound = await browser.get('/dashboard/nope');
    expect(notFound.status).toBe(404);
    expect(notFound.headers['content-type']).toMatch(/text\/html/);
  });

  it('speaks Indonesian by default and English when asked, and remembers the choice', async () => {
    const b = new Browser(h);
    expect((await b.get('/dashboard/sign-in')).body).toContain('Masuk ke dasbor');
    expect((await b.get('/dashboard/sign-in', { 'accept-language': 'en-US,en;q=0.9' })).body).toContain(
      'Sign in to the dashboard',
    );
    expect((await b.get('/dashboard/sign-in?lang=en')).body).toContain('Sign in to the dashboard');
    expect((await b.get('/dashboard/sign-in')).body).toContain('<html lang="en">');
  });
});

describe('dashboard sign-in limits', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness('sqlite', { dashboard: { signInPerEmail: 3, signInPerAddress: 5 } });
  });
  afterAll(async () => h.close());

  it('refuses a fourth attempt for one email with 429 and Retry-After, even with the right password', async () => {
    const { password } = await createTestDashboardUser(h.store.db, {
      merchantId: h.merchant.id,
      email: 'limited@toko.test',
      role: 'viewer',
    });
    const b = new Browser(h);
    for (let i = 0; i < 3; i++) expect((await b.signIn('limited@toko.test', 'wrong-password')).status).toBe(401);
    const limited = await b.signIn('limited@toko.test', password);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(b.cookies.has('kasir_dash')).toBe(false);
    // Per address too: two more emails from the same address reach its limit of five.
    expect((await b.signIn('other@toko.test', 'x')).status).toBe(401);
    expect((await b.signIn('another@toko.test', 'x')).status).toBe(429);
    h.clock.advance(15 * 60_000);
    expect((await b.signIn('limited@toko.test', password)).status).toBe(303);
  });
});

describe('dashboard in production', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness('sqlite', { env: 'production', publicUrl: 'https://kasir.test' });
  });
  afterAll(async () => h.close());

  it('marks its cookies Secure', async () => {
    const { password } = await createTestDashboardUser(h.store.db, {
      merchantId: h.merchant.id,
      email: 'prod@toko.test',
      role: 'owner',
    });
    const b = new Browser(h);
    const form = await b.get('/dashboard/sign-in');
    expect(form.setCookies.find((c) => c.startsWith('kasir_dash_pre='))).toMatch(/; Secure/);
    const ok = await b.post(
      '/dashboard/sign-in',
      { csrf: csrfOf(form.body), email: 'prod@toko.test', password },
      { origin: 'https://kasir.test' },
    );
    expect(ok.status).toBe(303);
    expect(ok.setCookies.find((c) => c.startsWith('kasir_dash='))).toMatch(/HttpOnly; SameSite=Lax; Secure/);
  });
});

describe('KASIR_DASHBOARD=false', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness('sqlite', { dashboard: { enabled: false } });
  });
  afterAll(async () => h.close());

  it('removes every /dashboard route', async () => {
    const b = new Browser(h);
    expect((await b.get('/dashboard/sign-in')).status).toBe(404);
    expect((await b.get('/dashboard')).status).toBe(404);
  });
});
