// The hosted page in a real browser (Debian's Chromium via playwright-core), phone-sized, against a
// listening Kasir and a local merchant site that records the return URL the shopper lands on.
import { describe, it, expect } from 'vitest';
import { seedAutoConfirmBody, seedConfirmLaterBody } from '../helpers/bodies.ts';
import { requestId, uniqueReference } from '../helpers/harness.ts';
import { browserSuite, fitsWidth, hasBrowser, shot } from './helpers.ts';

describe.runIf(hasBrowser)('hosted payment page in a browser', () => {
  const suite = browserSuite({ statusRedirectSeconds: 6 });
  const { open } = suite;

  it('seed autoConfirm VA: create → open → reload keeps the number → simulate success → status page → success URL', async () => {
    const s = await suite.kasir.create(seedAutoConfirmBody({ redirectUrl: suite.merchant.redirectUrl }));
    const page = await open(s.paymentUrl);
    const number = (await page.getByTestId('va-number').textContent())!.trim();
    expect(JSON.stringify(s.data.chargeDetails)).toContain(`"${number}"`);
    await expect.poll(() => page.getByTestId('countdown').textContent()).toMatch(/^00:5\d:\d\d$/);
    expect(await page.locator('h2#va-h').textContent()).toContain('Permata');
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, '01-va-autoconfirm-id');

    await page.reload();
    expect((await page.getByTestId('va-number').textContent())!.trim()).toBe(number);

    await page.getByTestId('simulate-success').click();
    await page.getByTestId('status-paid').waitFor();
    expect(await page.locator('h1').textContent()).toBe('Pembayaran berhasil');
    await shot(page, '02-va-paid-status');

    const hit = await suite.merchant.waitForHit('/success');
    expect(Object.fromEntries(hit.searchParams)).toMatchObject({ paymentSessionId: s.id, status: 'PAID' });
    await page.waitForURL(`${suite.merchant.url}/success?**`);
    await shot(page, '03-merchant-success');
  });

  it('refunded: the status page shows what came back, partly then in full (id and en, phone and desktop)', async () => {
    const s = await suite.kasir.create(seedAutoConfirmBody({ redirectUrl: {} }));
    expect(
      (await suite.kasir.api('POST', '/v2/payments/simulations', { paymentSessionId: s.id, chargeStatus: 'SUCCESS' })).status,
    ).toBe(200);
    const refund = async (amount: Record<string, unknown>) => {
      const res = await suite.kasir.api(
        'POST',
        '/v1/refunds',
        { clientReferenceId: uniqueReference(), paymentSessionId: s.id, reason: 'REQUESTED_BY_CUSTOMER', ...amount },
        { 'x-request-id': requestId() },
      );
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(
        (await suite.kasir.api('POST', '/v1/refunds/simulations', { refundId: res.body.data.id, status: 'SUCCESS' })).status,
      ).toBe(200);
    };
    await refund({ amount: { value: '4000', currency: 'IDR' } });
    const page = await open(s.paymentUrl);
    await page.getByTestId('refunded-note').waitFor();
    expect(await page.getByTestId('amount-refunded').textContent()).toBe('Rp 4.000');
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, '13-refunded-part-id');
    const english = await open(`${s.paymentUrl}&lang=en`);
    expect(await english.getByTestId('refunded-note').textContent()).toContain('Part of this payment, Rp 4.000');
    await shot(english, '14-refunded-part-en');

    await refund({ isFullAmount: true });
    await page.reload();
    await page.getByTestId('status-refunded').waitFor();
    expect(await page.locator('h1').textContent()).toBe('Pembayaran telah dikembalikan');
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, '15-refunded-full-id');
    const desktop = await open(`${s.paymentUrl}&lang=en`, { desktop: true });
    expect(await desktop.locator('h1').textContent()).toBe('Payment refunded');
    await shot(desktop, '16-refunded-full-en-desktop');
  });

  it('copy button puts the VA number on the clipboard', async () => {
    const s = await suite.kasir.create(seedAutoConfirmBody({ redirectUrl: suite.merchant.redirectUrl }));
    const page = await open(s.paymentUrl, { permissions: ['clipboard-read', 'clipboard-write'] });
    const number = (await page.getByTestId('va-number').textContent())!.trim();
    const copy = page.getByRole('button', { name: 'Salin nomor Virtual Account' });
    await copy.click();
    await expect.poll(() => page.locator('button.copy').first().textContent()).toBe('Tersalin');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(number);
  });

  it('autoConfirm: false → picker → choose BCA → BCA VA step', async () => {
    const s = await suite.kasir.create(seedConfirmLaterBody({ redirectUrl: suite.merchant.redirectUrl }));
    const page = await open(s.paymentUrl);
    expect(await page.locator('#pick-h').textContent()).toBe('Pilih metode pembayaran');
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, '04-picker');
    await page.getByRole('button', { name: 'BCA', exact: true }).click();
    await page.getByTestId('va-number').waitFor();
    expect(await page.locator('#va-h').textContent()).toContain('BCA');
    const api = await suite.kasir.api('GET', `/v2/payments/${s.id}`);
    expect(api.body.data.status).toBe('REQUIRE_ACTION');
    expect(JSON.stringify(api.body.data.chargeDetails)).toContain((await page.getByTestId('va-number').textContent())!.trim());
    await page.getByText('Mobile banking').click();
    expect(await page.getByText('m-Transfer > BCA Virtual Account').isVisible()).toBe(true);
    await shot(page, '05-picker-bca-va');
  });

  it('QRIS: choose on the picker → QR code (inline SVG) → download PNG', async () => {
    const s = await suite.kasir.create(seedConfirmLaterBody({ redirectUrl: suite.merchant.redirectUrl }));
    const page = await open(s.paymentUrl);
    await page.getByTestId('choose-qr').click();
    const svg = page.locator('[data-testid="qr"] svg');
    await svg.waitFor();
    const box = (await svg.boundingBox())!;
    expect(box.width).toBeGreaterThan(200);
    expect(box.width).toBeLessThanOrEqual(330);
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, '06-qr');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-qr').click()]);
    expect(download.suggestedFilename()).toMatch(/^qris-.+\.png$/);
    await page.reload();
    expect(await page.locator('[data-testid="qr"] svg').innerHTML()).toBe(await svg.innerHTML());
  });

  it('failure: simulate failed → failed status page → button back to failureReturnUrl', async () => {
    const s = await suite.kasir.create(seedAutoConfirmBody({ redirectUrl: suite.merchant.redirectUrl }));
    const page = await open(s.paymentUrl);
    await page.getByTestId('simulate-failed').click();
    await page.getByTestId('status-failed').waitFor();
    await shot(page, '07-failed-status');
    await page.getByTestId('return').click();
    await page.waitForURL(`${suite.merchant.url}/failure?**`);
    const hit = await suite.merchant.waitForHit('/failure');
    expect(hit.searchParams.get('paymentSessionId')).toBe(s.id);
    expect(hit.searchParams.get('status')).toBe('CANCELLED');
  });

  it('expiry: the expiryAt passes while the page is open → expired page → expirationReturnUrl', async () => {
    const expiryAt = new Date(suite.kasir.clock.now().getTime() + 60_000).toISOString();
    const s = await suite.kasir.create(
      seedAutoConfirmBody({
        redirectUrl: suite.merchant.redirectUrl,
        expiryAt,
        paymentMethodOptions: { virtualAccount: { channel: 'BNI', virtualAccountName: 'Reforza Pivot', expiryAt } },
      }),
    );
    const page = await open(s.paymentUrl);
    await page.getByTestId('va-number').waitFor();
    // Kasir's clock passes the expiry; the open page learns it from its next status poll.
    suite.kasir.clock.advance(61_000);
    await page.getByTestId('status-expired').waitFor({ timeout: 8000 });
    await shot(page, '08-expired-status');
    // Then the status page's seconds before it sends the shopper back.
    const hit = await suite.merchant.waitForHit('/expiration', 20_000);
    expect(hit.searchParams.get('paymentSessionId')).toBe(s.id);
    expect(hit.searchParams.get('status')).toBe('EXPIRED');
  });

  it('bypassStatusPage: simulate success lands straight on the success URL', async () => {
    const s = await suite.kasir.create(seedAutoConfirmBody({ redirectUrl: suite.merchant.redirectUrl, bypassStatusPage: true }));
    const page = await open(s.paymentUrl);
    const before = suite.merchant.hits.length;
    const shown: string[] = [];
    page.on('framenavigated', (frame) => frame === page.mainFrame() && shown.push(frame.url()));
    await page.getByTestId('simulate-success').click();
    await page.waitForURL(`${suite.merchant.url}/success?**`);
    expect(new URL(page.url()).searchParams.get('paymentSessionId')).toBe(s.id);
    // The status page was never shown: every page after the click is the merchant's, and the merchant
    // got exactly one new hit, for this session.
    expect(shown.filter((url) => !url.startsWith(suite.merchant.url))).toEqual([]);
    expect(suite.merchant.hits.slice(before).map((u) => u.searchParams.get('paymentSessionId'))).toEqual([s.id]);
  });

  it('live status: a payment made elsewhere shows up within two seconds, without a reload', async () => {
    const s = await suite.kasir.create(seedAutoConfirmBody({ redirectUrl: {} }));
    // The page's own clock, so "two seconds" is the page's time and not the wall clock of a loaded machine.
    const page = await (await suite.newContext()).newPage();
    const start = Date.now();
    await page.clock.install({ time: start });
    await page.clock.pauseAt(start + 60_000);
    await page.goto(s.paymentUrl);
    await page.getByTestId('va-number').waitFor();
    const sim = await suite.kasir.api('POST', '/v2/payments/simulations', { paymentSessionId: s.id, chargeStatus: 'SUCCESS' });
    expect(sim.status).toBe(200);
    await page.clock.runFor(1000);
    expect(await page.getByTestId('va-number').count(), 'nothing is asked before the first check').toBe(1);
    await page.clock.runFor(1000);
    await page.getByTestId('status-paid').waitFor();
    await shot(page, '09-live-paid-no-return-url');
    // No return URL: the status page stays, with no button.
    expect(await page.getByTestId('return').count()).toBe(0);
  });

  it('English from Accept-Language, and the switch goes back to Indonesian', async () => {
    const s = await suite.kasir.create(seedAutoConfirmBody({ redirectUrl: suite.merchant.redirectUrl }));
    const page = await open(s.paymentUrl, { lang: 'en' });
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('#va-h').textContent()).toBe('Transfer to a Permata virtual account');
    expect(await page.getByText('Total to pay').isVisible()).toBe(true);
    await shot(page, '10-va-english');
    await page.getByRole('link', { name: 'Bahasa Indonesia' }).click();
    await page.waitForURL(/lang=id/);
    expect(await page.locator('#va-h').textContent()).toBe('Transfer ke Virtual Account Permata');
    // The language survives a form post.
    await page.getByRole('link', { name: 'English' }).click();
    await page.getByTestId('simulate-success').click();
    await page.getByTestId('status-paid').waitFor();
    expect(await page.locator('h1').textContent()).toBe('Payment successful');
  });

  it('works without JavaScript: the form posts and a reload tell the truth', async () => {
    const s = await suite.kasir.create(seedConfirmLaterBody({ redirectUrl: suite.merchant.redirectUrl }));
    const page = await open(s.paymentUrl, { javaScriptEnabled: false });
    await page.getByRole('button', { name: 'BRI', exact: true }).click();
    const number = (await page.getByTestId('va-number').textContent())!.trim();
    expect(await page.getByRole('button', { name: 'Salin nomor Virtual Account' }).count()).toBe(0); // hidden without JS
    expect(await page.getByTestId('countdown').textContent()).toMatch(/^00:5\d:\d\d$/);
    await shot(page, '11-no-js-va');
    await suite.kasir.api('POST', '/v2/payments/simulations', { paymentSessionId: s.id, chargeStatus: 'SUCCESS' });
    await page.getByRole('link', { name: 'Sudah bayar? Cek status' }).click();
    await page.getByTestId('status-paid').waitFor();
    // The Refresh header sends the shopper back even without JavaScript.
    await page.waitForURL(`${suite.merchant.url}/success?**`, { timeout: 15_000 });
    expect(number).toMatch(/^\d{10,}$/);
  });
});

describe.runIf(hasBrowser)('hosted payment page over its rate limit', () => {
  const PER_TOKEN = 3;
  const suite = browserSuite({ pageRateLimits: { perTokenPerMinute: PER_TOKEN, perAddressPerMinute: 1000 } });

  it('a shopper reloading too often gets a calm page saying to wait, in their language', async () => {
    const s = await suite.kasir.create(seedAutoConfirmBody());
    const context = await suite.newContext({ javaScriptEnabled: false, lang: 'en' });
    const page = await context.newPage();
    let last;
    for (let i = 0; i <= PER_TOKEN; i++) last = await page.goto(s.paymentUrl);
    expect(last?.status()).toBe(429);
    expect(await page.locator('h1').textContent()).toBe('Please wait a moment');
    expect(await page.getByText('Too many requests in a short time. Wait a moment and try again.').isVisible()).toBe(true);
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, '12-too-many-requests-en');
  });
});
