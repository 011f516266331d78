// axe-core in Chromium on each screen of the page: no serious or critical violations, judged with the
// page's CSP in force (test/e2e/axe.ts).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHALLENGE_TEST_CARDS, testCardNumber } from '../../src/domain/card/sandbox-cards.ts';
import { ewalletBody, seedAutoConfirmBody, seedConfirmLaterBody } from '../helpers/bodies.ts';
import { cardSessionBody, futureExpiry } from '../helpers/cards.ts';
import { launchBrowser, phone, shot, startKasir, type Kasir, hasBrowser } from './helpers.ts';
import { seriousViolations } from './axe.ts';

describe.runIf(hasBrowser)('hosted page accessibility (axe-core)', () => {
  let browser: Browser;
  let kasir: Kasir;
  let context: BrowserContext;

  beforeAll(async () => {
    // The status page returns the shopper after statusRedirectSeconds; axe needs the page to stay put
    // however long it takes on a loaded machine.
    [browser, kasir] = await Promise.all([launchBrowser(), startKasir({ statusRedirectSeconds: 3600 })]);
    context = await phone(browser);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await kasir?.close();
  });

  async function check(url: string, name: string, prepare?: (page: Page) => Promise<void>) {
    const page = await context.newPage();
    await page.goto(url);
    if (prepare) await prepare(page);
    const violations = await seriousViolations(page);
    await shot(page, `a11y-${name}`);
    await page.close();
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
  }

  it('picker', async () => {
    await check((await kasir.create(seedConfirmLaterBody())).paymentUrl, 'picker');
  });

  it('virtual account step (with the instructions open)', async () => {
    await check((await kasir.create(seedAutoConfirmBody())).paymentUrl, 'va', async (page) => {
      for (const summary of await page.locator('summary').all()) await summary.click();
    });
  });

  it('QR step', async () => {
    await check(
      (await kasir.create(seedAutoConfirmBody({ paymentMethod: { type: 'QR' }, paymentMethodOptions: { qr: {} } }))).paymentUrl,
      'qr',
    );
  });

  it('status page', async () => {
    const s = await kasir.create(seedAutoConfirmBody());
    await kasir.api('POST', '/v2/payments/simulations', { paymentSessionId: s.id, chargeStatus: 'SUCCESS' });
    await check(s.paymentUrl, 'status');
  });

  it('e-wallet steps, the sandbox wallet (sign-in and OTP) and the sandbox phone', async () => {
    const dana = await kasir.create(ewalletBody('DANA'));
    await check(dana.paymentUrl, 'ewallet-dana');
    const wallet = dana.paymentUrl.replace('/detail?', '/detail/wallet?');
    await check(wallet, 'ewallet-wallet-sign-in');
    await check(wallet, 'ewallet-wallet-otp', async (page) => {
      await page.getByTestId('wallet-number').fill('08111111001');
      await page.getByTestId('wallet-continue').click();
      await page.getByTestId('wallet-otp').waitFor();
    });
    const ovo = await kasir.create(ewalletBody('OVO'));
    await check(ovo.paymentUrl, 'ewallet-ovo-number');
    const pushed = await kasir.create(
      ewalletBody('OVO', { paymentMethod: { type: 'EWALLET', ewallet: { accountIdentifier: '08111111001' } } }),
    );
    await check(pushed.paymentUrl.replace('/detail?', '/detail/phone?'), 'ewallet-phone');
  });

  it('card form, the sandbox ACS page and a failed card status page', async () => {
    const expiry = `12${futureExpiry().expYear.slice(2)}`;
    const payWith = (number: string) => async (page: Page) => {
      await page.getByTestId('card-number').fill(number);
      await page.getByTestId('card-expiry').pressSequentially(expiry);
      await page.getByTestId('card-cvc').fill('737');
      await page.getByTestId('card-holder').fill('Budi Santoso');
      await page.getByTestId('card-pay').click();
      await page.getByTestId('acs').waitFor();
    };
    await check((await kasir.create(cardSessionBody())).paymentUrl, 'card-form');
    await check((await kasir.create(cardSessionBody())).paymentUrl, 'card-acs', payWith(CHALLENGE_TEST_CARDS.VISA));
    await check((await kasir.create(cardSessionBody())).paymentUrl, 'card-failed', async (page) => {
      await payWith(testCardNumber('VISA', '0010'))(page);
      await page.getByTestId('otp').fill('000000');
      await page.getByTestId('otp-submit').click();
      await page.getByTestId('status-failed').waitFor();
    });
  });

  it('error page', async () => {
    await check(`${kasir.baseUrl}/detail?token=broken`, 'error');
  });
});
