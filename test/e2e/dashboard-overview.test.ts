// The Overview and Callbacks screens in Chromium over 30 days of payments (the harness clock moved a day at
// a time) and callbacks a failing receiver refused: the chart and figures, resending a failed callback from
// the Callbacks screen, axe with no serious or critical violation, screenshots at 360 and 1280 px in
// Indonesian and English (test-artifacts/screenshots/dashboard-overview-*, dashboard-callbacks-*).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { CallbackDispatcher } from '../../src/callbacks/dispatcher.ts';
import { addDays, dateIn, startOfDay } from '../../src/usecases/dashboard/days.ts';
import { drain, startDispatcher, startReceiver, type Receiver } from '../callbacks/receiver.ts';
import { bodyOf, create, pay, type Kind } from '../usecases/dashboard/fixtures.ts';
import { fitsWidth, hasBrowser, launchBrowser, shot, startKasir, type Kasir, LANGS, SIZES } from './helpers.ts';
import { seriousViolations } from './axe.ts';
import { createTestDashboardUser } from '../helpers/harness.ts';

const TZ = 'Asia/Jakarta';
describe.runIf(hasBrowser)('dashboard overview and callbacks in the browser', () => {
  let browser: Browser;
  let kasir: Kasir;
  let receiver: Receiver;
  let dispatcher: CallbackDispatcher | undefined;
  const owner = { email: 'owner@overview.test', password: '' };

  beforeAll(async () => {
    // Callbacks about references starting with "fail" are refused with a body the screen must show escaped.
    [browser, kasir, receiver] = await Promise.all([
      launchBrowser(),
      startKasir(),
      startReceiver((r) =>
        String(r.json.data?.clientReferenceId ?? '').startsWith('fail') ? { status: 503, body: '<b>stock service down</b>' } : {},
      ),
    ]);
    await kasir.store.db
      .updateTable('merchants')
      .set({ callback_url: receiver.url })
      .where('id', '=', kasir.merchant.id)
      .execute();
    owner.password = (
      await createTestDashboardUser(kasir.store.db, { email: owner.email, role: 'owner', merchantId: kasir.merchant.id })
    ).password;

    // 30 days of payments, 10:00 in Jakarta each day, ending today.
    const now = kasir.clock.now().getTime();
    kasir.clock.advance(startOfDay(TZ, addDays(dateIn(TZ, now), -29)) + 10 * 3600_000 - now);
    const kinds: Kind[] = ['va', 'qr', 'ewallet'];
    for (let day = 0; day < 30; day++) {
      if (day > 0) kasir.clock.advance(24 * 3600_000);
      const token = await kasir.tokens.issueAccessToken(kasir.merchant.id, kasir.clock.now());
      const count = 1 + ((day * 7) % 5);
      for (let i = 0; i < count; i++) {
        const kind = kinds[(day + i) % kinds.length]!;
        const channel = kind === 'ewallet' ? 'DANA' : i % 2 ? 'BCA' : 'PERMATA';
        const reference = day === 27 && i === 0 ? `fail-${day}-${i}` : `ok-${day}-${i}`;
        const id = await create(kasir, bodyOf(kasir, kind, { clientReferenceId: reference }, channel), token);
        if (i < count - (day % 3 === 0 ? 1 : 0) || count === 1) await pay(kasir, id, { token });
      }
    }
    dispatcher = startDispatcher(kasir, { breaker: { failures: 1000, cooldownMs: 1 } });
    await drain(kasir, dispatcher);
    await dispatcher.stop();
    dispatcher = undefined;
    kasir.ctx.onCallbacksEnqueued = undefined;
  }, 120_000);
  afterAll(async () => {
    await dispatcher?.stop();
    await browser?.close();
    await kasir?.close();
    await receiver?.close();
  });

  async function signIn(page: Page) {
    await page.goto(`${kasir.baseUrl}/dashboard`);
    await page.fill('#email', owner.email);
    await page.fill('#password', owner.password);
    await Promise.all([page.waitForURL(/\/dashboard\/overview$/), page.click('button[type=submit]')]);
  }

  for (const size of SIZES) {
    for (const lang of LANGS) {
      it(`overview and callbacks screens (${size.name} px, ${lang.name})`, async () => {
        const context = await browser.newContext({ viewport: size.viewport, isMobile: size.isMobile, locale: lang.locale });
        const page = await context.newPage();
        await signIn(page);
        expect(await page.getAttribute('html', 'lang')).toBe(lang.name);
        expect(await page.locator('svg.chart rect').count()).toBe(30);
        expect(await page.locator('svg.chart title').first().textContent()).toBe(
          lang.name === 'id' ? 'Pembayaran lunas per hari' : 'Paid payments per day',
        );
        // Drawn, and at a readable size: the chart fills its card.
        const box = await page.locator('svg.chart').boundingBox();
        expect(box!.width).toBeGreaterThan(size.viewport.width * 0.7);
        expect(await fitsWidth(page)).toBe(true);
        await shot(page, `dashboard-overview-${size.name}-${lang.name}`);
        await page.click('details summary');
        await shot(page, `dashboard-overview-${size.name}-${lang.name}-table`);

        await page.click('nav a[href="/dashboard/callbacks"]');
        await page.waitForURL(/\/dashboard\/callbacks$/);
        expect(await page.textContent('tbody')).toContain('<b>stock service down</b>');
        expect(await page.locator('tbody b').count()).toBe(0);
        expect(await fitsWidth(page)).toBe(true);
        await shot(page, `dashboard-callbacks-${size.name}-${lang.name}`);
        await context.close();
      });
    }
  }

  it('resends a failed callback from the Callbacks screen', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, locale: 'en-US' });
    const page = await context.newPage();
    await signIn(page);
    await page.goto(`${kasir.baseUrl}/dashboard/callbacks`);
    await page.selectOption('#f-status', 'FAILED');
    await Promise.all([page.waitForURL(/status=FAILED/), page.click('form.filters button')]);
    const rows = page.locator('tbody tr');
    const failed = await rows.count();
    expect(failed).toBeGreaterThan(0);
    const id = (await rows.first().locator('td').nth(1).locator('.muted').textContent())!.trim();
    await Promise.all([page.waitForLoadState('load'), rows.first().locator('form button').click()]);
    expect(await page.textContent('.notice')).toContain(`Callback ${id} is due again`);
    const row = await kasir.store.db
      .selectFrom('callbacks')
      .select(['status', 'attempt_count'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'PENDING', attempt_count: 0 });
    // The filter is kept: the resent callback left the FAILED list.
    expect(await page.locator('tbody tr').count()).toBe(failed - 1);
    await shot(page, 'dashboard-callbacks-360-en-resent');
    await context.close();
  });

  it('axe finds no serious or critical violation on the Overview and Callbacks screens, in either language', async () => {
    for (const lang of LANGS) {
      const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: lang.locale });
      const page = await context.newPage();
      await signIn(page);
      await page.click('details summary');
      expect(await seriousViolations(page), `overview (${lang.name})`).toEqual([]);
      await page.goto(`${kasir.baseUrl}/dashboard/callbacks`);
      expect(await seriousViolations(page), `callbacks (${lang.name})`).toEqual([]);
      await page.goto(`${kasir.baseUrl}/dashboard/callbacks?status=NOPE`);
      expect(await seriousViolations(page), `bad filter (${lang.name})`).toEqual([]);
      await context.close();
    }
  });
});
