// The card step of the hosted page, server side: picker → card form → frictionless payment or the sandbox
// ACS page → status page with brand and last four; the form's checks on the server; production has no ACS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../helpers/harness.ts';
import { testCardNumber } from '../../src/domain/card/sandbox-cards.ts';
import { cardSessionBody, futureExpiry } from '../helpers/cards.ts';
import { createSession, get, makePageHarness, pagePath, postForm } from './helpers.ts';

const expiry = () => `12/${futureExpiry().expYear.slice(2)}`;
const form = (token: string, number: string, extra: Record<string, string> = {}) => ({
  token,
  cardNumber: number,
  expiry: expiry(),
  cvc: '737',
  holderName: 'Budi Santoso',
  ...extra,
});

describe('card step of the hosted page', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await makePageHarness('sqlite');
  });
  afterAll(async () => h.close());

  it('the picker offers cards; choosing shows the card form, in Indonesian and English', async () => {
    const s = await createSession(
      h,
      cardSessionBody({ paymentMethod: undefined, paymentMethodOptions: undefined, autoConfirm: false }),
    );
    const picker = await get(h, pagePath(s.token));
    expect(picker.body).toContain('data-testid="choose-card"');
    const chosen = await postForm(h, '/detail/choose', { token: s.token, method: 'CARD' });
    expect(chosen.statusCode).toBe(303);
    const id = await get(h, pagePath(s.token, 'id'));
    expect(id.body).toContain('Nomor kartu');
    expect(id.body).toContain('autocomplete="cc-number"');
    expect(id.body).not.toMatch(/<script>(?!<\/script>)/);
    const en = await get(h, pagePath(s.token, 'en'));
    expect(en.body).toContain('Card number');
    expect(en.body).toContain('4440 0001 1220 0001'); // the sandbox test cards
  });

  it('a frictionless card pays: back to the page, which shows the paid status with brand and last four', async () => {
    const s = await createSession(h, cardSessionBody());
    const res = await postForm(h, '/detail/card', form(s.token, '4440 0001 1220 0001'));
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(pagePath(s.token, 'id'));
    const page = await get(h, pagePath(s.token, 'en'));
    expect(page.body).toContain('data-testid="status-paid"');
    expect(page.body).toContain('VISA •••• 0001');
  });

  it('a manual-capture card waits on the page with its masked card until the merchant captures, then shows paid', async () => {
    const s = await createSession(h, cardSessionBody({}, { captureMethod: 'manual' }));
    expect((await postForm(h, '/detail/card', form(s.token, '4440 0001 1220 0001'))).statusCode).toBe(303);
    const waiting = await get(h, pagePath(s.token, 'en'));
    expect(waiting.body).toContain('data-testid="masked-card"');
    expect(waiting.body).not.toContain('data-testid="status-paid"');
    expect(waiting.body).not.toContain('data-testid="card-number"');
    const captured = await h.api('POST', `/v2/payments/${s.id}/capture`, { releaseRemainingAmount: false });
    expect(captured.status).toBe(200);
    const paid = await get(h, pagePath(s.token, 'en'));
    expect(paid.body).toContain('data-testid="status-paid"');
    expect(paid.body).toContain('VISA •••• 0001');
  });

  it('showSavedPayment offers the customer’s saved card with CVC only, in Indonesian and English; it pays with it', async () => {
    const email = `saved${Date.now()}@example.com`;
    const customer = { givenName: 'Budi', email };
    const first = await createSession(h, cardSessionBody({ saveForFutureUse: true, customer }));
    await postForm(h, '/detail/card', form(first.token, '4440 0001 1220 0001'));

    const plain = await createSession(h, cardSessionBody({ customer }));
    expect((await get(h, pagePath(plain.token, 'en'))).body).not.toContain('data-testid="saved-cards"');

    const s = await createSession(h, cardSessionBody({ showSavedPayment: true, customer }));
    const id = await get(h, pagePath(s.token, 'id'));
    expect(id.body).toContain('data-testid="saved-cards"');
    expect(id.body).toContain('Bayar dengan VISA •••• 0001');
    expect(id.body).not.toContain('4440000112200001');
    const en = await get(h, pagePath(s.token, 'en'));
    expect(en.body).toContain('Pay with VISA •••• 0001');
    const savedCard = /name="savedCard" value="([^"]+)"/.exec(en.body)![1]!;

    const bad = await postForm(h, '/detail/saved-card', { token: s.token, lang: 'en', savedCard, cvc: '12' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('The CVC must be 3 digits.');
    const stranger = await createSession(h, cardSessionBody({ showSavedPayment: true }));
    expect((await postForm(h, '/detail/saved-card', { token: stranger.token, savedCard, cvc: '737' })).statusCode).toBe(422);

    const paid = await postForm(h, '/detail/saved-card', { token: s.token, lang: 'en', savedCard, cvc: '737' });
    expect(paid.statusCode).toBe(303);
    const page = await get(h, pagePath(s.token, 'en'));
    expect(page.body).toContain('data-testid="status-paid"');
    expect(page.body).toContain('VISA •••• 0001');
  });

  it('the server checks the card too: a bad number, an expired card, a short CVC come back named, the number not echoed', async () => {
    const s = await createSession(h, cardSessionBody());
    const res = await postForm(h, '/detail/card', {
      ...form(s.token, '4440000112200002', { expiry: '01/20', cvc: '7' }),
      lang: 'en',
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('This card number is not valid.');
    expect(res.body).toContain('This card has expired.');
    expect(res.body).toContain('The CVC must be 3 digits.');
    expect(res.body).not.toContain('4440000112200002');
    expect(res.body).toContain('value="Budi Santoso"');
    const amex = await postForm(h, '/detail/card', { ...form(s.token, '378282246310005'), lang: 'en' });
    expect(amex.body).toContain('Only Visa, Mastercard and JCB cards are accepted.');
    expect((await h.api('GET', `/v2/payments/${s.id}`)).body.data.status).toBe('REQUIRE_ACTION');
  });

  it('a challenge card goes to the sandbox ACS page and back: a wrong OTP is refused with the attempts left, 000000 pays', async () => {
    const s = await createSession(h, cardSessionBody());
    const res = await postForm(h, '/detail/card', form(s.token, '5550000112220002'));
    expect(res.headers.location).toBe(`/detail/acs?token=${encodeURIComponent(s.token)}&lang=id`);
    const acs = await get(h, res.headers.location as string);
    expect(acs.body).toContain('Verifikasi 3-D Secure');
    expect(acs.body).toContain('MASTERCARD •••• 0002');
    // Its language switch leads to the ACS page in English, not back to the payment page.
    const token = encodeURIComponent(s.token);
    expect(acs.body).toContain(
      `<a class="lang" href="/detail/acs?token=${token}&amp;lang=en" hreflang="en" lang="en">English</a>`,
    );
    const english = await get(h, `/detail/acs?token=${token}&lang=en`);
    expect(english.body).toContain('<html lang="en">');
    expect(english.body).toContain('3-D Secure verification');
    expect(english.body).toContain(`href="/detail/acs?token=${token}&amp;lang=id"`);
    expect(english.body).toContain('<input type="hidden" name="lang" value="en" />');
    const wrong = await postForm(h, '/detail/acs', { token: s.token, otp: '111111', lang: 'en' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('Wrong code. Attempts left: 2.');
    const page = await get(h, pagePath(s.token, 'en'));
    expect(page.body).toContain('data-testid="continue-acs"');
    const ok = await postForm(h, '/detail/acs', { token: s.token, otp: '000000' });
    expect(ok.statusCode).toBe(303);
    expect((await h.api('GET', `/v2/payments/${s.id}`)).body.data.status).toBe('PAID');
  });

  it('a failure shows the failed status with the reason in the shopper’s language', async () => {
    const s = await createSession(h, cardSessionBody());
    await postForm(h, '/detail/card', form(s.token, '4440000334470010'));
    await postForm(h, '/detail/acs', { token: s.token, otp: '000000' });
    const page = await get(h, pagePath(s.token, 'id'));
    expect(page.body).toContain('data-testid="status-failed"');
    expect(page.body).toContain('Saldo atau limit kartu tidak mencukupi.');
  });

  it('a card held for review is a failed payment: the reason says it did not go through, not that the shop will still review it', async () => {
    const s = await createSession(h, cardSessionBody());
    await postForm(h, '/detail/card', form(s.token, testCardNumber('JCB', '0009')));
    await postForm(h, '/detail/acs', { token: s.token, otp: '000000' });
    const reason = (body: string) => /data-testid="failure-reason">([^<]*)</.exec(body)?.[1];
    expect(reason((await get(h, pagePath(s.token, 'id'))).body)).toBe(
      'Pembayaran ditahan untuk ditinjau, sehingga tidak diproses.',
    );
    expect(reason((await get(h, pagePath(s.token, 'en'))).body)).toBe(
      'The payment was held for review, so it did not go through.',
    );
    expect((await h.api('GET', `/v2/payments/${s.id}`)).body.data).toMatchObject({
      status: 'CANCELLED',
      chargeDetails: [{ status: 'FAILED', failureCode: 'REQUIRE_REVIEW' }],
    });
  });

  it('card and ACS posts from another site are refused, and a card cannot be posted twice', async () => {
    const s = await createSession(h, cardSessionBody());
    const cross = await postForm(h, '/detail/card', form(s.token, '4440000112200001'), { 'sec-fetch-site': 'cross-site' });
    expect(cross.statusCode).toBe(403);
    const crossAcs = await postForm(h, '/detail/acs', { token: s.token, otp: '000000' }, { 'sec-fetch-site': 'cross-site' });
    expect(crossAcs.statusCode).toBe(403);
    await postForm(h, '/detail/card', form(s.token, '4440000112200001'));
    const again = await postForm(h, '/detail/card', form(s.token, '4440000112200001'));
    expect(again.statusCode).toBe(409);
  });
});

describe('card step in production mode', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await makePageHarness('sqlite', 'production');
  });
  afterAll(async () => h.close());

  it('a challenge test card just waits for the processor; there is no ACS page and no test card list', async () => {
    const s = await createSession(h, cardSessionBody({ redirectUrl: { successReturnUrl: 'https://merchant.com/ok' } }));
    const formPage = await get(h, pagePath(s.token, 'en'));
    expect(formPage.body).not.toContain('Sandbox test cards');
    const res = await postForm(h, '/detail/card', form(s.token, '4440000112290002'));
    expect(res.headers.location).toBe(pagePath(s.token, 'id'));
    const page = await get(h, pagePath(s.token, 'en'));
    expect(page.body).toContain('Payment is being processed');
    expect(page.body).toContain('VISA •••• 0002');
    expect((await get(h, `/detail/acs?token=${encodeURIComponent(s.token)}`)).statusCode).toBe(404);
  });
});
