// Paying by card in a real browser (Debian's Chromium): the picker's card button, the card form with its
// in-browser checks, a frictionless test card, a challenge card through the sandbox ACS page (wrong OTP,
// then 000000), a failure code and a cancel at the ACS page — in Indonesian and English, at 360 px and
// 1280 px, with a screenshot of every screen.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { cardSessionBody, futureExpiry } from '../helpers/cards.ts';
import { browserSuite, fitsWidth, hasBrowser, shot } from './helpers.ts';

const EXPIRY = `12${futureExpiry().expYear.slice(2)}`;

describe.runIf(hasBrowser)('card payments in a browser', () => {
  const suite = browserSuite({ statusRedirectSeconds: 30 });
  const { open } = suite;

  async function typeCard(page: Page, number: string, cvc = '737') {
    await page.getByTestId('card-number').fill(number);
    await page.getByTestId('card-expiry').fill('');
    await page.getByTestId('card-expiry').pressSequentially(EXPIRY);
    await page.getByTestId('card-cvc').fill(cvc);
    await page.getByTestId('card-holder').fill('Budi Santoso');
  }

  it('phone, id: picker → card form → the browser catches a bad number → frictionless card → paid with VISA •••• 0001', async () => {
    const s = await suite.kasir.create(
      cardSessionBody({
        paymentMethod: undefined,
        paymentMethodOptions: undefined,
        autoConfirm: false,
        redirectUrl: suite.merchant.redirectUrl,
      }),
    );
    const page = await open(s.paymentUrl, { lang: 'id' });
    await page.getByTestId('choose-card').click();
    await page.getByTestId('card-number').waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'card-01-form-id-360');

    await typeCard(page, '4440000112200002', '73');
    expect(await page.getByTestId('card-number').inputValue()).toBe('4440 0001 1220 0002');
    await page.getByTestId('card-pay').click();
    await expect.poll(() => page.locator('#cardNumber-error').textContent()).toBe('Nomor kartu tidak valid.');
    expect(await page.locator('#cvc-error').textContent()).toBe('CVC harus 3 digit.');
    expect((await suite.kasir.api('GET', `/v2/payments/${s.id}`)).body.data.status).toBe('REQUIRE_ACTION');
    await shot(page, 'card-02-form-errors-id-360');

    await typeCard(page, '4440000112200001');
    expect(await page.locator('[data-card-brand]').textContent()).toBe('VISA');
    await page.getByTestId('card-pay').click();
    await page.getByTestId('status-paid').waitFor();
    expect(await page.getByTestId('paid-with').textContent()).toBe('VISA •••• 0001');
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'card-03-paid-id-360');
  });

  it('desktop, en: challenge card → sandbox ACS page → wrong OTP refused → 000000 → paid → back to the shop', async () => {
    const s = await suite.kasir.create(cardSessionBody({ redirectUrl: suite.merchant.redirectUrl }));
    const page = await open(s.paymentUrl, { lang: 'en', desktop: true });
    await shot(page, 'card-04-form-en-1280');
    await typeCard(page, '5550000112220002');
    await page.getByTestId('card-pay').click();
    await page.getByTestId('acs').waitFor();
    expect(await page.locator('h1').textContent()).toBe('3-D Secure verification');
    await shot(page, 'card-05-acs-en-1280');
    await page.getByTestId('otp').fill('123456');
    await page.getByTestId('otp-submit').click();
    await expect.poll(() => page.getByTestId('otp-error').textContent()).toBe('Wrong code. Attempts left: 2.');
    await shot(page, 'card-06-acs-wrong-otp-en-1280');
    await page.getByTestId('otp').fill('000000');
    await page.getByTestId('otp-submit').click();
    await page.getByTestId('status-paid').waitFor();
    expect(await page.getByTestId('paid-with').textContent()).toBe('MASTERCARD •••• 0002');
    await shot(page, 'card-07-paid-en-1280');
    await page.getByTestId('return').click();
    await page.waitForURL(`${suite.merchant.url}/success?**`);
  });

  it('phone, id: a failure card → ACS → failed status with the reason; phone, en: cancel at the ACS page', async () => {
    const failing = await suite.kasir.create(cardSessionBody({ redirectUrl: suite.merchant.redirectUrl }));
    const page = await open(failing.paymentUrl, { lang: 'id' });
    await typeCard(page, '4440000334470010');
    await page.getByTestId('card-pay').click();
    await page.getByTestId('acs').waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'card-08-acs-id-360');
    await page.getByTestId('otp').fill('000000');
    await page.getByTestId('otp-submit').click();
    await page.getByTestId('status-failed').waitFor();
    expect(await page.getByTestId('failure-reason').textContent()).toBe('Saldo atau limit kartu tidak mencukupi.');
    await shot(page, 'card-09-failed-id-360');
    const api = (await suite.kasir.api('GET', `/v2/payments/${failing.id}`)).body.data;
    expect(api.chargeDetails[0]).toMatchObject({ failureCode: 'INSUFFICIENT_FUND' });

    const cancelling = await suite.kasir.create(cardSessionBody({ redirectUrl: suite.merchant.redirectUrl }));
    const en = await open(cancelling.paymentUrl, { lang: 'en' });
    await typeCard(en, '3550000112270002');
    await en.getByTestId('card-pay').click();
    await en.getByTestId('acs-cancel').click();
    await en.getByTestId('status-failed').waitFor();
    expect(await en.getByTestId('failure-reason').textContent()).toBe('You cancelled the payment verification.');
    expect(await fitsWidth(en)).toBe(true);
    await shot(en, 'card-10-cancelled-en-360');
  });
});
