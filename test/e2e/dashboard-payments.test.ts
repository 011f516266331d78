// The Payments screens in Chromium: a developer finds a payment by its reference, reads its timeline, resends
// a failed callback and sees the new attempt, refunds part of it and simulates another payment in the
// sandbox; a viewer gets no action form; axe finds no serious or critical violation on the list or the
// payment page; screenshots at 360 and 1280 px in Indonesian and English (dashboard-payments-*).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { CallbackDispatcher } from '../../src/callbacks/dispatcher.ts';
import { findSession } from '../../src/store/sessions.ts';
import { setCallbackUrl } from '../../src/usecases/merchants.ts';
import { drain, startDispatcher, startReceiver, type Receiver } from '../callbacks/receiver.ts';
import { bodyOf } from '../usecases/dashboard/fixtures.ts';
import { fitsWidth, hasBrowser, launchBrowser, shot, startKasir, type Kasir, LANGS, SIZES } from './helpers.ts';
import { seriousViolations } from './axe.ts';
import { createTestDashboardUser } from '../helpers/harness.ts';

describe.runIf(hasBrowser)('dashboard payments in the browser', () => {
  let browser: Browser;
  let kasir: Kasir;
  let receiver: Receiver;
  let dispatcher: CallbackDispatcher;
  const users = { developer: { email: 'dev@toko.test', password: '' }, viewer: { email: 'viewer@toko.test', password: '' } };
  let paidId: string;
  let paidRef: string;

  beforeAll(async () => {
    [browser, kasir, receiver] = await Promise.all([launchBrowser(), startKasir(), startReceiver()]);
    receiver.answer = () => ({ status: 500, body: '<b>maintenance</b>' });
    await setCallbackUrl(kasir.store.db, kasir.merchant.id, receiver.url, async () => undefined);
    dispatcher = startDispatcher(kasir, { breaker: { failures: 1000, cooldownMs: 1 } });
    for (const role of ['developer', 'viewer'] as const) {
      users[role].password = (
        await createTestDashboardUser(kasir.store.db, { email: users[role].email, role, merchantId: kasir.merchant.id })
      ).password;
    }
    const body = bodyOf(kasir, 'va', {
      metadata: { invoice: 'INV-2024-0042', note: '<i>fragile</i>' },
      customer: { givenName: 'Budi Santoso', email: 'budi@toko.test' },
    });
    paidRef = String(body.clientReferenceId);
    const created = await kasir.create(body);
    paidId = created.id;
    for (let i = 0; i < 3; i++) await kasir.create(bodyOf(kasir, 'later'));
    const paid = await kasir.api('POST', '/v2/payments/simulations', { paymentSessionId: paidId, chargeStatus: 'SUCCESS' });
    expect(paid.status).toBe(200);
    await drain(kasir, dispatcher);
  });
  afterAll(async () => {
    await dispatcher?.stop();
    await browser?.close();
    await kasir?.close();
    await receiver?.close();
  });

  async function signIn(page: Page, role: keyof typeof users) {
    await page.goto(`${kasir.baseUrl}/dashboard`);
    await page.fill('#email', users[role].email);
    await page.fill('#password', users[role].password);
    await Promise.all([page.waitForURL(/\/dashboard\/overview$/), page.click('button[type=submit]')]);
  }

  it('a developer finds a payment, reads its timeline, resends a failed callback, refunds part, simulates another', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await context.newPage();
    await signIn(page, 'developer');
    await page.click('nav a[href="/dashboard/payments"]');
    await page.waitForURL(/\/dashboard\/payments$/);
    await page.fill('#q', paidRef);
    await Promise.all([page.waitForURL(/\?q=/), page.click('form[role=search] button[type=submit]')]);
    expect(await page.locator('tbody tr').count()).toBe(1);
    await Promise.all([
      page.waitForURL(new RegExp(`/dashboard/payments/${paidId}$`)),
      page.click(`a[href="/dashboard/payments/${paidId}"]`),
    ]);

    const timeline = page.locator('.timeline');
    expect(await timeline.textContent()).toContain('PAYMENT.PAID');
    expect(await timeline.locator('td[data-label="HTTP status"]').first().textContent()).toBe('500');
    expect(await page.locator('pre.json').nth(2).textContent()).toContain('"note": "<i>fragile</i>"');

    // The PAYMENT.PAID callback failed: resend it to an endpoint that now answers 200.
    receiver.answer = () => ({ status: 200, body: 'ok' });
    const paidCallback = page.locator('.timeline > li', { hasText: 'PAYMENT.PAID' }).filter({ has: page.locator('form') });
    const attemptsBefore = await paidCallback.locator('tbody tr').count();
    await Promise.all([page.waitForURL(/done=resend/), paidCallback.locator('button', { hasText: 'Resend' }).click()]);
    expect(await page.locator('.notice.info').textContent()).toContain('is due to be sent again now');
    await drain(kasir, dispatcher);
    await page.reload();
    const resent = page.locator('.timeline > li', { hasText: 'PAYMENT.PAID' }).filter({ has: page.locator('form') });
    expect(await resent.locator('tbody tr').count()).toBe(attemptsBefore + 1);
    expect(await resent.locator('td[data-label="HTTP status"]').last().textContent()).toBe('200');

    await page.check('input[name=kind][value=partial]');
    await page.fill('#refundAmount', '2500');
    // The customer named no refund account, and a VA cannot pay back: the form asks for one.
    await page.selectOption('#destBank', 'BCA');
    await page.fill('#destNumber', '1234567890');
    await page.fill('#destName', 'Budi Santoso');
    await Promise.all([page.waitForURL(/done=refund/), page.click('form[action$="/refund"] button[type=submit]')]);
    expect(await page.locator('.notice.info').textContent()).toMatch(/Refund \S+ created/);
    expect(await page.locator('.timeline').textContent()).toContain('Refund created · IDR 2,500');
    const refunds = await kasir.store.db.selectFrom('refunds').selectAll().where('payment_session_id', '=', paidId).execute();
    expect(refunds.map((r) => r.amount_value)).toEqual([2500]);
    await page.fill('#refundAmount', '10.000');
    await page.check('input[name=kind][value=partial]');
    await page.fill('#destNumber', '1234567890');
    await page.fill('#destName', 'Budi Santoso');
    await page.click('form[action$="/refund"] button[type=submit]');
    await page.waitForSelector('.notice.error');
    expect(await page.locator('.notice.error').textContent()).toContain('whole positive number');

    const open = await kasir.create(bodyOf(kasir, 'va'));
    await page.goto(`${kasir.baseUrl}/dashboard/payments/${open.id}`);
    await Promise.all([page.waitForURL(/done=simulate/), page.click('button[name=outcome][value=SUCCESS]')]);
    expect((await findSession(kasir.store.db, kasir.merchant.id, open.id))!.status).toBe('PAID');
    expect(await page.locator('dl.grid .status').textContent()).toBe('PAID');
    await context.close();
  });

  it('shows a viewer no action form', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, locale: 'en-US' });
    const page = await context.newPage();
    await signIn(page, 'viewer');
    await page.goto(`${kasir.baseUrl}/dashboard/payments/${paidId}`);
    expect(await page.locator('.timeline').count()).toBe(1);
    expect(await page.locator('main form[method=post]').count()).toBe(0);
    await context.close();
  });

  it('axe finds no serious or critical violation on the list and the payment page', async () => {
    for (const lang of LANGS) {
      const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: lang.locale });
      const page = await context.newPage();
      await signIn(page, 'developer');
      for (const path of ['/dashboard/payments', `/dashboard/payments/${paidId}`, '/dashboard/payments?status=NOPE']) {
        await page.goto(`${kasir.baseUrl}${path}`);
        const violations = await seriousViolations(page);
        expect(violations, `${path} (${lang.name}): ${JSON.stringify(violations, null, 2)}`).toEqual([]);
      }
      await context.close();
    }
  });

  for (const size of SIZES) {
    for (const lang of LANGS) {
      it(`screenshots of the list and a payment (${size.name} px, ${lang.name})`, async () => {
        const context = await browser.newContext({ viewport: size.viewport, isMobile: size.isMobile, locale: lang.locale });
        const page = await context.newPage();
        await signIn(page, 'developer');
        await page.goto(`${kasir.baseUrl}/dashboard/payments`);
        expect(await fitsWidth(page)).toBe(true);
        await shot(page, `dashboard-payments-${size.name}-${lang.name}-list`);
        await page.goto(`${kasir.baseUrl}/dashboard/payments/${paidId}`);
        expect(await fitsWidth(page)).toBe(true);
        await shot(page, `dashboard-payments-${size.name}-${lang.name}-detail`);
        await context.close();
      });
    }
  }
});
