// Cards through the merchant API on both databases: create, the API-mode flow (encryptionKey, confirm
// with an encrypted card, the ACS page its paymentUrl opens), every outcome Pivot's test cards decide,
// and the refusals (bad ciphertext, raw card data, saved-card tokens, external 3-D Secure).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCardNumber } from '../../../src/domain/card/sandbox-cards.ts';
import { DB_KINDS, makeHarness, requestId, type Harness } from '../../helpers/harness.ts';
import { cardSessionBody, encryptCard, futureExpiry, type PlainCard } from '../../helpers/cards.ts';
import { postForm } from '../../page/helpers.ts';

const card = (number: string, extra: Partial<PlainCard> = {}): PlainCard => ({ number, ...futureExpiry(), cvc: '737', ...extra });

describe.each(DB_KINDS)('card payments through the API on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    // Fresh key pairs, as Kasir draws them: this file asserts each session has its own.
    h = await makeHarness(kind, { publicUrl: 'http://kasir.test', sessionKeys: 'fresh' });
  });
  afterAll(async () => h.close());

  const create = async (overrides: Record<string, unknown> = {}, options: Record<string, unknown> = {}) => {
    const res = await h.api('POST', '/v2/payments', cardSessionBody(overrides, options), { 'x-request-id': requestId() });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.data;
  };
  const createApi = (options: Record<string, unknown> = {}) => create({ mode: 'API', autoConfirm: false }, options);
  const confirmWith = (s: any, plain: PlainCard | string) =>
    h.api('POST', `/v2/payments/${s.id}/confirm`, {
      paymentMethod: { type: 'CARD', card: { encryptedCard: encryptCard(s.encryptionKey, plain) } },
    });
  const acs = (paymentUrl: string) => new URL(paymentUrl).pathname + new URL(paymentUrl).search;
  const otp = (paymentUrl: string, code: string) =>
    postForm(h, '/detail/acs', { token: new URL(paymentUrl).searchParams.get('token')!, otp: code });
  const events = async (id: string) =>
    (
      await h.store.db
        .selectFrom('callbacks')
        .select(['event', 'payload'])
        .where('resource_id', '=', id)
        .orderBy('created_at')
        .execute()
    ).map((r) => r.event);

  describe('REDIRECT mode', () => {
    it('create with autoConfirm issues a charge waiting for the shopper’s card, no card object yet', async () => {
      const s = await create();
      expect(s.status).toBe('REQUIRE_ACTION');
      expect(s.paymentMethod).toEqual({ type: 'CARD' });
      expect(s.chargeDetails[0]).toMatchObject({ status: 'WAITING_FOR_USER_ACTION', authorizedAmount: null });
      expect(s.chargeDetails[0]).not.toHaveProperty('card');
      expect(s).not.toHaveProperty('encryptionKey');
      expect(s.paymentUrl).toMatch(/^http:\/\/kasir\.test\/detail\?token=/);
      expect(await events(s.id)).toEqual(['PAYMENT.PROCESSING']);
    });

    it('confirm without a card in REDIRECT mode issues the charge for the page; encryptedCard is refused there', async () => {
      const s = await create({ autoConfirm: false });
      expect(s.status).toBe('REQUIRE_CONFIRMATION');
      const wrong = await h.api('POST', `/v2/payments/${s.id}/confirm`, {
        paymentMethod: { type: 'CARD', card: { encryptedCard: 'QUJD' } },
      });
      expect(wrong.status).toBe(400);
      expect(wrong.body.error.details[0].message).toContain('API mode');
      const res = await h.api('POST', `/v2/payments/${s.id}/confirm`, {});
      expect(res.status).toBe(200);
      expect(res.body.data.chargeDetails[0].status).toBe('WAITING_FOR_USER_ACTION');
    });
  });

  describe('API mode', () => {
    it('create returns a per-session RSA encryptionKey and no paymentUrl', async () => {
      const [a, b] = [await createApi(), await createApi()];
      expect(a.status).toBe('REQUIRE_CONFIRMATION');
      expect(a).not.toHaveProperty('paymentUrl');
      expect(Buffer.from(a.encryptionKey, 'base64').length).toBeGreaterThan(250);
      expect(a.encryptionKey).not.toBe(b.encryptionKey);
      expect((await h.api('GET', `/v2/payments/${a.id}`)).body.data.encryptionKey).toBe(a.encryptionKey);
    });

    it('a frictionless card pays on confirm: the charge carries the card object and fdsRiskAssessment, never the number', async () => {
      const s = await createApi();
      const res = await confirmWith(s, card('5550000112230001', { cardHolderName: 'Budi Santoso' }));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const d = res.body.data;
      expect(d.status).toBe('PAID');
      const charge = d.chargeDetails[0];
      expect(charge).toMatchObject({
        status: 'SUCCESS',
        isCaptured: true,
        authorizedAmount: { value: 150_000, currency: 'IDR' },
        capturedAmount: { value: 150_000, currency: 'IDR' },
        card: {
          first6: '555000',
          first8: '55500001',
          last4: '0001',
          expMonth: '12',
          expYear: futureExpiry().expYear,
          fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
          binInformations: { brand: 'MASTERCARD', type: 'CREDIT', country: 'ID' },
          authenticationResult: { threeDsResult: 'Y', threeDsMethod: 'FRICTIONLESS', eciCode: '02' },
          authorizationResult: { cvvResult: 'M', issuerAuthorizationCode: expect.stringMatching(/^\d{6}$/) },
        },
        fdsRiskAssessment: { status: 'PASSED', recommendation: 'Approve' },
      });
      expect(JSON.stringify(d)).not.toContain('5550000112230001');
      expect(d.paymentMethod.card.last4).toBe('0001');
      expect(await events(s.id)).toEqual(['PAYMENT.PAID']);
      const charges = await h.api('GET', `/v2/charges?paymentSessionId=${s.id}`);
      expect(charges.body.data[0].card.fingerprint).toBe(charge.card.fingerprint);
    });

    it('the same card gives the same fingerprint in another session; another card another one', async () => {
      const pay = async (number: string) =>
        (await confirmWith(await createApi(), card(number))).body.data.chargeDetails[0].card.fingerprint;
      const [one, again, other] = [await pay('4111111111111111'), await pay('4111111111111111'), await pay('4440000112200001')];
      expect(again).toBe(one);
      expect(other).not.toBe(one);
    });

    it('a challenge card waits for 3-D Secure: paymentUrl opens the sandbox ACS page; OTP 000000 pays it', async () => {
      const s = await createApi();
      const res = await confirmWith(s, card('3550000112270002'));
      expect(res.body.data).toMatchObject({ status: 'PROCESSING', chargeDetails: [{ status: 'WAITING_FOR_AUTHENTICATION' }] });
      const url = res.body.data.paymentUrl as string;
      expect(url).toMatch(/^http:\/\/kasir\.test\/detail\/acs\?token=/);
      const page = await h.app.inject({ method: 'GET', url: acs(url) });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('JCB •••• 0002');
      const wrong = await otp(url, '123456');
      expect(wrong.statusCode).toBe(422);
      const ok = await otp(url, '000000');
      expect(ok.statusCode).toBe(200); // the status page, returning to the merchant
      expect(ok.headers.refresh).toContain('https://merchant.com/success');
      const got = (await h.api('GET', `/v2/payments/${s.id}`)).body.data;
      expect(got.status).toBe('PAID');
      expect(got.chargeDetails[0].card.authenticationResult).toMatchObject({ threeDsMethod: 'CHALLENGE', threeDsResult: 'Y' });
      expect(await events(s.id)).toEqual(['PAYMENT.PROCESSING', 'PAYMENT.PAID']);
    });

    const failures: Array<[string, string]> = [
      ['0001', 'DECLINED_BY_CHANNEL'],
      ['0002', 'DECLINED_BY_CHANNEL'],
      ['0003', 'DECLINED_BY_CHANNEL'],
      ['0004', 'INVALID_ACCOUNT'],
      ['0005', 'AUTHENTICATION_FAILED'],
      ['0006', 'SUSPECTED_FRAUD'],
      ['0007', 'SUSPECTED_FRAUD'],
      ['0008', 'BLOCKED_BY_FDS'],
      ['0009', 'REQUIRE_REVIEW'],
      ['0010', 'INSUFFICIENT_FUND'],
      ['0011', 'CHANNEL_UNAVAILABLE'],
      ['0012', 'CANCELLED_BY_USER'],
    ];
    it.each(failures)('test card …%s ends CANCELLED with %s, its message and recommendation', async (scenario, code) => {
      const network = (['VISA', 'MASTERCARD', 'JCB'] as const)[Number(scenario) % 3]!;
      const s = await createApi();
      const res = await confirmWith(s, card(testCardNumber(network, scenario)));
      expect(res.body.data.status).toBe('PROCESSING');
      await otp(res.body.data.paymentUrl, '000000');
      const got = (await h.api('GET', `/v2/payments/${s.id}`)).body.data;
      expect(got).toMatchObject({ status: 'CANCELLED', cancellationReason: 'CHARGE_FAILED' });
      expect(got.chargeDetails[0]).toMatchObject({
        status: 'FAILED',
        failureCode: code,
        failureMessage: expect.any(String),
        recommendation: expect.any(String),
        authorizedAmount: null,
        capturedAmount: null,
        card: { last4: scenario },
      });
      expect(await events(s.id)).toEqual(['PAYMENT.PROCESSING', 'PAYMENT.CANCELLED']);
    });

    it('cancel at the ACS page ends CANCELLED_BY_USER', async () => {
      const s = await createApi();
      const res = await confirmWith(s, card('4440000112290002'));
      await postForm(h, '/detail/acs', { token: new URL(res.body.data.paymentUrl).searchParams.get('token')!, action: 'cancel' });
      const got = (await h.api('GET', `/v2/payments/${s.id}`)).body.data;
      expect(got.chargeDetails[0]).toMatchObject({ status: 'FAILED', failureCode: 'CANCELLED_BY_USER' });
    });

    it('threeDsMethod NEVER pays a challenge card without the ACS page; CHALLENGE challenges a frictionless one', async () => {
      const never = await confirmWith(await createApi({ threeDsMethod: 'NEVER' }), card('4440000112290002'));
      expect(never.body.data.status).toBe('PAID');
      expect(never.body.data.chargeDetails[0].card.authenticationResult).toBeNull();
      const always = await confirmWith(await createApi({ threeDsMethod: 'CHALLENGE' }), card('4440000112200001'));
      expect(always.body.data.chargeDetails[0].status).toBe('WAITING_FOR_AUTHENTICATION');
    });

    it('a ciphertext the session key cannot open is 400 card_decryption_failed; so is one that is not a card', async () => {
      const s = await createApi();
      const other = await createApi();
      for (const encryptedCard of [
        'bm90IGEgY2lwaGVydGV4dA==',
        encryptCard(other.encryptionKey, card('4440000112200001')),
        '!!!',
      ]) {
        const res = await h.api('POST', `/v2/payments/${s.id}/confirm`, {
          paymentMethod: { type: 'CARD', card: { encryptedCard } },
        });
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ code: 'card_decryption_failed', error: { type: 'API_ERROR' } });
      }
      const notCard = await confirmWith(s, 'hello');
      expect(notCard.body.code).toBe('card_decryption_failed');
      expect((await h.api('GET', `/v2/payments/${s.id}`)).body.data.status).toBe('REQUIRE_CONFIRMATION');
    });

    it('a decrypted card with bad fields is a 400 naming them, without echoing the number', async () => {
      const s = await createApi();
      const res = await confirmWith(s, { number: '4440000112200002', expMonth: '13', expYear: '2030', cvc: '1' });
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: any) => d.field)).toEqual([
        'paymentMethod.card.encryptedCard.number',
        'paymentMethod.card.encryptedCard.expiry',
        'paymentMethod.card.encryptedCard.cvc',
      ]);
      expect(JSON.stringify(res.body)).not.toContain('4440000112200002');
    });

    it('refuses what Kasir does not take: autoConfirm in API mode, confirm without the card, unknown tokens, raw card data', async () => {
      const auto = await h.api('POST', '/v2/payments', cardSessionBody({ mode: 'API' }), { 'x-request-id': requestId() });
      expect(auto.status).toBe(400);
      expect(auto.body.error.details[0].field).toBe('paymentMethod.card.encryptedCard');

      const s = await createApi();
      expect((await h.api('POST', `/v2/payments/${s.id}/confirm`, {})).status).toBe(400);
      const token = await h.api('POST', `/v2/payments/${s.id}/confirm`, {
        paymentMethod: { type: 'CARD', card: { token: 'tok_'.padEnd(24, 'x') } },
      });
      expect(token.status).toBe(400);
      expect(token.body.error.details[0].message).toContain('token');
      const raw = await h.api('POST', `/v2/payments/${s.id}/confirm`, {
        paymentMethod: { type: 'CARD', card: { number: '4440000112200001', cvc: '737' } },
      });
      expect(raw.status).toBe(400);
      expect(JSON.stringify(raw.body)).not.toContain('4440000112200001');
      const atCreate = await h.api(
        'POST',
        '/v2/payments',
        cardSessionBody({ paymentMethod: { type: 'CARD', card: { encryptedCard: 'QUJD' } } }),
        { 'x-request-id': requestId() },
      );
      expect(atCreate.status).toBe(400);
    });
  });

  it('external 3-D Secure is refused until Kasir builds it; manual capture is taken, MANUAL read as manual', async () => {
    const res = await h.api('POST', '/v2/payments', cardSessionBody({}, { threeDsMethod: 'EXTERNAL' }), {
      'x-request-id': requestId(),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].message).toContain('not supported by Kasir yet');
    // test/api/payments/capture.test.ts follows a manual-capture card through its captures.
    for (const captureMethod of ['manual', 'MANUAL']) {
      const s = await createApi({ captureMethod });
      const paid = await confirmWith(s, card('4440000112200001'));
      expect(paid.body.data.chargeDetails[0].status, captureMethod).toBe('WAITING_FOR_CAPTURE');
    }
  });

  it('limits: below IDR 10,000 is refused for cards', async () => {
    const res = await h.api('POST', '/v2/payments', cardSessionBody({ amount: { value: 9_999, currency: 'IDR' } }), {
      'x-request-id': requestId(),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0]).toMatchObject({ field: 'amount.value' });
  });

  it('an open 3-D Secure challenge expires with the session', async () => {
    const s = await create({
      mode: 'API',
      autoConfirm: false,
      expiryAt: new Date(h.clock.now().getTime() + 120_000).toISOString(),
    });
    await confirmWith(s, card('4440000112290002'));
    h.clock.advance(3 * 60_000);
    const got = (await h.api('GET', `/v2/payments/${s.id}`)).body.data;
    expect(got.status).toBe('EXPIRED');
    expect(got.chargeDetails[0].status).toBe('EXPIRED');
  });
});

describe('card payments in production mode', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness('sqlite', { env: 'production', publicUrl: 'https://kasir.example' });
  });
  afterAll(async () => h.close());

  it('test cards have no magic: the charge waits for the processor, and there is no ACS page', async () => {
    const res = await h.api(
      'POST',
      '/v2/payments',
      cardSessionBody({ mode: 'API', autoConfirm: false, redirectUrl: { successReturnUrl: 'https://merchant.com/ok' } }),
      { 'x-request-id': requestId() },
    );
    const s = res.body.data;
    const paid = await h.api('POST', `/v2/payments/${s.id}/confirm`, {
      paymentMethod: { type: 'CARD', card: { encryptedCard: encryptCard(s.encryptionKey, card('4440000112290002')) } },
    });
    expect(paid.body.data).toMatchObject({ status: 'PROCESSING', chargeDetails: [{ status: 'PROCESSING' }] });
    expect(paid.body.data).not.toHaveProperty('paymentUrl');
    expect(paid.body.data.chargeDetails[0].card.binInformations.issuingBank).toBeNull();
    expect((await h.app.inject({ method: 'GET', url: '/detail/acs?token=x' })).statusCode).toBe(404);
  });
});
