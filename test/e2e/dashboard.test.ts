// The dashboard in Chromium: an owner signs in, rotates the webhook secret and signs out; a viewer is
// refused what the role may not do; axe finds no serious or critical violation on any screen; screenshots
// of every screen at 360 and 1280 px in Indonesian and English (test-artifacts/screenshots/dashboard-*).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { findMerchant } from '../../src/store/merchants.ts';
import { fitsWidth, hasBrowser, launchBrowser, shot, startKasir, type Kasir, LANGS, SIZES } from './helpers.ts';
import { seriousViolations } from './axe.ts';
import { createTestDashboardUser } from '../helpers/harness.ts';

describe.runIf(hasBrowser)('dashboard in the browser', () => {
  let browser: Browser;
  let kasir: Kasir;
  const users: Record<'owner' | 'viewer' | 'operator', { email: string; password: string }> = {
    owner: { email: 'owner@toko.test', password: '' },
    viewer: { email: 'viewer@toko.test', password: '' },
    operator: { email: 'ops@platform.test', password: '' },
  };

  beforeAll(async () => {
    [browser, kasir] = await Promise.all([launchBrowser(), startKasir()]);
    for (const role of ['owner', 'viewer', 'operator'] as const) {
      const created = await createTestDashboardUser(kasir.store.db, {
        email: users[role].email,
        role,
        ...(role !== 'operator' && { merchantId: kasir.merchant.id }),
      });
      users[role].password = created.password;
    }
  });
  afterAll(async () => {
    await browser?.close();
    await kasir?.close();
  });

  async function signIn(page: Page, role: keyof typeof users) {
    await page.goto(`${kasir.baseUrl}/dashboard`);
    await page.fill('#email', users[role].email);
    await page.fill('#password', users[role].password);
    await Promise.all([page.waitForURL(/\/dashboard\/(overview|merchants)$/), page.click('button[type=submit]')]);
    // A merchant's user lands on the Overview (dashboard-overview.test.ts); these tests start on Developers.
    if (role !== 'operator') await page.goto(`${kasir.baseUrl}/dashboard/developers`);
  }

  for (const size of SIZES) {
    for (const lang of LANGS) {
      it(`owner signs in, rotates the webhook secret, reads the audit log and signs out (${size.name} px, ${lang.name})`, async () => {
        const context: BrowserContext = await browser.newContext({
          viewport: size.viewport,
          isMobile: size.isMobile,
          locale: lang.locale,
        });
        const page = await context.newPage();
        const prefix = `dashboard-${size.name}-${lang.name}`;
        await page.goto(`${kasir.baseUrl}/dashboard/sign-in`);
        expect(await page.getAttribute('html', 'lang')).toBe(lang.name);
        await shot(page, `${prefix}-sign-in`);
        await signIn(page, 'owner');
        expect(await fitsWidth(page)).toBe(true);
        await shot(page, `${prefix}-developers`);

        const before = (await findMerchant(kasir.store.db, kasir.merchant.id))!.webhookSecret;
        await page.selectOption('#overlap', '3600000');
        await Promise.all([page.waitForLoadState('load'), page.click('form[action$="webhook-secret"] button')]);
        const after = (await findMerchant(kasir.store.db, kasir.merchant.id))!;
        expect(after.webhookSecret).not.toBe(before);
        expect(await page.textContent('code.secret')).toBe(after.webhookSecret);
        expect(await fitsWidth(page)).toBe(true);
        await shot(page, `${prefix}-webhook-rotated`);

        await page.click('nav a[href="/dashboard/audit"]');
        await page.waitForURL(/\/dashboard\/audit$/);
        expect(await page.textContent('tbody tr:first-child')).toContain('webhook_secret.rotate');
        await shot(page, `${prefix}-audit`);

        await Promise.all([
          page.waitForURL(/\/dashboard\/sign-in\?out=1$/),
          page.click('form[action="/dashboard/sign-out"] button'),
        ]);
        await shot(page, `${prefix}-signed-out`);
        await page.goto(`${kasir.baseUrl}/dashboard/developers`);
        expect(page.url()).toMatch(/\/dashboard\/sign-in$/);
        await context.close();
      });
    }
  }

  it('refuses a viewer what the role may not do', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, locale: 'en-US' });
    const page = await context.newPage();
    await signIn(page, 'viewer');
    expect(await page.locator('form[action$="webhook-secret"]').count()).toBe(0);
    expect(await page.locator('nav a[href="/dashboard/audit"]').count()).toBe(0);
    await shot(page, 'dashboard-360-en-viewer-developers');
    const csrf = await page.getAttribute('input[name=csrf]', 'value');
    const before = (await findMerchant(kasir.store.db, kasir.merchant.id))!;
    const refused = await page.request.post(`${kasir.baseUrl}/dashboard/developers/webhook-secret`, {
      form: { csrf: csrf ?? '', overlapMs: '0' },
      headers: { origin: kasir.baseUrl },
    });
    expect(refused.status()).toBe(403);
    expect(await findMerchant(kasir.store.db, kasir.merchant.id)).toEqual(before);
    const audit = await page.goto(`${kasir.baseUrl}/dashboard/audit`);
    expect(audit?.status()).toBe(403);
    await shot(page, 'dashboard-360-en-viewer-refused');
    await context.close();
  });

  it('operator screens at 360 and 1280 px', async () => {
    for (const size of SIZES) {
      const context = await browser.newContext({ viewport: size.viewport, isMobile: size.isMobile, locale: 'id-ID' });
      const page = await context.newPage();
      await signIn(page, 'operator');
      expect(page.url()).toMatch(/\/dashboard\/merchants$/);
      expect(await fitsWidth(page)).toBe(true);
      await shot(page, `dashboard-${size.name}-id-operator-merchants`);
      await context.close();
    }
  });

  // One test per language: each runs axe on seven screens, which on a loaded machine took most of a minute.
  for (const lang of LANGS) {
    it(`axe finds no serious or critical violation on any screen (${lang.name})`, async () => {
      const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: lang.locale });
      const page = await context.newPage();
      const check = async (name: string) => {
        const violations = await seriousViolations(page);
        expect(violations, `${name} (${lang.name}): ${JSON.stringify(violations, null, 2)}`).toEqual([]);
      };
      await page.goto(`${kasir.baseUrl}/dashboard/sign-in`);
      await check('sign-in');
      await page.fill('#email', users.owner.email);
      await page.fill('#password', 'wrong-password!');
      await page.click('button[type=submit]');
      await page.waitForSelector('.notice.error');
      await check('sign-in error');
      await signIn(page, 'owner');
      await check('developers');
      await Promise.all([page.waitForLoadState('load'), page.click('form[action$="client-secret"] button')]);
      await check('developers with a new secret');
      await page.goto(`${kasir.baseUrl}/dashboard/audit`);
      await check('audit');
      await page.goto(`${kasir.baseUrl}/dashboard/nope`);
      await check('not found');
      await context.clearCookies();
      await signIn(page, 'operator');
      await check('merchants');
      await context.close();
    });
  }
});
