// Paying with e-wallets in a real browser (Debian's Chromium): DANA and ShopeePay through the sandbox wallet
// page, OVO through the number form and the sandbox phone. Each of Pivot's sandbox numbers once, in id and
// en, at 360 px and 1280 px; a screenshot of every e-wallet screen.
import { describe, expect, it } from 'vitest';
import { ewalletBody, seedConfirmLaterBody } from '../helpers/bodies.ts';
import { browserSuite, fitsWidth, hasBrowser, shot } from './helpers.ts';

describe.runIf(hasBrowser)('e-wallets in a browser', () => {
  const suite = browserSuite({ statusRedirectSeconds: 2 });
  const { open } = suite;

  const status = async (id: string) => (await suite.kasir.api('GET', `/v2/payments/${id}`)).body.data;

  it('DANA, id, phone: picker → DANA → sandbox wallet, 08111111001, a wrong OTP then 000000 → paid → success URL', async () => {
    const s = await suite.kasir.create(
      seedConfirmLaterBody({ redirectUrl: suite.merchant.redirectUrl, amount: { value: 75_000, currency: 'IDR' } }),
    );
    const page = await open(s.paymentUrl, { lang: 'id' });
    await page.getByTestId('choose-dana').waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'ewallet-01-picker-id');
    await page.getByTestId('choose-dana').click();
    await page.getByTestId('open-wallet').waitFor();
    expect(await page.locator('#ew-h').textContent()).toContain('Bayar dengan DANA');
    await shot(page, 'ewallet-02-dana-step-id');

    await page.getByTestId('open-wallet').click();
    expect(await page.locator('h1').textContent()).toBe('Masuk ke DANA');
    expect(await page.getByTestId('wallet-amount').textContent()).toBe('Rp 75.000');
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'ewallet-03-dana-sign-in-id');
    await page.getByTestId('wallet-number').fill('08111111001');
    await page.getByTestId('wallet-continue').click();
    await page.getByTestId('wallet-otp').fill('123456');
    await page.getByTestId('wallet-pay').click();
    expect(await page.getByTestId('wallet-error').textContent()).toBe('Kode OTP salah. Silakan coba lagi.');
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'ewallet-04-dana-otp-wrong-id');
    expect((await status(s.id)).status).toBe('PROCESSING');

    await page.getByTestId('wallet-otp').fill('000000');
    await page.getByTestId('wallet-pay').click();
    await page.getByTestId('status-paid').waitFor();
    expect(await page.getByTestId('paid-with').textContent()).toBe('DANA');
    expect(await page.getByTestId('paid-account').textContent()).toBe('0811•••1001');
    await shot(page, 'ewallet-05-dana-paid-id');
    expect((await status(s.id)).chargeDetails[0]).toMatchObject({
      status: 'SUCCESS',
      ewallet: { channel: 'DANA', accountInformations: { mobileNumber: '+628111111001' } },
    });
    const hit = await suite.merchant.waitForHit('/success');
    expect(Object.fromEntries(hit.searchParams)).toMatchObject({ paymentSessionId: s.id, status: 'PAID' });
  });

  it('ShopeePay, en, desktop: 08111111002 stays processing; the page says so', async () => {
    const s = await suite.kasir.create(ewalletBody('SHOPEEPAY', { redirectUrl: suite.merchant.redirectUrl }));
    const page = await open(s.paymentUrl, { lang: 'en', desktop: true });
    await page.getByTestId('open-wallet').click();
    expect(await page.locator('h1').textContent()).toBe('Sign in to ShopeePay');
    await shot(page, 'ewallet-06-shopeepay-sign-in-en-desktop');
    await page.getByTestId('wallet-number').fill('0811 111 1002');
    await page.getByTestId('wallet-continue').click();
    expect(await page.locator('h1').textContent()).toBe('Enter the OTP code');
    await shot(page, 'ewallet-07-shopeepay-otp-en-desktop');
    await page.getByTestId('wallet-otp').fill('000000');
    await page.getByTestId('wallet-pay').click();
    await page.getByText('Payment is being processed').waitFor();
    await shot(page, 'ewallet-08-shopeepay-processing-en-desktop');
    const after = await status(s.id);
    expect(after.status).toBe('PROCESSING');
    expect(after.chargeDetails[0].status).toBe('PROCESSING');
  });

  it('OVO, en, phone: the number form, the push on the sandbox phone, 08111111003 approved → failed', async () => {
    const s = await suite.kasir.create(ewalletBody('OVO', { redirectUrl: suite.merchant.redirectUrl }));
    const page = await open(s.paymentUrl, { lang: 'en' });
    await page.getByTestId('ovo-number').waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'ewallet-09-ovo-number-en');
    await page.getByTestId('ovo-number').fill('08111111003');
    await page.getByTestId('ovo-send').click();
    expect(await page.getByTestId('ovo-sent').textContent()).toBe('A payment request was sent to OVO 0811•••1003.');
    await shot(page, 'ewallet-10-ovo-waiting-en');

    await page.getByTestId('open-phone').click();
    await page.getByTestId('push').waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'ewallet-11-ovo-phone-en');
    await page.getByTestId('phone-pin').fill('000000');
    await page.getByTestId('phone-approve').click();
    await page.getByTestId('status-failed').waitFor();
    expect(await page.getByTestId('paid-account').textContent()).toBe('0811•••1003');
    await shot(page, 'ewallet-12-ovo-failed-en');
    expect((await status(s.id)).chargeDetails[0]).toMatchObject({ status: 'FAILED', failureCode: 'DECLINED_BY_CHANNEL' });
    await suite.merchant.waitForHit('/failure');
  });

  it("OVO, id, desktop: the merchant's number 08111111004, approved on the phone → expired", async () => {
    const s = await suite.kasir.create(
      ewalletBody('OVO', {
        redirectUrl: suite.merchant.redirectUrl,
        paymentMethod: { type: 'EWALLET', ewallet: { accountIdentifier: '08111111004' } },
      }),
    );
    const page = await open(s.paymentUrl, { lang: 'id', desktop: true });
    expect(await page.getByTestId('ovo-sent').textContent()).toBe('Permintaan pembayaran sudah dikirim ke OVO 0811•••1004.');
    await shot(page, 'ewallet-13-ovo-waiting-id-desktop');
    await page.getByTestId('open-phone').click();
    await page.getByTestId('push').waitFor();
    await shot(page, 'ewallet-14-ovo-phone-id-desktop');
    await page.getByTestId('phone-pin').fill('000000');
    await page.getByTestId('phone-approve').click();
    await page.getByTestId('status-expired').waitFor();
    await shot(page, 'ewallet-15-ovo-expired-id-desktop');
    expect((await status(s.id)).status).toBe('EXPIRED');
    await suite.merchant.waitForHit('/expiration');
  });
});
