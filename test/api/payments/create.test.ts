import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jwtVerify, decodeJwt } from 'jose';
import { parseQris } from '../../../src/domain/qris.ts';
import { DB_KINDS, makeHarness, requestId, uniqueReference, type Harness } from '../../helpers/harness.ts';
import { seedAutoConfirmBody, seedConfirmLaterBody } from '../../helpers/bodies.ts';
import { fixedVaNumber, someFixedVaNumber, vaRange } from '../../helpers/va-numbers.ts';
import { isInStaticRange, staticRange } from '../../../src/domain/va-number.ts';

describe.each(DB_KINDS)('POST /v2/payments on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness(kind);
  });
  afterAll(async () => h.close());

  const create = (body: unknown, headers: Record<string, string> = {}) =>
    h.api('POST', '/v2/payments', body, { 'x-request-id': requestId(), ...headers });

  describe('happy paths', () => {
    it('creates the seed autoConfirm session with a VA charge waiting for the customer', async () => {
      const body = seedAutoConfirmBody();
      const res = await create(body);
      expect(res.status).toBe(200);
      expect(res.body.code).toBe('00');
      const s = res.body.data;
      expect(s).toMatchObject({
        clientReferenceId: body.clientReferenceId,
        amount: { value: 10000, currency: 'IDR' },
        autoConfirm: true,
        mode: 'REDIRECT',
        paymentType: 'SINGLE',
        bypassStatusPage: false,
        status: 'REQUIRE_ACTION',
        statementDescriptor: 'Reforza Pivot',
        metadata: { invoiceNo: 'INV001' },
        cancelledAt: null,
        cancellationReason: null,
      });
      expect(s.chargeDetails).toHaveLength(1);
      const charge = s.chargeDetails[0];
      expect(charge.status).toBe('WAITING_FOR_USER_ACTION');
      expect(charge.virtualAccount.channel).toBe('PERMATA');
      expect(charge.virtualAccount.virtualAccountNumber).toMatch(/^\d{16}$/);
      expect(charge.virtualAccount.virtualAccountName).toBe('Reforza Pivot');
      expect(charge.virtualAccount.expiryAt).toBe(s.expiryAt);
      expect(s.paymentMethod.virtualAccount.virtualAccountNumber).toBe(charge.virtualAccount.virtualAccountNumber);
    });

    it('emits surname for a sureName input, in customer, billing and shipping info', async () => {
      const res = await create(seedAutoConfirmBody());
      const s = res.body.data;
      expect(s.customer.surname).toBe('Geotama');
      expect(s.customer).not.toHaveProperty('sureName');
      expect(s.orderInformation.billingInfo.surname).toBe('Geotama');
      expect(s.orderInformation.shippingInfo.surname).toBe('Geotama');
      expect(s.orderInformation.shippingInfo).not.toHaveProperty('sureName');
    });

    it('derives a stable customerId from the email and accepts the saveForFuture spelling', async () => {
      const a = (await create(seedAutoConfirmBody({ saveForFuture: true }))).body.data;
      const b = (await create(seedAutoConfirmBody())).body.data;
      expect(a.customerId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(b.customerId).toBe(a.customerId);
      expect(a.saveForFutureUse).toBe(true);
      const given = (await create(seedAutoConfirmBody({ customerId: 'cus-123' }))).body.data;
      expect(given.customerId).toBe('cus-123');
    });

    it('prefers surname when both spellings are sent', async () => {
      const body = seedAutoConfirmBody();
      const res = await create({ ...body, customer: { ...body.customer, surname: 'Baru' } });
      expect(res.body.data.customer.surname).toBe('Baru');
    });

    it('returns a paymentUrl whose token names the session and expires with it', async () => {
      const res = await create(seedAutoConfirmBody());
      const s = res.body.data;
      const url = new URL(s.paymentUrl);
      expect(url.origin + url.pathname).toBe('http://kasir.test/detail');
      const claims = decodeJwt(url.searchParams.get('token')!);
      expect(claims.uuid).toBe(s.id);
      expect(typeof claims.iss).toBe('string');
      expect(claims.exp).toBe(Math.floor(new Date(s.expiryAt).getTime() / 1000));
      expect(await h.tokens.verifyPageToken(url.searchParams.get('token')!, new Date())).toBe(s.id);
    });

    it('applies Pivot defaults: SINGLE, REDIRECT, autoConfirm true, bypassStatusPage false, 15 minutes', async () => {
      const before = Date.now();
      const res = await create({
        clientReferenceId: uniqueReference(),
        amount: { value: 25000, currency: 'IDR' },
        paymentMethod: { type: 'VIRTUAL_ACCOUNT' },
        paymentMethodOptions: { virtualAccount: { channel: 'BCA' } },
        redirectUrl: { successReturnUrl: 'https://shop.example/ok' },
      });
      expect(res.status).toBe(200);
      const s = res.body.data;
      expect(s).toMatchObject({
        paymentType: 'SINGLE',
        mode: 'REDIRECT',
        autoConfirm: true,
        bypassStatusPage: false,
        status: 'REQUIRE_ACTION',
      });
      const minutes = (new Date(s.expiryAt).getTime() - before) / 60000;
      expect(minutes).toBeGreaterThan(14.9);
      expect(minutes).toBeLessThan(15.1);
      expect(s.statementDescriptor).toBe('Toko Test');
    });

    it('starts the confirm-later seed session in REQUIRE_PAYMENT_METHOD with no charge', async () => {
      const res = await create(seedConfirmLaterBody());
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({
        status: 'REQUIRE_PAYMENT_METHOD',
        paymentMethod: null,
        chargeDetails: null,
        autoConfirm: false,
      });
      expect(res.body.data.paymentUrl).toMatch(/\/detail\?token=/);
    });

    it('keeps a chosen method for later confirmation when autoConfirm is false', async () => {
      const body = seedAutoConfirmBody({ autoConfirm: false });
      const res = await create(body);
      expect(res.body.data.status).toBe('REQUIRE_CONFIRMATION');
      expect(res.body.data.paymentMethod.type).toBe('VIRTUAL_ACCOUNT');
      expect(res.body.data.chargeDetails).toBeNull();
    });

    it('uses the requested VA number when it is free and refuses it while another open session holds it', async () => {
      const n = 1 + Math.floor(Math.random() * 99_998);
      const number = await fixedVaNumber(h.store.db, h.merchant.id, 'BNI', n);
      const options = { virtualAccount: { channel: 'BNI', virtualAccountNumber: number } };
      const first = await create(seedAutoConfirmBody({ paymentMethodOptions: options }));
      expect(first.status).toBe(200);
      expect(first.body.data.chargeDetails[0].virtualAccount.virtualAccountNumber).toBe(number);
      const second = await create(seedAutoConfirmBody({ paymentMethodOptions: options }));
      expect(second.status).toBe(400);
      expect(second.body.error.details).toEqual([
        { field: 'paymentMethodOptions.virtualAccount.virtualAccountNumber', message: 'requested VA number already assigned' },
      ]);
      // The same place in the merchant's BRI range is another account.
      const atBri = await fixedVaNumber(h.store.db, h.merchant.id, 'BRI', n);
      const otherBank = await create(
        seedAutoConfirmBody({ paymentMethodOptions: { virtualAccount: { channel: 'BRI', virtualAccountNumber: atBri } } }),
      );
      expect(otherBank.status).toBe(200);
      // Once the holder is paid the number is free again.
      await h.api('POST', '/v2/payments/simulations', { paymentSessionId: first.body.data.id, chargeStatus: 'SUCCESS' });
      const third = await create(seedAutoConfirmBody({ paymentMethodOptions: options }));
      expect(third.status).toBe(200);
    });

    it('frees a requested VA number whose holder has expired but is not swept yet, on create and on confirm', async () => {
      const number = await someFixedVaNumber(h.store.db, h.merchant.id, 'CIMB');
      const options = { virtualAccount: { channel: 'CIMB', virtualAccountNumber: number } };
      const soon = new Date(Date.now() + 60_000).toISOString();
      const first = await create(seedAutoConfirmBody({ paymentMethodOptions: options, expiryAt: soon }));
      expect(first.status).toBe(200);
      h.clock.advance(61_000);
      const fresh = { authorization: `Bearer ${await h.tokens.issueAccessToken(h.merchant.id, h.clock.now())}` };
      const second = await create(seedAutoConfirmBody({ paymentMethodOptions: options }), fresh);
      expect(second.status).toBe(200);
      expect(second.body.data.chargeDetails[0].virtualAccount.virtualAccountNumber).toBe(number);
      expect((await h.api('GET', `/v2/payments/${first.body.data.id}`, undefined, fresh)).body.data.status).toBe('EXPIRED');

      const later = await create(
        seedConfirmLaterBody({ expiryAt: new Date(h.clock.now().getTime() + 3600_000).toISOString() }),
        fresh,
      );
      const taken = await h.api(
        'POST',
        `/v2/payments/${later.body.data.id}/confirm`,
        { paymentMethod: { type: 'VIRTUAL_ACCOUNT' }, paymentMethodOptions: options },
        fresh,
      );
      expect(taken.status).toBe(400);
      h.clock.advance(-61_000);
    });

    it('gives every open session a different generated VA number, drawing again when the digits collide', async () => {
      // Random digits that collide on purpose: every value is dealt twice, so each VA after the first
      // draws an open session's number once and must draw again (create and confirm alike).
      let draws = 0;
      const real = h.ctx.randomDigits;
      h.ctx.randomDigits = (count) => String(Math.floor(draws++ / 2)).padStart(count, '0');
      const mandiri = { virtualAccount: { channel: 'MANDIRI' } };
      const numberOf = (res: { status: number; body: any }) => {
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        return res.body.data.chargeDetails[0].virtualAccount.virtualAccountNumber as string;
      };
      const numbers: string[] = [];
      try {
        for (let i = 0; i < 4; i++) numbers.push(numberOf(await create(seedAutoConfirmBody({ paymentMethodOptions: mandiri }))));
        for (let i = 0; i < 2; i++) {
          const later = await create(seedConfirmLaterBody());
          numbers.push(
            numberOf(
              await h.api('POST', `/v2/payments/${later.body.data.id}/confirm`, {
                paymentMethod: { type: 'VIRTUAL_ACCOUNT' },
                paymentMethodOptions: mandiri,
              }),
            ),
          );
        }
      } finally {
        h.ctx.randomDigits = real;
      }
      // The merchant's MANDIRI prefix, the generated part's first digit, then the digits dealt: 0, 1, 2, …
      // in order, each after one collision.
      const { prefix } = await vaRange(h.store.db, h.merchant.id, 'MANDIRI');
      expect(numbers).toEqual([0, 1, 2, 3, 4, 5].map((n) => `${prefix}1${String(n).padStart(5, '0')}`));
      expect(draws).toBe(2 * numbers.length - 1);
    });

    it.each(['BCA', 'BRI', 'MANDIRI', 'BNI', 'BSI', 'CIMB', 'PERMATA', 'BNC', 'DANAMON'])(
      'issues a %s virtual account',
      async (channel) => {
        const res = await create(seedAutoConfirmBody({ paymentMethodOptions: { virtualAccount: { channel } } }));
        expect(res.status).toBe(200);
        expect(res.body.data.chargeDetails[0].virtualAccount.channel).toBe(channel);
      },
    );

    it('issues a valid dynamic QRIS payload with the amount and a correct CRC', async () => {
      const res = await create(
        seedAutoConfirmBody({
          amount: { value: 150000, currency: 'IDR' },
          paymentMethod: { type: 'QR' },
          paymentMethodOptions: { qr: {} },
          expiryAt: undefined,
        }),
      );
      expect(res.status).toBe(200);
      const qr = res.body.data.chargeDetails[0].qr;
      expect(qr.qrType).toBe('DYNAMIC');
      const parsed = parseQris(qr.qrContent);
      expect(parsed.crcValid).toBe(true);
      expect(parsed.fields['00']).toBe('01');
      expect(parsed.fields['01']).toBe('12');
      expect(parsed.fields['53']).toBe('360');
      expect(parsed.fields['54']).toBe('150000');
      expect(parsed.fields['58']).toBe('ID');
      expect(parsed.templates['51']?.['00']).toBe('ID.CO.QRIS.WWW');
    });

    it('caps a QR charge at 60 minutes and shortens the session with it', async () => {
      const res = await create(seedConfirmLaterBody({ expiryAt: new Date(Date.now() + 5 * 3600_000).toISOString() }));
      expect(res.status).toBe(200);
      const confirmed = await h.api('POST', `/v2/payments/${res.body.data.id}/confirm`, { paymentMethod: { type: 'QR' } });
      expect(confirmed.status).toBe(200);
      const minutes = (new Date(confirmed.body.data.expiryAt).getTime() - Date.now()) / 60000;
      expect(minutes).toBeLessThanOrEqual(60);
      expect(minutes).toBeGreaterThan(59);
      expect(confirmed.body.data.chargeDetails[0].qr.expiryAt).toBe(confirmed.body.data.expiryAt);
    });

    it('creates a MULTIPLE static QR in API mode with no amount, ACTIVE and never expiring', async () => {
      const res = await create({
        clientReferenceId: uniqueReference(),
        paymentType: 'MULTIPLE',
        mode: 'API',
        paymentMethod: { type: 'QR' },
        redirectUrl: {},
      });
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ status: 'ACTIVE', expiryAt: null, amount: { value: 0 } });
      expect(res.body.data).not.toHaveProperty('paymentUrl');
      const parsed = parseQris(res.body.data.chargeDetails[0].qr.qrContent);
      expect(parsed.fields['01']).toBe('11');
      expect(parsed.fields['54']).toBeUndefined();
      expect(parsed.crcValid).toBe(true);
    });
  });

  describe('error paths', () => {
    const details = async (body: unknown) => {
      const res = await create(body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('api_validation_error');
      expect(res.body.error).toMatchObject({ type: 'API_ERROR', source: 'UPSTREAM' });
      expect(res.body.error.traceId).toMatch(/^[0-9a-f]{32}$/);
      return res.body.error.details.map((d: { field: string }) => d.field);
    };

    it.each([
      ['a float', 100.5],
      ['zero', 0],
      ['a negative number', -10000],
      ['a string', '10000'],
    ])('refuses an amount that is %s', async (_, value) => {
      expect(await details(seedAutoConfirmBody({ amount: { value, currency: 'IDR' } }))).toContain('amount.value');
    });

    it('refuses an unknown currency and an unknown channel, one detail each', async () => {
      const fields = await details(
        seedAutoConfirmBody({
          amount: { value: 10000, currency: 'XYZ' },
          paymentMethodOptions: { virtualAccount: { channel: 'NOPE' } },
        }),
      );
      expect(fields).toEqual(expect.arrayContaining(['amount.currency', 'paymentMethodOptions.virtualAccount.channel']));
    });

    it('refuses expiryAt in the past and beyond the VA maximum of 30 days', async () => {
      expect(
        await details(
          seedAutoConfirmBody({
            expiryAt: '2025-12-30T23:59:00Z',
            paymentMethodOptions: { virtualAccount: { channel: 'PERMATA' } },
          }),
        ),
      ).toEqual(['expiryAt']);
      const far = new Date(Date.now() + 31 * 86400_000).toISOString();
      expect(
        await details(seedAutoConfirmBody({ expiryAt: far, paymentMethodOptions: { virtualAccount: { channel: 'PERMATA' } } })),
      ).toEqual(['expiryAt']);
    });

    it('refuses an expiryAt that is not an ISO-8601 timestamp, by its format', async () => {
      const res = await create(seedAutoConfirmBody({ expiryAt: 'tomorrow at noon' }));
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([{ field: 'expiryAt', message: expect.stringMatching(/date-time/) }]);
    });

    it('refuses a QR session longer than 60 minutes', async () => {
      const far = new Date(Date.now() + 2 * 3600_000).toISOString();
      expect(
        await details(seedAutoConfirmBody({ paymentMethod: { type: 'QR' }, paymentMethodOptions: {}, expiryAt: far })),
      ).toEqual(['expiryAt']);
    });

    it('refuses return URLs that are not absolute http(s)', async () => {
      const fields = await details(
        seedAutoConfirmBody({
          redirectUrl: {
            successReturnUrl: '/relative',
            failureReturnUrl: 'javascript:alert(1)',
            expirationReturnUrl: 'ftp://x.test/',
          },
        }),
      );
      expect(fields.sort()).toEqual([
        'redirectUrl.expirationReturnUrl',
        'redirectUrl.failureReturnUrl',
        'redirectUrl.successReturnUrl',
      ]);
    });

    it('refuses over-long strings, a malformed email and a malformed phone', async () => {
      const body = seedAutoConfirmBody({ statementDescriptor: 'x'.repeat(21) });
      (body.customer as any) = { ...body.customer, email: 'not-an-email', phoneNumber: { countryCode: '+62', number: '08-12' } };
      const fields = await details(body);
      expect(fields).toEqual(expect.arrayContaining(['statementDescriptor', 'customer.email', 'customer.phoneNumber.number']));
    });

    it('lists every missing required field', async () => {
      const fields = await details({});
      expect(fields).toEqual(expect.arrayContaining(['clientReferenceId', 'redirectUrl']));
    });

    it('refuses MULTIPLE outside API mode, and MULTIPLE QR with an amount (pivot-api §10.4)', async () => {
      const res = await create(seedAutoConfirmBody({ paymentType: 'MULTIPLE' }));
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].message).toBe("paymentType 'MULTIPLE' is only allowed when mode is set to 'API'");
      const qr = await create({
        ...seedAutoConfirmBody({ paymentType: 'MULTIPLE', mode: 'API', paymentMethod: { type: 'QR' }, paymentMethodOptions: {} }),
        expiryAt: undefined,
      });
      expect(qr.status).toBe(400);
      expect(qr.body.error.details.map((d: any) => d.message)).toContain(
        'QRIS with paymentType = MULTIPLE must not include an amount',
      );
    });

    it('refuses a method type Pivot does not document, with a clear 400', async () => {
      const res = await create(seedAutoConfirmBody({ paymentMethod: { type: 'PAYLATER' }, paymentMethodOptions: {} }));
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([
        { field: 'paymentMethod.type', message: expect.stringContaining('VIRTUAL_ACCOUNT') },
      ]);
    });

    it('refuses an amount below the VA minimum', async () => {
      expect(await details(seedAutoConfirmBody({ amount: { value: 5000, currency: 'IDR' } }))).toEqual(['amount.value']);
    });

    it('answers malformed JSON and a wrong content type with a 4xx envelope', async () => {
      const bad = await h.app.inject({
        method: 'POST',
        url: '/v2/payments',
        headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/json', 'x-request-id': requestId() },
        payload: '{"clientReferenceId": ',
      });
      expect(bad.statusCode).toBe(400);
      expect(JSON.parse(bad.body).code).toBe('api_validation_error');
      const text = await h.app.inject({
        method: 'POST',
        url: '/v2/payments',
        headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/xml', 'x-request-id': requestId() },
        payload: '<payment/>',
      });
      expect(text.statusCode).toBe(415);
      expect(JSON.parse(text.body).error.type).toBe('API_ERROR');
    });

    it('answers 409 duplicate_error for a clientReferenceId an open session holds', async () => {
      const body = seedAutoConfirmBody();
      expect((await create(body)).status).toBe(200);
      const again = await create({ ...body });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('duplicate_error');
    });
  });

  describe('security paths', () => {
    it('refuses a request without a bearer token', async () => {
      const res = await create(seedAutoConfirmBody(), { authorization: '' });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('credentials_invalid');
    });

    it('refuses a tampered, an expired and a page token', async () => {
      const [head, payload, sig] = h.token.split('.');
      const tampered = `${head}.${payload}.${sig!.slice(0, -2)}xx`;
      expect((await create(seedAutoConfirmBody(), { authorization: `Bearer ${tampered}` })).status).toBe(401);
      const expired = await h.tokens.issueAccessToken(h.merchant.id, new Date(Date.now() - 901_000));
      expect((await create(seedAutoConfirmBody(), { authorization: `Bearer ${expired}` })).status).toBe(401);
      const page = await h.tokens.issuePageToken(
        '00000000-0000-0000-0000-000000000000',
        new Date(Date.now() + 60_000),
        new Date(),
      );
      expect((await create(seedAutoConfirmBody(), { authorization: `Bearer ${page}` })).status).toBe(401);
    });

    it('signs the page token so that a forged one does not verify', async () => {
      const res = await create(seedAutoConfirmBody());
      const token = new URL(res.body.data.paymentUrl).searchParams.get('token')!;
      await expect(jwtVerify(token, new TextEncoder().encode('some other key'))).rejects.toThrow();
    });

    it('refuses plain-http return URLs in production', async () => {
      const prod = await makeHarness(kind, { env: 'production' });
      try {
        const res = await prod.api(
          'POST',
          '/v2/payments',
          seedAutoConfirmBody({ redirectUrl: { successReturnUrl: 'http://merchant.com/ok' } }),
          {
            'x-request-id': requestId(),
          },
        );
        expect(res.status).toBe(400);
        expect(res.body.error.details).toEqual([
          { field: 'redirectUrl.successReturnUrl', message: 'redirectUrl.successReturnUrl must use https in production' },
        ]);
      } finally {
        await prod.close();
      }
    });
  });
  describe('VA numbers per merchant', () => {
    const OUTSIDE = 'requested VA number not within assigned static VA range';
    const va = (channel: string, virtualAccountNumber?: string) =>
      seedAutoConfirmBody({
        paymentMethodOptions: { virtualAccount: { channel, ...(virtualAccountNumber && { virtualAccountNumber }) } },
      });
    const as = (token: string) => ({ authorization: `Bearer ${token}` });
    const vaNumberOf = (res: { status: number; body: any }) => {
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.data.chargeDetails[0].virtualAccount.virtualAccountNumber as string;
    };

    it('two merchants get disjoint ranges, and each gets generated numbers from its own', async () => {
      const b = await h.otherMerchant();
      for (const channel of ['BCA', 'PERMATA', 'BNI']) {
        const mine = await vaRange(h.store.db, h.merchant.id, channel);
        const theirs = await vaRange(h.store.db, b.merchant.id, channel);
        expect(mine.prefix).not.toBe(theirs.prefix);
        expect(mine.prefix.length).toBe(theirs.prefix.length);
        for (let i = 0; i < 3; i++) {
          const a = vaNumberOf(await create(va(channel)));
          const other = vaNumberOf(await create(va(channel), as(b.token)));
          expect(a.startsWith(mine.prefix) && a.length === 16 && !isInStaticRange(mine, a), a).toBe(true);
          expect(other.startsWith(theirs.prefix) && other.length === 16 && !isInStaticRange(theirs, other), other).toBe(true);
        }
      }
    });

    it("refuses a number in another merchant's range with the same answer whether or not that merchant holds it", async () => {
      const b = await h.otherMerchant();
      const held = await fixedVaNumber(h.store.db, b.merchant.id, 'BRI', 17);
      const free = await fixedVaNumber(h.store.db, b.merchant.id, 'BRI', 18);
      expect(vaNumberOf(await create(va('BRI', held), as(b.token)))).toBe(held);
      const answers = [];
      for (const number of [held, free]) {
        const res = await create(va('BRI', number));
        expect(res.status).toBe(400);
        answers.push({ ...res.body, error: { ...res.body.error, traceId: undefined } });
      }
      expect(answers[0]).toEqual(answers[1]);
      expect(answers[0]!.error.details).toEqual([
        { field: 'paymentMethodOptions.virtualAccount.virtualAccountNumber', message: OUTSIDE },
      ]);
      // Its own generated part, a number of no range (the integration guide's), and the same at confirm.
      const { prefix } = await vaRange(h.store.db, h.merchant.id, 'BRI');
      for (const number of [`${prefix}100000`, '99996662']) {
        expect((await create(va('BRI', number))).body.error.details[0].message).toBe(OUTSIDE);
      }
      const later = await create(seedConfirmLaterBody());
      const confirm = await h.api('POST', `/v2/payments/${later.body.data.id}/confirm`, {
        paymentMethod: { type: 'VIRTUAL_ACCOUNT' },
        paymentMethodOptions: { virtualAccount: { channel: 'BRI', virtualAccountNumber: free } },
      });
      expect(confirm.status).toBe(400);
      expect(confirm.body.error.details[0].message).toBe(OUTSIDE);
    });

    it('a merchant reuses its fixed number however many numbers another merchant holds or asks for', async () => {
      const b = await h.otherMerchant();
      const fixed = await fixedVaNumber(h.store.db, b.merchant.id, 'PERMATA', 5);
      const pay = (id: string, token: string) =>
        h.api('POST', '/v2/payments/simulations', { paymentSessionId: id, chargeStatus: 'SUCCESS' }, as(token));
      for (let round = 0; round < 3; round++) {
        const res = await create(va('PERMATA', fixed), as(b.token));
        expect(vaNumberOf(res)).toBe(fixed);
        expect((await pay(res.body.data.id, b.token)).status).toBe(200);
        // Between B's payments A tries to take B's number, and holds numbers of its own, fixed and generated.
        expect((await create(va('PERMATA', fixed))).status).toBe(400);
        vaNumberOf(await create(va('PERMATA', await fixedVaNumber(h.store.db, h.merchant.id, 'PERMATA', 5 + round))));
        vaNumberOf(await create(va('PERMATA')));
      }
      const { first, last } = staticRange(await vaRange(h.store.db, b.merchant.id, 'PERMATA'));
      expect(fixed >= first && fixed <= last).toBe(true);
    });
  });
});
