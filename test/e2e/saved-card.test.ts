// Paying with a saved card in a real browser (Debian's Chromium): a card paid with saveForFutureUse is
// offered on the next session with showSavedPayment (brand and last four, CVC only), in Indonesian at
// 360 px and English at 1280 px, with a screenshot of every screen.
import { describe, expect, it } from 'vitest';
import { cardSessionBody, futureExpiry } from '../helpers/cards.ts';
import { browserSuite, fitsWidth, hasBrowser, shot } from './helpers.ts';

const EXPIRY = `12${futureExpiry().expYear.slice(2)}`;

describe.runIf(hasBrowser)('saved cards in a browser', () => {
  const suite = browserSuite({ statusRedirectSeconds: 30 });
  const { open } = suite;

  for (const [locale, desktop] of [
    ['id', false],
    ['en', true],
  ] as const) {
    const width = desktop ? 1280 : 360;
    it(`${locale} at ${width} px: the saved VISA •••• 0001 is offered with CVC only and pays`, async () => {
      const customer = { givenName: 'Budi', email: `saved-${locale}-${Date.now()}@example.com` };
      const first = await suite.kasir.create(
        cardSessionBody({ saveForFutureUse: true, customer, redirectUrl: suite.merchant.redirectUrl }),
      );
      const firstPage = await open(first.paymentUrl, { lang: locale, desktop });
      await firstPage.getByTestId('card-number').fill('4440000112200001');
      await firstPage.getByTestId('card-expiry').pressSequentially(EXPIRY);
      await firstPage.getByTestId('card-cvc').fill('737');
      await firstPage.getByTestId('card-holder').fill('Budi Santoso');
      await firstPage.getByTestId('card-pay').click();
      await firstPage.getByTestId('status-paid').waitFor();

      const s = await suite.kasir.create(
        cardSessionBody({ showSavedPayment: true, customer, redirectUrl: suite.merchant.redirectUrl }),
      );
      const page = await open(s.paymentUrl, { lang: locale, desktop });
      const pay = page.getByTestId('saved-card-pay');
      await pay.waitFor();
      expect(await pay.textContent()).toContain(locale === 'id' ? 'Bayar dengan VISA •••• 0001' : 'Pay with VISA •••• 0001');
      expect(await page.content()).not.toContain('4440000112200001');
      expect(await fitsWidth(page)).toBe(true);
      await shot(page, `saved-card-01-offer-${locale}-${width}`);

      await page.getByTestId('saved-card-cvc').fill('12');
      await pay.click();
      await page.getByText(locale === 'id' ? 'CVC harus 3 digit.' : 'The CVC must be 3 digits.').waitFor();
      await shot(page, `saved-card-02-cvc-error-${locale}-${width}`);

      await page.getByTestId('saved-card-cvc').fill('737');
      await page.getByTestId('saved-card-pay').click();
      await page.getByTestId('status-paid').waitFor();
      expect(await page.content()).toContain('VISA •••• 0001');
      await shot(page, `saved-card-03-paid-${locale}-${width}`);
      expect((await suite.kasir.api('GET', `/v2/payments/${s.id}`)).body.data.status).toBe('PAID');
    });
  }
});
