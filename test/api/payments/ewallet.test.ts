// E-wallet sessions through the merchant API (pivot-api §5.2, §6.2, §11): create and confirm with DANA,
// ShopeePay and OVO, the charge's ewallet object, the per-channel limits and expiries, simulations, the
// charge list and the callback bodies. The configs entry is in test/api/payment-method-configs.test.ts,
// the shopper's side (wallet and phone pages) in test/page/sandbox-wallet.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, makeHarness, requestId, type Harness } from '../../helpers/harness.ts';
import { ewalletBody } from '../../helpers/bodies.ts';

const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

describe.each(DB_KINDS)('e-wallet sessions on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness(kind);
  });
  afterAll(async () => h.close());

  const create = (body: unknown) => h.api('POST', '/v2/payments', body, { 'x-request-id': requestId() });
  const created = async (body: unknown) => {
    const res = await create(body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.data;
  };
  const read = async (id: string) => (await h.api('GET', `/v2/payments/${id}`)).body.data;
  /** The session's callbacks, PAYMENT.PROCESSING first: two written in the same millisecond have no order of their own. */
  const events = async (id: string): Promise<Array<{ event: string; payload: any }>> =>
    (await h.api('GET', `/v2/callbacks?paymentSessionId=${id}&perPage=100`)).body.data.sort(
      (a: { event: string }, b: { event: string }) =>
        Number(b.event === 'PAYMENT.PROCESSING') - Number(a.event === 'PAYMENT.PROCESSING'),
    );

  it('creates a DANA session: REQUIRE_ACTION, the charge waits for the shopper with its ewallet object', async () => {
    const s = await created(ewalletBody('DANA'));
    expect(s.status).toBe('REQUIRE_ACTION');
    expect(s.paymentMethod).toEqual({ type: 'EWALLET', ewallet: { channel: 'DANA', accountIdentifier: null } });
    expect(s.chargeDetails).toHaveLength(1);
    expect(s.chargeDetails[0]).toMatchObject({
      status: 'WAITING_FOR_USER_ACTION',
      amount: { value: 50_000, currency: 'IDR' },
      ewallet: { channel: 'DANA', accountInformations: null },
    });
    expect(s.chargeDetails[0]).not.toHaveProperty('virtualAccount');
    // Pivot's default 15 minutes, within DANA's 30.
    const life = Date.parse(s.expiryAt) - Date.parse(s.createdAt);
    expect(life).toBe(15 * 60_000);
    const sent = await events(s.id);
    expect(sent.map((c) => c.event)).toEqual(['PAYMENT.PROCESSING']);
    expect(sent[0]?.payload.data.chargeDetails[0].ewallet).toEqual({ channel: 'DANA', accountInformations: null });
  });

  it("creates an OVO session for the merchant's accountIdentifier: the charge carries it in E.164, the session as sent", async () => {
    const s = await created(
      ewalletBody('OVO', { paymentMethod: { type: 'EWALLET', ewallet: { accountIdentifier: '0811-111-1001' } } }),
    );
    expect(s.status).toBe('REQUIRE_ACTION');
    expect(s.paymentMethod.ewallet).toEqual({ channel: 'OVO', accountIdentifier: '0811-111-1001' });
    expect(s.chargeDetails[0].ewallet).toEqual({
      channel: 'OVO',
      accountInformations: { mobileNumber: '+628111111001', name: null },
    });
    expect(await read(s.id)).toEqual(s);
  });

  it('confirms a session created without a method as ShopeePay (options nested the way Pivot’s example does)', async () => {
    const s = await created(
      ewalletBody('SHOPEEPAY', { paymentMethod: undefined, paymentMethodOptions: undefined, autoConfirm: false }),
    );
    expect(s.status).toBe('REQUIRE_PAYMENT_METHOD');
    const res = await h.api('POST', `/v2/payments/${s.id}/confirm`, {
      paymentMethod: {
        type: 'EWALLET',
        paymentMethodOptions: { ewallet: { channel: 'SHOPEEPAY', expiryAt: minutesFromNow(10) } },
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toMatchObject({
      status: 'REQUIRE_ACTION',
      paymentMethod: { type: 'EWALLET', ewallet: { channel: 'SHOPEEPAY' } },
    });
    expect(res.body.data.chargeDetails[0]).toMatchObject({
      status: 'WAITING_FOR_USER_ACTION',
      ewallet: { channel: 'SHOPEEPAY' },
    });
    // The charge's own expiryAt shortens the session to it.
    expect(Date.parse(res.body.data.expiryAt)).toBeLessThanOrEqual(Date.now() + 10 * 60_000);
  });

  it('ShopeePay may live up to 5 days; DANA and OVO only 30 minutes', async () => {
    const inTwoDays = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const shopee = await created(ewalletBody('SHOPEEPAY', { expiryAt: inTwoDays }));
    expect(shopee.expiryAt).toBe(inTwoDays);
    for (const channel of ['DANA', 'OVO']) {
      const res = await create(ewalletBody(channel, { expiryAt: minutesFromNow(45) }));
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([
        { field: 'expiryAt', message: `expiryAt is beyond the maximum expiry for EWALLET ${channel} (30 MINUTES)` },
      ]);
    }
    const optionExpiry = await create(
      ewalletBody('DANA', { paymentMethodOptions: { ewallet: { channel: 'DANA', expiryAt: minutesFromNow(31) } } }),
    );
    expect(optionExpiry.status).toBe(400);
    expect(optionExpiry.body.error.details[0].field).toBe('paymentMethodOptions.ewallet.expiryAt');
  });

  it('refuses amounts outside the channel’s limits with 400 (DANA up to 10,000,000; ShopeePay and OVO 9,999,999)', async () => {
    expect((await create(ewalletBody('DANA', { amount: { value: 10_000_000, currency: 'IDR' } }))).status).toBe(200);
    for (const [channel, value, max] of [
      ['DANA', 10_000_001, 10_000_000],
      ['SHOPEEPAY', 10_000_000, 9_999_999],
      ['OVO', 10_000_000, 9_999_999],
      ['OVO', 9_999, 9_999_999],
    ] as const) {
      const res = await create(ewalletBody(channel, { amount: { value, currency: 'IDR' } }));
      expect(res.status, `${channel} ${value}`).toBe(400);
      expect(res.body.code).toBe('api_validation_error');
      expect(res.body.error.details).toEqual([
        { field: 'amount.value', message: `amount for EWALLET ${channel} must be between 10000 and ${max}` },
      ]);
    }
  });

  it('refuses a missing or unknown channel, a bad accountIdentifier and a MULTIPLE e-wallet session with 400', async () => {
    const missing = await create(ewalletBody('DANA', { paymentMethodOptions: { ewallet: {} } }));
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual([
      { field: 'paymentMethodOptions.ewallet.channel', message: 'channel is required for EWALLET' },
    ]);
    const unknown = await create(ewalletBody('GOPAY'));
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details[0].field).toContain('paymentMethodOptions.ewallet.channel');
    const badNumber = await create(
      ewalletBody('OVO', { paymentMethod: { type: 'EWALLET', ewallet: { accountIdentifier: '12345' } } }),
    );
    expect(badNumber.status).toBe(400);
    expect(badNumber.body.error.details).toEqual([
      {
        field: 'paymentMethod.ewallet.accountIdentifier',
        message: 'accountIdentifier must be an Indonesian mobile number, e.g. 08111111001 or +628111111001',
      },
    ]);
    const multiple = await create(ewalletBody('DANA', { paymentType: 'MULTIPLE', mode: 'API' }));
    expect(multiple.status).toBe(400);
    expect(multiple.body.error.details).toContainEqual({
      field: 'paymentType',
      message: "paymentType 'MULTIPLE' is not allowed for this payment method type",
    });
  });

  it('simulations settle an e-wallet charge: SUCCESS → PAID, FAILED → CANCELLED, EXPIRED → EXPIRED', async () => {
    const outcomes = [
      ['SUCCESS', 'PAID', 'SUCCESS', 'PAYMENT.PAID'],
      ['FAILED', 'CANCELLED', 'FAILED', 'PAYMENT.CANCELLED'],
      ['EXPIRED', 'EXPIRED', 'EXPIRED', 'PAYMENT.CANCELLED'],
    ] as const;
    for (const [chargeStatus, session, charge, event] of outcomes) {
      const s = await created(ewalletBody('OVO'));
      const res = await h.api('POST', '/v2/payments/simulations', { paymentSessionId: s.id, chargeStatus });
      expect(res.status).toBe(200);
      const after = await read(s.id);
      expect(after.status).toBe(session);
      expect(after.chargeDetails[0]).toMatchObject({ status: charge, ewallet: { channel: 'OVO' } });
      const sent = await events(s.id);
      expect(sent.map((c: { event: string }) => c.event)).toEqual(['PAYMENT.PROCESSING', event]);
      expect(sent[1]?.payload.data.chargeDetails[0].ewallet.channel).toBe('OVO');
    }
  });

  it('a failed e-wallet charge says why and what to do: failureCode, failureMessage and recommendation', async () => {
    const s = await created(ewalletBody('DANA'));
    expect((await h.api('POST', '/v2/payments/simulations', { paymentSessionId: s.id, chargeStatus: 'FAILED' })).status).toBe(
      200,
    );
    const failed = (await read(s.id)).chargeDetails[0];
    expect(failed).toMatchObject({
      status: 'FAILED',
      failureCode: 'DECLINED_BY_CHANNEL',
      failureMessage: 'The payment was declined by the channel',
      recommendation: 'Ask the customer to pay again or with another payment method.',
    });
    // The callback carries the same charge.
    const [, cancelled] = await events(s.id);
    expect(cancelled?.payload.data.chargeDetails[0]).toEqual(failed);
    // A charge that did not fail has no failure fields at all.
    const open = (await created(ewalletBody('OVO'))).chargeDetails[0];
    expect(open).not.toHaveProperty('recommendation');
    expect(open).not.toHaveProperty('failureCode');
  });

  it('GET /v2/charges carries the ewallet object', async () => {
    const s = await created(ewalletBody('DANA'));
    const res = await h.api('GET', `/v2/charges?clientReferenceId=${s.clientReferenceId}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual(s.chargeDetails);
    expect(res.body.data[0].ewallet).toEqual({ channel: 'DANA', accountInformations: null });
  });

  it("security: another merchant can neither read nor confirm a merchant's e-wallet session", async () => {
    const s = await created(
      ewalletBody('DANA', { paymentMethod: undefined, paymentMethodOptions: undefined, autoConfirm: false }),
    );
    const other = await h.otherMerchant();
    const auth = { authorization: `Bearer ${other.token}` };
    expect((await h.api('GET', `/v2/payments/${s.id}`, undefined, auth)).status).toBe(404);
    const confirm = await h.api(
      'POST',
      `/v2/payments/${s.id}/confirm`,
      { paymentMethod: { type: 'EWALLET' }, paymentMethodOptions: { ewallet: { channel: 'DANA' } } },
      auth,
    );
    expect(confirm.status).toBe(404);
    expect((await read(s.id)).status).toBe('REQUIRE_PAYMENT_METHOD');
  });
});
