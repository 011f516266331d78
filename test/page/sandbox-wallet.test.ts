// The shopper's side of an e-wallet charge, server-side on both databases: the OVO number form, the sandbox
// wallet (DANA, ShopeePay) and phone (OVO) pages, each sandbox number's outcome as the merchant API and the
// callbacks report it, wrong OTPs, refusals, and production mode (no sandbox pages, no magic numbers).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, requestId, type Harness } from '../helpers/harness.ts';
import { ewalletBody, seedAutoConfirmBody } from '../helpers/bodies.ts';
import { createSession, get, makePageHarness, pagePath, postForm, type Created } from './helpers.ts';

const walletPath = (token: string) => `/detail/wallet?token=${encodeURIComponent(token)}&lang=en`;
const phonePath = (token: string) => `/detail/phone?token=${encodeURIComponent(token)}&lang=en`;

describe.each(DB_KINDS)('sandbox e-wallet pages on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makePageHarness(kind);
  });
  afterAll(async () => h.close());

  const read = async (id: string) => (await h.api('GET', `/v2/payments/${id}`)).body.data;
  /** The callbacks a session owes, sorted: two written in the same millisecond are listed in either order. */
  const events = async (id: string): Promise<string[]> =>
    (await h.api('GET', `/v2/callbacks?paymentSessionId=${id}&perPage=100`)).body.data
      .map((c: { event: string }) => c.event)
      .sort();

  /** Signs in on the sandbox wallet with `number`, then answers with `otp` (approve) or cancels. */
  async function payWithWallet(s: Created, number: string, otp = '000000') {
    const signIn = await postForm(h, '/detail/wallet/sign-in', { token: s.token, lang: 'en', mobileNumber: number });
    expect(signIn.statusCode).toBe(303);
    expect(signIn.headers.location).toBe(walletPath(s.token));
    return postForm(h, '/detail/wallet/answer', { token: s.token, lang: 'en', otp, decision: 'approve' });
  }

  it('DANA with 08111111001: sign in, OTP, approve → PROCESSING on the way, then PAID / SUCCESS', async () => {
    const s = await createSession(h, ewalletBody('DANA'));
    const page = await get(h, pagePath(s.token, 'en'));
    expect(page.body).toContain('Pay with DANA');
    expect(page.body).toContain(`href="${walletPath(s.token).replace(/&/g, '&amp;')}"`);
    const signInPage = await get(h, walletPath(s.token));
    expect(signInPage.statusCode).toBe(200);
    expect(signInPage.body).toContain('Sign in to DANA');
    expect(signInPage.body).toContain('Rp 50.000');

    await postForm(h, '/detail/wallet/sign-in', { token: s.token, lang: 'en', mobileNumber: '08111111001' });
    const waiting = await read(s.id);
    expect(waiting.status).toBe('PROCESSING');
    expect(waiting.chargeDetails[0]).toMatchObject({
      status: 'WAITING_FOR_AUTHENTICATION',
      ewallet: { channel: 'DANA', accountInformations: { mobileNumber: '+628111111001', name: 'Sandbox 1001' } },
    });
    expect((await get(h, walletPath(s.token))).body).toContain('A code was sent to 0811•••1001.');

    const answer = await postForm(h, '/detail/wallet/answer', { token: s.token, lang: 'en', otp: '000000', decision: 'approve' });
    expect(answer.statusCode).toBe(303);
    expect(answer.headers.location).toBe(pagePath(s.token, 'en'));
    const paid = await read(s.id);
    expect(paid.status).toBe('PAID');
    expect(paid.chargeDetails[0]).toMatchObject({
      status: 'SUCCESS',
      ewallet: { accountInformations: { mobileNumber: '+628111111001' } },
    });
    expect(paid.chargeDetails[0].paidAt).not.toBeNull();
    expect(await events(s.id)).toEqual(['PAYMENT.PROCESSING', 'PAYMENT.PROCESSING', 'PAYMENT.PAID'].sort());

    const status = await get(h, pagePath(s.token, 'en'));
    expect(status.body).toContain('data-testid="status-paid"');
    expect(status.body).toMatch(/data-testid="paid-with">\s*DANA/);
    expect(status.body).toContain('0811•••1001');
    expect(status.body).not.toContain('08111111001');
    // The wallet has nothing more to do: it sends the shopper back to the payment page.
    expect((await get(h, walletPath(s.token))).headers.location).toBe(pagePath(s.token, 'en'));
  });

  it('ShopeePay with 08111111002: PROCESSING / PROCESSING, and it stays there until settled', async () => {
    const s = await createSession(h, ewalletBody('SHOPEEPAY'));
    expect((await payWithWallet(s, '+62 811-111-1002')).statusCode).toBe(303);
    const processing = await read(s.id);
    expect(processing.status).toBe('PROCESSING');
    expect(processing.chargeDetails[0].status).toBe('PROCESSING');
    expect(await events(s.id)).toEqual(['PAYMENT.PROCESSING', 'PAYMENT.PROCESSING'].sort());
    expect((await get(h, pagePath(s.token, 'en'))).body).toContain('Payment is being processed');
    const settled = await h.api('POST', '/v2/payments/simulations', { paymentSessionId: s.id, chargeStatus: 'SUCCESS' });
    expect(settled.status).toBe(200);
    expect((await read(s.id)).status).toBe('PAID');
  });

  it('DANA with 08111111003: CANCELLED / FAILED with a failure code, PAYMENT.CANCELLED', async () => {
    const s = await createSession(h, ewalletBody('DANA'));
    await payWithWallet(s, '08111111003');
    const failed = await read(s.id);
    expect(failed).toMatchObject({ status: 'CANCELLED', cancellationReason: 'CHARGE_FAILED' });
    expect(failed.chargeDetails[0]).toMatchObject({ status: 'FAILED', failureCode: 'DECLINED_BY_CHANNEL' });
    expect(await events(s.id)).toEqual(['PAYMENT.PROCESSING', 'PAYMENT.PROCESSING', 'PAYMENT.CANCELLED'].sort());
    const page = await get(h, pagePath(s.token, 'en'));
    expect(page.body).toContain('data-testid="status-failed"');
    // DANA has one return URL: the shopper goes back to successReturnUrl, the status says it failed.
    expect(page.headers.refresh).toMatch(/url=https:\/\/merchant\.com\/success\?.*status=CANCELLED/);
  });

  it('ShopeePay with 08111111004: EXPIRED / EXPIRED, PAYMENT.CANCELLED', async () => {
    const s = await createSession(h, ewalletBody('SHOPEEPAY'));
    await payWithWallet(s, '08111111004');
    const expired = await read(s.id);
    expect(expired.status).toBe('EXPIRED');
    expect(expired.chargeDetails[0].status).toBe('EXPIRED');
    expect(await events(s.id)).toEqual(['PAYMENT.PROCESSING', 'PAYMENT.PROCESSING', 'PAYMENT.CANCELLED'].sort());
  });

  it('a wrong OTP is refused on the same screen and changes nothing; the right one then pays', async () => {
    const s = await createSession(h, ewalletBody('DANA'));
    const wrong = await payWithWallet(s, '08111111001', '123456');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('That code is wrong. Please try again.');
    expect(wrong.body).toContain('name="otp"');
    const still = await read(s.id);
    expect(still.status).toBe('PROCESSING');
    expect(still.chargeDetails[0].status).toBe('WAITING_FOR_AUTHENTICATION');
    const right = await postForm(h, '/detail/wallet/answer', { token: s.token, lang: 'en', otp: '000000', decision: 'approve' });
    expect(right.statusCode).toBe(303);
    expect((await read(s.id)).status).toBe('PAID');
  });

  it('cancelling in the wallet cancels the session with CANCELLED_BY_USER', async () => {
    const s = await createSession(h, ewalletBody('DANA'));
    const res = await postForm(h, '/detail/wallet/answer', { token: s.token, lang: 'en', decision: 'cancel' });
    expect(res.statusCode).toBe(303);
    const cancelled = await read(s.id);
    expect(cancelled).toMatchObject({ status: 'CANCELLED', cancellationReason: 'CHARGE_FAILED' });
    expect(cancelled.chargeDetails[0]).toMatchObject({ status: 'FAILED', failureCode: 'CANCELLED_BY_USER' });
  });

  it('the wallet refuses a number that is not an Indonesian mobile number, on the same screen', async () => {
    const s = await createSession(h, ewalletBody('DANA'));
    const res = await postForm(h, '/detail/wallet/sign-in', { token: s.token, lang: 'en', mobileNumber: '12' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('That mobile number is not valid.');
    expect((await read(s.id)).chargeDetails[0].status).toBe('WAITING_FOR_USER_ACTION');
  });

  it('OVO: the page asks for the number, the push waits on the phone, 08111111003 approved → CANCELLED / FAILED', async () => {
    const s = await createSession(h, ewalletBody('OVO'));
    const ask = await get(h, pagePath(s.token, 'en'));
    expect(ask.body).toContain('Mobile number registered with OVO');
    expect((await get(h, phonePath(s.token))).body).toContain('No payment request is waiting.');
    const bad = await postForm(h, '/detail/account', { token: s.token, lang: 'en', mobileNumber: 'not a number' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('That mobile number is not valid.');

    const sent = await postForm(h, '/detail/account', { token: s.token, lang: 'en', mobileNumber: '08111111003' });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe(pagePath(s.token, 'en'));
    const waiting = await read(s.id);
    expect(waiting.status).toBe('PROCESSING');
    expect(waiting.chargeDetails[0]).toMatchObject({
      status: 'WAITING_FOR_AUTHENTICATION',
      ewallet: { channel: 'OVO', accountInformations: { mobileNumber: '+628111111003' } },
    });
    const page = await get(h, pagePath(s.token, 'en'));
    expect(page.body).toContain('A payment request was sent to OVO 0811•••1003.');
    expect(page.body).toContain('Waiting for your approval in OVO');

    const phone = await get(h, phonePath(s.token));
    expect(phone.body).toContain('Toko Kopi asks for Rp 50.000 from OVO 0811•••1003.');
    const wrongPin = await postForm(h, '/detail/phone/answer', {
      token: s.token,
      lang: 'en',
      otp: '111111',
      decision: 'approve',
    });
    expect(wrongPin.statusCode).toBe(400);
    expect(wrongPin.body).toContain('Wrong PIN. Please try again.');
    const approved = await postForm(h, '/detail/phone/answer', {
      token: s.token,
      lang: 'en',
      otp: '000000',
      decision: 'approve',
    });
    expect(approved.statusCode).toBe(303);
    const failed = await read(s.id);
    expect(failed.status).toBe('CANCELLED');
    expect(failed.chargeDetails[0]).toMatchObject({ status: 'FAILED', failureCode: 'DECLINED_BY_CHANNEL' });
    expect((await get(h, phonePath(s.token))).body).toContain('No payment request is waiting.');
  });

  it("OVO with the merchant's number: the push is pending at once; approving 08111111001 goes REQUIRE_ACTION → PROCESSING → PAID", async () => {
    const s = await createSession(
      h,
      ewalletBody('OVO', { paymentMethod: { type: 'EWALLET', ewallet: { accountIdentifier: '08111111001' } } }),
    );
    expect((await get(h, pagePath(s.token, 'en'))).body).toContain('A payment request was sent to OVO 0811•••1001.');
    expect((await get(h, phonePath(s.token))).body).toContain('data-testid="push"');
    await postForm(h, '/detail/phone/answer', { token: s.token, lang: 'en', otp: '000000', decision: 'approve' });
    expect((await read(s.id)).status).toBe('PAID');
    expect(await events(s.id)).toEqual(['PAYMENT.PROCESSING', 'PAYMENT.PROCESSING', 'PAYMENT.PAID'].sort());
  });

  it('OVO rejected on the phone → CANCELLED with CANCELLED_BY_USER', async () => {
    const s = await createSession(
      h,
      ewalletBody('OVO', { paymentMethod: { type: 'EWALLET', ewallet: { accountIdentifier: '081234567890' } } }),
    );
    const res = await postForm(h, '/detail/phone/answer', { token: s.token, lang: 'en', decision: 'cancel' });
    expect(res.statusCode).toBe(303);
    expect((await read(s.id)).chargeDetails[0]).toMatchObject({ status: 'FAILED', failureCode: 'CANCELLED_BY_USER' });
  });

  it('each page belongs to its flow: no phone for DANA, no wallet for OVO, neither for a VA', async () => {
    const dana = await createSession(h, ewalletBody('DANA'));
    const ovo = await createSession(h, ewalletBody('OVO'));
    const va = await createSession(h, seedAutoConfirmBody());
    expect((await get(h, phonePath(dana.token))).statusCode).toBe(404);
    expect((await get(h, walletPath(ovo.token))).statusCode).toBe(404);
    expect((await get(h, walletPath(va.token))).statusCode).toBe(404);
    expect((await postForm(h, '/detail/account', { token: dana.token, mobileNumber: '08111111001' })).statusCode).toBe(404);
    expect((await get(h, '/detail/wallet?token=forged')).statusCode).toBe(404);
  });

  it('security: posts from another site are refused and change nothing', async () => {
    const s = await createSession(h, ewalletBody('DANA'));
    const crossSite = { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' };
    const signIn = await postForm(h, '/detail/wallet/sign-in', { token: s.token, mobileNumber: '08111111001' }, crossSite);
    expect(signIn.statusCode).toBe(403);
    const answer = await postForm(h, '/detail/wallet/answer', { token: s.token, decision: 'cancel' }, crossSite);
    expect(answer.statusCode).toBe(403);
    expect((await read(s.id)).status).toBe('REQUIRE_ACTION');
  });

  it('escapes what the merchant sent on the wallet and phone pages', async () => {
    const s = await createSession(
      h,
      ewalletBody('OVO', {
        statementDescriptor: '<b>"Kopi"</b>',
        paymentMethod: { type: 'EWALLET', ewallet: { accountIdentifier: '08111111001' } },
      }),
    );
    const phone = await get(h, phonePath(s.token));
    expect(phone.body).not.toContain('<b>"Kopi"');
    expect(phone.body).toContain('&lt;b&gt;&quot;Kopi&quot;&lt;/b&gt;');
  });
});

describe.each(DB_KINDS)('API-mode e-wallet sessions in the sandbox on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makePageHarness(kind);
  });
  afterAll(async () => h.close());

  /** An API-mode session: no payment page, so its paymentUrl is the wallet itself (Pivot's deeplink). */
  const apiSession = async (body: Record<string, unknown>) => {
    const res = await h.api('POST', '/v2/payments', { ...body, mode: 'API' }, { 'x-request-id': requestId() });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.data;
  };
  const tokenOf = (paymentUrl: string) => new URL(paymentUrl).searchParams.get('token')!;

  it('DANA: paymentUrl opens the sandbox wallet; approving ends at the merchant’s return URL, not a payment page', async () => {
    const s = await apiSession(ewalletBody('DANA'));
    expect(s.paymentUrl).toMatch(/^http:\/\/kasir\.test\/detail\/wallet\?token=/);
    const token = tokenOf(s.paymentUrl);
    // The session has no payment page: the page token opens only the wallet.
    expect((await get(h, pagePath(token, 'en'))).statusCode).toBe(404);
    const signInPage = await get(h, walletPath(token));
    expect(signInPage.statusCode).toBe(200);
    expect(signInPage.body).toContain('Sign in to DANA');
    expect(signInPage.body).not.toContain('Back to the payment page');

    const signIn = await postForm(h, '/detail/wallet/sign-in', { token, lang: 'en', mobileNumber: '08111111001' });
    expect(signIn.headers.location).toBe(walletPath(token));
    const answer = await postForm(h, '/detail/wallet/answer', { token, lang: 'en', otp: '000000', decision: 'approve' });
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toContain('data-testid="status-paid"');
    expect(answer.headers.refresh).toMatch(/url=https:\/\/merchant\.com\/success\?.*status=PAID/);
    expect((await h.api('GET', `/v2/payments/${s.id}`)).body.data.status).toBe('PAID');
    // Over: the link now shows where the payment ended, and sends the shopper back to the merchant.
    expect((await get(h, walletPath(token))).headers.refresh).toMatch(/url=https:\/\/merchant\.com\/success\?/);
  });

  it('ShopeePay confirmed later gets its link at confirm; OVO (a push) and VA get none', async () => {
    const later = await apiSession(ewalletBody('SHOPEEPAY', { autoConfirm: false }));
    expect(later.paymentUrl).toBeUndefined();
    const confirmed = await h.api('POST', `/v2/payments/${later.id}/confirm`, {});
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body.data.paymentUrl).toMatch(/^http:\/\/kasir\.test\/detail\/wallet\?token=/);
    const declined = await postForm(h, '/detail/wallet/sign-in', {
      token: tokenOf(confirmed.body.data.paymentUrl),
      lang: 'en',
      mobileNumber: '08111111003',
    });
    expect(declined.statusCode).toBe(303);

    expect(
      (
        await apiSession(
          ewalletBody('OVO', { paymentMethod: { type: 'EWALLET', ewallet: { accountIdentifier: '08111111001' } } }),
        )
      ).paymentUrl,
    ).toBeUndefined();
    expect((await apiSession(seedAutoConfirmBody())).paymentUrl).toBeUndefined();
  });
});

describe('e-wallets in production mode', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await makePageHarness('sqlite', 'production');
  });
  afterAll(async () => h.close());

  it('has no sandbox wallet or phone pages, and a sandbox number is just a number: the charge waits', async () => {
    const dana = await createSession(h, ewalletBody('DANA', { redirectUrl: { successReturnUrl: 'https://merchant.com/ok' } }));
    const ovo = await createSession(h, ewalletBody('OVO', { redirectUrl: { successReturnUrl: 'https://merchant.com/ok' } }));
    expect((await get(h, walletPath(dana.token))).statusCode).toBe(404);
    expect((await get(h, phonePath(ovo.token))).statusCode).toBe(404);
    const answer = await postForm(h, '/detail/wallet/answer', { token: dana.token, otp: '000000', decision: 'approve' });
    expect(answer.statusCode).toBe(404);

    const apiDana = await h.api(
      'POST',
      '/v2/payments',
      ewalletBody('DANA', { mode: 'API', redirectUrl: { successReturnUrl: 'https://merchant.com/ok' } }),
      {
        'x-request-id': requestId(),
      },
    );
    expect(apiDana.status, JSON.stringify(apiDana.body)).toBe(200);
    expect(apiDana.body.data.paymentUrl).toBeUndefined();

    const danaPage = await get(h, pagePath(dana.token, 'en'));
    expect(danaPage.body).toContain('Finish the payment in your DANA app.');
    expect(danaPage.body).not.toContain('/detail/wallet');

    const sent = await postForm(
      h,
      '/detail/account',
      { token: ovo.token, lang: 'en', mobileNumber: '08111111001' },
      { origin: 'https://kasir.test' },
    );
    expect(sent.statusCode).toBe(303);
    const waiting = (await h.api('GET', `/v2/payments/${ovo.id}`)).body.data;
    expect(waiting.status).toBe('PROCESSING');
    expect(waiting.chargeDetails[0]).toMatchObject({
      status: 'WAITING_FOR_AUTHENTICATION',
      ewallet: { accountInformations: { mobileNumber: '+628111111001', name: null } },
    });
    const page = await get(h, pagePath(ovo.token, 'en'));
    expect(page.body).toContain('Waiting for your approval in OVO');
    expect(page.body).not.toContain('/detail/phone');
    expect((await h.api('POST', '/v2/payments/simulations', { paymentSessionId: ovo.id, chargeStatus: 'SUCCESS' })).status).toBe(
      404,
    );
  });
});
