// The Developers screen and the audit log through the browser's forms: what each role may see and do,
// each change with its audit entry, refusals (CSRF, role, another site), escaping, and isolation between
// merchants (a user never sees or acts on another merchant's data; an operator picks one).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/page/html.ts';
import { findMerchant } from '../../src/store/merchants.ts';
import { authenticateMerchant, createMerchant } from '../../src/usecases/merchants.ts';
import { DB_KINDS, createTestDashboardUser, makeHarness, type Harness } from '../helpers/harness.ts';
import { Browser, csrfOf, signedIn } from './helpers.ts';

const SCRIPT = '<script>alert(1)</script>';
const ATTR = '"><img src=x onerror=alert(1)>';

async function auditActions(h: Harness, merchantId: string): Promise<string[]> {
  const rows = await h.store.db
    .selectFrom('audit_log')
    .select('action')
    .where('merchant_id', '=', merchantId)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => r.action);
}

describe.each(DB_KINDS)('dashboard developers screen on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness(kind);
  });
  afterAll(async () => h.close());

  it('lets an owner rotate the webhook secret with an overlap, shown once, with its audit entry', async () => {
    const { browser, email } = await signedIn(h, 'owner');
    const before = (await findMerchant(h.store.db, h.merchant.id))!.webhookSecret;
    const res = await browser.submit('/dashboard/developers', '/dashboard/developers/webhook-secret', { overlapMs: '3600000' });
    expect(res.status).toBe(200);
    const after = (await findMerchant(h.store.db, h.merchant.id))!;
    expect(after.webhookSecret).not.toBe(before);
    expect(after.previousWebhookSecret).toBe(before);
    const overlapLeft = after.previousWebhookSecretUntil!.getTime() - h.clock.now().getTime();
    expect(overlapLeft).toBeGreaterThan(3_600_000 - 5_000);
    expect(overlapLeft).toBeLessThanOrEqual(3_600_000);
    expect(res.body).toContain(escapeHtml(after.webhookSecret));
    // Shown once: the next view has neither secret.
    const again = await browser.get('/dashboard/developers');
    expect(again.body).not.toContain(escapeHtml(after.webhookSecret));
    expect(again.body).not.toContain(escapeHtml(before));
    expect(again.body).toMatch(/Rahasia sebelumnya masih ikut menandatangani sampai/);
    const [entry] = await h.store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('merchant_id', '=', h.merchant.id)
      .orderBy('at', 'desc')
      .execute();
    expect(entry).toMatchObject({
      action: 'webhook_secret.rotate',
      actor_kind: 'user',
      actor_email: email,
      resource_type: 'merchant',
      resource_id: h.merchant.id,
    });
    expect(JSON.parse(entry!.detail!)).toEqual({ overlapSeconds: 3600 });
    expect(
      (await browser.submit('/dashboard/developers', '/dashboard/developers/webhook-secret', { overlapMs: '12345' })).status,
    ).toBe(400);
  });

  it('lets an owner rotate the client secret: the new one works, the old one stops', async () => {
    const { browser } = await signedIn(h, 'owner');
    const res = await browser.submit('/dashboard/developers', '/dashboard/developers/client-secret');
    expect(res.status).toBe(200);
    const secret = /<code class="secret">([^<]+)<\/code>/.exec(res.body)?.[1];
    expect(secret).toBeDefined();
    expect(await authenticateMerchant(h.store.db, h.merchant.id, secret!)).toBeDefined();
    expect(await authenticateMerchant(h.store.db, h.merchant.id, h.merchantSecret)).toBeUndefined();
    expect((await auditActions(h, h.merchant.id))[0]).toBe('client_secret.rotate');
    const rotatedKey = await browser.submit('/dashboard/developers', '/dashboard/developers/callback-api-key');
    expect(rotatedKey.status).toBe(200);
    expect((await auditActions(h, h.merchant.id))[0]).toBe('callback_api_key.rotate');
  });

  it('validates the callback URL as the API does and sends a PAYMENT.TEST through the outbox', async () => {
    const { browser } = await signedIn(h, 'developer');
    const bad = await browser.submit('/dashboard/developers', '/dashboard/developers/callback-url', {
      callbackUrl: 'ftp://toko.test/cb',
    });
    expect(bad.status).toBe(422);
    expect(bad.body).toContain('must be an absolute http(s) URL');
    await h.store.db.updateTable('merchants').set({ callback_url: null }).where('id', '=', h.merchant.id).execute();
    const noUrl = await browser.submit('/dashboard/developers', '/dashboard/developers/test-callback');
    expect(noUrl.status).toBe(409);
    const saved = await browser.submit('/dashboard/developers', '/dashboard/developers/callback-url', {
      callbackUrl: 'https://toko.test/kasir/callback',
    });
    expect(saved.status).toBe(200);
    expect((await findMerchant(h.store.db, h.merchant.id))!.callbackUrl).toBe('https://toko.test/kasir/callback');
    const sent = await browser.submit('/dashboard/developers', '/dashboard/developers/test-callback');
    expect(sent.status).toBe(200);
    const row = await h.store.db
      .selectFrom('callbacks')
      .selectAll()
      .where('merchant_id', '=', h.merchant.id)
      .where('event', '=', 'PAYMENT.TEST')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'PENDING', resource_type: 'merchant', resource_id: h.merchant.id });
    expect(sent.body).toContain(row.id);
    expect((await auditActions(h, h.merchant.id)).slice(0, 2)).toEqual(['callback.test', 'callback_url.set']);
    // A developer handles callbacks but holds no credential-rotation right.
    expect(
      (await browser.submit('/dashboard/developers', '/dashboard/developers/webhook-secret', { overlapMs: '0' })).status,
    ).toBe(403);
    expect((await browser.submit('/dashboard/developers', '/dashboard/developers/client-secret')).status).toBe(403);
    expect((await browser.get('/dashboard/audit')).status).toBe(403);
  });

  it('shows a viewer the screen read-only and refuses every change with 403, changing nothing', async () => {
    const { browser } = await signedIn(h, 'viewer');
    const page = await browser.get('/dashboard/developers');
    expect(page.status).toBe(200);
    expect(page.body).toContain(h.merchant.id);
    expect(page.body).not.toContain('/dashboard/developers/webhook-secret');
    expect(page.body).not.toContain('/dashboard/developers/test-callback');
    const merchant = (await findMerchant(h.store.db, h.merchant.id))!;
    expect(page.body).not.toContain(merchant.callbackApiKey);
    const before = await auditActions(h, h.merchant.id);
    const csrf = csrfOf(page.body);
    for (const [path, fields] of [
      ['webhook-secret', { overlapMs: '0' }],
      ['client-secret', {}],
      ['callback-api-key', {}],
      ['callback-url', { callbackUrl: 'https://evil.test/' }],
      ['test-callback', {}],
    ] as const) {
      expect((await browser.post(`/dashboard/developers/${path}`, { csrf, ...fields })).status, path).toBe(403);
    }
    expect((await browser.get('/dashboard/audit')).status).toBe(403);
    expect((await browser.get('/dashboard/merchants')).status).toBe(403);
    expect(await findMerchant(h.store.db, h.merchant.id)).toEqual(merchant);
    expect(await auditActions(h, h.merchant.id)).toEqual(before);
  });

  it('refuses a change without the CSRF token, with a wrong one, or from another site', async () => {
    const { browser } = await signedIn(h, 'owner');
    const merchant = (await findMerchant(h.store.db, h.merchant.id))!;
    const csrf = csrfOf((await browser.get('/dashboard/developers')).body);
    expect((await browser.post('/dashboard/developers/client-secret', {})).status).toBe(403);
    expect((await browser.post('/dashboard/developers/client-secret', { csrf: `${csrf.slice(1)}A` })).status).toBe(403);
    const crossSite = await browser.post(
      '/dashboard/developers/client-secret',
      { csrf },
      { origin: 'https://evil.test', 'sec-fetch-site': 'cross-site' },
    );
    expect(crossSite.status).toBe(403);
    // Another user's token is no good either.
    const other = await signedIn(h, 'owner');
    const otherCsrf = csrfOf((await other.browser.get('/dashboard/developers')).body);
    expect((await browser.post('/dashboard/developers/client-secret', { csrf: otherCsrf })).status).toBe(403);
    expect(await findMerchant(h.store.db, h.merchant.id)).toEqual(merchant);
  });

  it('escapes a hostile merchant name, user email and callback URL', async () => {
    const { merchant } = await createMerchant(h.store.db, { name: `${SCRIPT}${ATTR}` });
    const email = `${ATTR.replaceAll(' ', '')}@x.test`;
    const { password } = await createTestDashboardUser(h.store.db, { merchantId: merchant.id, email, role: 'owner' });
    const browser = new Browser(h);
    expect((await browser.signIn(email, password)).status).toBe(303);
    const hostileUrl = `https://toko.test/cb?x=${encodeURIComponent('"')}"><script>alert(2)</script>`;
    await browser.submit('/dashboard/developers', '/dashboard/developers/callback-url', { callbackUrl: hostileUrl });
    for (const url of ['/dashboard/developers', '/dashboard/audit']) {
      const page = await browser.get(url);
      expect(page.status).toBe(200);
      expect(page.body).not.toContain('<script>alert');
      expect(page.body).not.toContain('<img src=x');
      expect(page.body).toContain(escapeHtml(email.toLowerCase()));
    }
    expect((await browser.get('/dashboard/developers')).body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect((await browser.get('/dashboard/developers')).body).toContain(escapeHtml(hostileUrl));
  });

  it('never shows or changes another merchant: its owner sees its own data and audit entries only', async () => {
    const other = await h.otherMerchant();
    const { browser } = await signedIn(h, 'owner', other.merchant.id);
    const page = await browser.get('/dashboard/developers');
    expect(page.body).toContain(other.merchant.id);
    expect(page.body).not.toContain(h.merchant.id);
    const audit = await browser.get('/dashboard/audit');
    expect(audit.body).not.toContain(h.merchant.id);
    // Guessing the first merchant's id changes nothing: the screen acts on the session's merchant only.
    const before = (await findMerchant(h.store.db, h.merchant.id))!;
    const csrf = csrfOf(page.body);
    await browser.post('/dashboard/developers/webhook-secret', { csrf, overlapMs: '0', merchantId: h.merchant.id });
    expect(await findMerchant(h.store.db, h.merchant.id)).toEqual(before);
    expect((await browser.post('/dashboard/merchants', { csrf, merchantId: h.merchant.id })).status).toBe(403);
    expect((await browser.get('/dashboard/developers')).body).not.toContain(h.merchant.id);
  });

  it('lets an operator pick any merchant, refuses unknown ones, and shows every merchant in the audit log', async () => {
    const { browser } = await signedIn(h, 'operator');
    const home = await browser.get('/dashboard');
    expect(home.location).toBe('/dashboard/merchants');
    expect((await browser.get('/dashboard/developers')).location).toBe('/dashboard/merchants');
    const list = await browser.get('/dashboard/merchants');
    expect(list.body).toContain(h.merchant.id);
    expect(
      (await browser.submit('/dashboard/merchants', '/dashboard/merchants', { merchantId: 'no-such-merchant' })).status,
    ).toBe(404);
    const picked = await browser.submit('/dashboard/merchants', '/dashboard/merchants', { merchantId: h.merchant.id });
    expect(picked.location).toBe('/dashboard/overview');
    const dev = await browser.get('/dashboard/developers');
    expect(dev.body).toContain(h.merchant.id);
    const rotated = await browser.submit('/dashboard/developers', '/dashboard/developers/callback-api-key');
    expect(rotated.status).toBe(200);
    const audit = await browser.get('/dashboard/audit');
    expect(audit.status).toBe(200);
    expect(audit.body).toContain('callback_api_key.rotate');
  });
});

describe('dashboard audit log pages', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness('sqlite');
  });
  afterAll(async () => h.close());

  it('shows an owner the newest first, 25 a page', async () => {
    const { browser } = await signedIn(h, 'owner');
    for (let i = 0; i < 27; i++) {
      h.clock.advance(1000);
      await browser.submit('/dashboard/developers', '/dashboard/developers/callback-url', {
        callbackUrl: `https://toko.test/cb/${i}`,
      });
    }
    const first = await browser.get('/dashboard/audit?lang=en');
    expect(first.body).toContain('Page 1 of 2');
    expect(first.body).toContain('url: https://toko.test/cb/26');
    expect(first.body).not.toContain('url: https://toko.test/cb/1<');
    expect(first.body.indexOf('cb/26')).toBeLessThan(first.body.indexOf('cb/25'));
    const second = await browser.get('/dashboard/audit?page=2');
    expect(second.body).toContain('url: https://toko.test/cb/0');
    expect(second.body).toContain('url: https://toko.test/cb/1<');
    for (const bad of ['0', '-1', 'x', '99999999999'])
      expect((await browser.get(`/dashboard/audit?page=${bad}`)).status).toBe(400);
  });
});
