// Paying by card in a real browser (Debian's Chromium): the picker's card button, the card form with its
// in-browser checks, frictionless and challenge test cards (the sandbox ACS page: wrong OTP, then 000000),
// every sandbox failure card from the server's own table and three wrong OTPs, each ending on the failed
// status page with its reason in Indonesian and English, and a cancel at the ACS page — at 360 px and
// 1280 px, with a screenshot of every screen and the API's view of each session after.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CARD_NETWORKS } from '../../src/domain/payment-methods.ts';
import {
  CARD_FAILURES,
  CHALLENGE_TEST_CARDS,
  FAILURE_CARD_SCENARIOS,
  FRICTIONLESS_TEST_CARDS,
  testCardNumber,
  type CardFailureCode,
  type CardFailureScenario,
} from '../../src/domain/card/sandbox-cards.ts';
import { cardSessionBody, futureExpiry } from '../helpers/cards.ts';
import { browserSuite, fitsWidth, hasBrowser, shot, type Lang } from './helpers.ts';

const EXPIRY = `12${futureExpiry().expYear.slice(2)}`;

/** What the status page tells the shopper for each failure code, in each language. */
const SHOPPER_REASON: Record<CardFailureCode, Record<Lang, string>> = {
  DECLINED_BY_CHANNEL: { id: 'Pembayaran ditolak oleh bank penerbit kartu.', en: 'The card issuer declined the payment.' },
  INVALID_ACCOUNT: { id: 'Kartu ini tidak dapat digunakan.', en: 'This card cannot be used.' },
  AUTHENTICATION_FAILED: { id: 'Verifikasi 3-D Secure tidak berhasil.', en: 'The 3-D Secure verification did not succeed.' },
  SUSPECTED_FRAUD: { id: 'Bank menolak kartu ini demi keamanan.', en: 'The bank refused this card for security reasons.' },
  INSUFFICIENT_FUND: { id: 'Saldo atau limit kartu tidak mencukupi.', en: 'The card has insufficient funds or credit.' },
  CHANNEL_UNAVAILABLE: { id: 'Layanan kartu sedang tidak tersedia.', en: 'The card service is unavailable right now.' },
  CANCELLED_BY_USER: { id: 'Anda membatalkan verifikasi pembayaran.', en: 'You cancelled the payment verification.' },
  BLOCKED_BY_FDS: { id: 'Pembayaran ditolak oleh pemeriksaan keamanan.', en: 'The payment was refused by a security check.' },
  REQUIRE_REVIEW: {
    id: 'Pembayaran ditahan untuk ditinjau, sehingga tidak diproses.',
    en: 'The payment was held for review, so it did not go through.',
  },
};
const FAILED_TITLE: Record<Lang, string> = { id: 'Pembayaran gagal', en: 'Payment failed' };
const OTHER: Record<Lang, Lang> = { id: 'en', en: 'id' };

/**
 * Every sandbox failure card, each once, on the three networks in turn, alternating the language every
 * case and the screen every two: each language meets failures on both widths.
 */
const FAILURE_CASES = Object.entries(FAILURE_CARD_SCENARIOS).map(([scenarioNumber, scenario], i) => {
  const network = CARD_NETWORKS[i % CARD_NETWORKS.length]!;
  return {
    scenario,
    network,
    number: testCardNumber(network, scenarioNumber),
    last4: scenarioNumber,
    lang: i % 2 === 0 ? ('id' as const) : ('en' as const),
    desktop: Math.floor(i / 2) % 2 === 1,
  };
});

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

  async function payUntilStatus(page: Page, number: string, otps: string[]) {
    await typeCard(page, number);
    await page.getByTestId('card-pay').click();
    for (const otp of otps) {
      await page.getByTestId('otp').fill(otp);
      await page.getByTestId('otp-submit').click();
    }
  }

  /** The failed status page as the shopper sees it in `lang`, and the session as the API reports it after. */
  async function expectFailure(
    page: Page,
    s: { id: string },
    lang: Lang,
    expected: { failure: CardFailureScenario; method: string },
  ) {
    const { failureCode, failureMessage, recommendation } = CARD_FAILURES[expected.failure];
    await page.getByTestId('status-failed').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe(lang);
    expect(await page.locator('h1').textContent()).toBe(FAILED_TITLE[lang]);
    expect(await page.getByTestId('paid-with').textContent()).toBe(expected.method);
    expect(await page.getByTestId('failure-reason').textContent()).toBe(SHOPPER_REASON[failureCode][lang]);
    expect(await page.getByTestId('return').getAttribute('href')).toMatch(
      new RegExp(`^${suite.merchant.url}/failure\\?.*paymentSessionId=${s.id}`),
    );
    expect(await fitsWidth(page)).toBe(true);
    const api = (await suite.kasir.api('GET', `/v2/payments/${s.id}`)).body.data;
    expect(api).toMatchObject({ status: 'CANCELLED', cancellationReason: 'CHARGE_FAILED' });
    expect(api.chargeDetails).toHaveLength(1);
    expect(api.chargeDetails[0]).toMatchObject({ status: 'FAILED', failureCode, failureMessage, recommendation });
  }

  for (const c of FAILURE_CASES) {
    const width = c.desktop ? 1280 : 360;
    const code = CARD_FAILURES[c.scenario].failureCode;
    it(`${c.lang} at ${width} px: ${c.network} test card …${c.last4} (${c.scenario}) → ACS → failed with ${code}, told in id and en`, async () => {
      const s = await suite.kasir.create(cardSessionBody({ redirectUrl: suite.merchant.redirectUrl }));
      const page = await open(s.paymentUrl, { lang: c.lang, desktop: c.desktop });
      await payUntilStatus(page, c.number, ['000000']);
      const method = `${c.network} •••• ${c.last4}`;
      await expectFailure(page, s, c.lang, { failure: c.scenario, method });
      await shot(page, `card-failed-${c.last4}-${c.scenario}-${c.lang}-${width}`);

      // The same screen in the other language, as the switch on it would show it.
      const other = OTHER[c.lang];
      await page.goto(`${s.paymentUrl}&lang=${other}`);
      await expectFailure(page, s, other, { failure: c.scenario, method });
      await shot(page, `card-failed-${c.last4}-${c.scenario}-${other}-${width}`);
    });
  }

  it('id at 1280 px: three wrong OTPs at the ACS page → failed with AUTHENTICATION_FAILED', async () => {
    const s = await suite.kasir.create(cardSessionBody({ redirectUrl: suite.merchant.redirectUrl }));
    const page = await open(s.paymentUrl, { lang: 'id', desktop: true });
    await payUntilStatus(page, CHALLENGE_TEST_CARDS.VISA, ['111111', '222222', '333333']);
    await expectFailure(page, s, 'id', { failure: 'OTP_ATTEMPTS_EXHAUSTED', method: 'VISA •••• 0002' });
    await shot(page, 'card-failed-otp-attempts-exhausted-id-1280');
  });

  it('en at 1280 px: a frictionless JCB pays at once; id at 360 px: a challenged Mastercard, the ACS page switched to English and back, pays after the OTP', async () => {
    const frictionless = await suite.kasir.create(cardSessionBody({ redirectUrl: suite.merchant.redirectUrl }));
    const en = await open(frictionless.paymentUrl, { lang: 'en', desktop: true });
    await payUntilStatus(en, FRICTIONLESS_TEST_CARDS.JCB, []);
    await en.getByTestId('status-paid').waitFor();
    expect(await en.locator('h1').textContent()).toBe('Payment successful');
    expect(await en.getByTestId('paid-with').textContent()).toBe('JCB •••• 0001');
    await shot(en, 'card-paid-frictionless-jcb-en-1280');

    const challenged = await suite.kasir.create(cardSessionBody({ redirectUrl: suite.merchant.redirectUrl }));
    const id = await open(challenged.paymentUrl, { lang: 'id' });
    await typeCard(id, CHALLENGE_TEST_CARDS.MASTERCARD);
    await id.getByTestId('card-pay').click();
    await id.getByTestId('acs').waitFor();
    expect(await id.locator('h1').textContent()).toBe('Verifikasi 3-D Secure');
    // The ACS page has the language switch too, and it stays on the ACS page.
    await id.getByRole('link', { name: 'English' }).click();
    await id.waitForURL(/\/detail\/acs\?.*lang=en/);
    expect(await id.locator('h1').textContent()).toBe('3-D Secure verification');
    expect(await id.getByTestId('otp-submit').textContent()).toBe('Verify');
    await shot(id, 'card-acs-switched-en-360');
    await id.getByRole('link', { name: 'Bahasa Indonesia' }).click();
    await id.waitForURL(/\/detail\/acs\?.*lang=id/);
    expect(await id.locator('h1').textContent()).toBe('Verifikasi 3-D Secure');
    await id.getByTestId('otp').fill('000000');
    await id.getByTestId('otp-submit').click();
    await id.getByTestId('status-paid').waitFor();
    expect(await id.locator('h1').textContent()).toBe('Pembayaran berhasil');
    expect(await id.getByTestId('paid-with').textContent()).toBe('MASTERCARD •••• 0002');
    expect(await fitsWidth(id)).toBe(true);
    await shot(id, 'card-paid-challenge-mastercard-id-360');

    for (const s of [frictionless, challenged]) {
      const api = (await suite.kasir.api('GET', `/v2/payments/${s.id}`)).body.data;
      expect(api.status).toBe('PAID');
      expect(api.chargeDetails[0]).toMatchObject({ status: 'SUCCESS', card: { last4: s === frictionless ? '0001' : '0002' } });
    }
  });
});
