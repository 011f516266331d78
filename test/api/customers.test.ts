// Saved payment methods on both databases (pivot-api §5.2 saveForFutureUse, §5.11): a paid card or e-wallet
// account is kept for its customer under a token, GET /v1/customers/{customerId} lists it, and confirm pays
// with a card's token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, makeHarness, requestId, type Harness } from '../helpers/harness.ts';
import { cardSessionBody, encryptCard, futureExpiry } from '../helpers/cards.ts';
import { ewalletBody } from '../helpers/bodies.ts';

const FRICTIONLESS = '4440000112200001';
const MASTERCARD = '5550000112230001';

describe.each(DB_KINDS)('saved cards and GET /v1/customers/{customerId} on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness(kind, { publicUrl: 'http://kasir.test' });
  });
  afterAll(async () => h.close());

  let emails = 0;
  const newEmail = () => `shopper${Date.now()}${emails++}@example.com`;
  const create = async (email: string, overrides: Record<string, unknown> = {}, card: Record<string, unknown> = {}) => {
    const res = await h.api(
      'POST',
      '/v2/payments',
      cardSessionBody({ mode: 'API', autoConfirm: false, customer: { givenName: 'Budi', email }, ...overrides }, card),
      { 'x-request-id': requestId() },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.data;
  };
  const confirm = (s: any, card: Record<string, unknown>) =>
    h.api('POST', `/v2/payments/${s.id}/confirm`, { paymentMethod: { type: 'CARD', card } });
  const payWith = async (s: any, number: string) =>
    confirm(s, { encryptedCard: encryptCard(s.encryptionKey, { number, ...futureExpiry(), cvc: '737' }) });
  const customer = (id: string, headers: Record<string, string> = {}) => h.api('GET', `/v1/customers/${id}`, undefined, headers);

  it('saveForFutureUse keeps the paid card for the customer: a token, last4 and brand, never the number', async () => {
    const email = newEmail();
    const s = await create(email, { saveForFutureUse: true });
    expect(s.customerId).toEqual(expect.any(String));
    expect((await payWith(s, FRICTIONLESS)).body.data.status).toBe('PAID');

    const res = await customer(s.customerId);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.id).toBe(s.customerId);
    expect(res.body.data.storedPaymentMethods).toEqual([
      {
        token: expect.stringMatching(/^pm_[A-Za-z0-9_-]{32}$/),
        paymentMethod: 'CARD',
        paymentChannel: 'VISA',
        status: 'ACTIVE',
        createdAt: expect.any(String),
        card: expect.objectContaining({ first6: '444000', last4: '0001', brand: 'VISA', expMonth: '12' }),
      },
    ]);
    expect(JSON.stringify(res.body)).not.toContain(FRICTIONLESS);

    // The same card saved again keeps its token; another card gets its own.
    const again = await create(email, { saveForFutureUse: true });
    await payWith(again, FRICTIONLESS);
    const other = await create(email, { saveForFutureUse: true });
    await payWith(other, MASTERCARD);
    const listed = (await customer(s.customerId)).body.data.storedPaymentMethods;
    expect(listed.map((m: any) => m.paymentChannel)).toEqual(['VISA', 'MASTERCARD']);
    expect(listed[0].token).toBe(res.body.data.storedPaymentMethods[0].token);
  });

  it('keeps nothing without saveForFutureUse, or when the card fails: the customer is unknown (404)', async () => {
    const plain = await create(newEmail());
    await payWith(plain, FRICTIONLESS);
    expect((await customer(plain.customerId)).status).toBe(404);

    const failing = await create(newEmail(), { saveForFutureUse: true }, { threeDsMethod: 'NEVER' });
    expect((await payWith(failing, '4440000334470010')).body.data.status).toBe('CANCELLED');
    const res = await customer(failing.customerId);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('resource_missing');
  });

  it('a manual-capture card is saved once it is captured, not when it is only authorized', async () => {
    const s = await create(newEmail(), { saveForFutureUse: true }, { captureMethod: 'manual' });
    expect((await payWith(s, FRICTIONLESS)).body.data.status).toBe('PROCESSING');
    expect((await customer(s.customerId)).status).toBe(404);
    await h.api('POST', `/v2/payments/${s.id}/capture`, { releaseRemainingAmount: false });
    expect((await customer(s.customerId)).body.data.storedPaymentMethods).toHaveLength(1);
  });

  it('confirm pays with the token: the charge carries the saved card, and the session is PAID', async () => {
    const email = newEmail();
    const first = await create(email, { saveForFutureUse: true });
    const paid = (await payWith(first, FRICTIONLESS)).body.data;
    const { token } = (await customer(first.customerId)).body.data.storedPaymentMethods[0];

    const next = await create(email, { amount: { value: 75_000, currency: 'IDR' } });
    expect(next.customerId).toBe(first.customerId);
    const res = await confirm(next, { token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.status).toBe('PAID');
    expect(res.body.data.chargeDetails[0]).toMatchObject({
      status: 'SUCCESS',
      amount: { value: 75_000, currency: 'IDR' },
      card: { last4: '0001', fingerprint: paid.chargeDetails[0].card.fingerprint },
    });
  });

  it("refuses another customer's token, an unknown one, and token with encryptedCard; other merchants see no customer", async () => {
    const owner = await create(newEmail(), { saveForFutureUse: true });
    await payWith(owner, FRICTIONLESS);
    const { token } = (await customer(owner.customerId)).body.data.storedPaymentMethods[0];

    const stranger = await create(newEmail());
    const res = await confirm(stranger, { token });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('paymentMethod.card.token');
    expect((await confirm(stranger, { token: 'pm_'.padEnd(30, 'x') })).status).toBe(400);
    const both = await confirm(stranger, { token, encryptedCard: 'QUJD' });
    expect(both.status).toBe(400);
    expect((await h.api('GET', `/v2/payments/${stranger.id}`)).body.data.status).toBe('REQUIRE_CONFIRMATION');

    const other = await h.otherMerchant();
    expect((await customer(owner.customerId, { authorization: `Bearer ${other.token}` })).status).toBe(404);
    expect((await customer(owner.customerId, { authorization: '' })).status).toBe(401);
  });

  it('saveForFutureUse keeps a paid e-wallet account too, once per account, listed after the card before it', async () => {
    const email = newEmail();
    const card = await create(email, { saveForFutureUse: true });
    await payWith(card, FRICTIONLESS);
    const payByOvo = async (save: boolean) => {
      const res = await h.api(
        'POST',
        '/v2/payments',
        ewalletBody('OVO', {
          paymentMethod: { type: 'EWALLET', ewallet: { accountIdentifier: '08111111001' } },
          customer: { givenName: 'Budi', email },
          saveForFutureUse: save,
        }),
        { 'x-request-id': requestId() },
      );
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const paid = await h.api('POST', '/v2/payments/simulations', {
        paymentSessionId: res.body.data.id,
        chargeStatus: 'SUCCESS',
      });
      expect(paid.status).toBe(200);
      return res.body.data.customerId as string;
    };
    const customerId = await payByOvo(true);
    expect(customerId).toBe(card.customerId);
    await payByOvo(true);
    await payByOvo(false);

    const methods = (await customer(customerId)).body.data.storedPaymentMethods;
    expect(methods.map((m: any) => m.paymentMethod)).toEqual(['CARD', 'EWALLET']);
    expect(methods[1]).toEqual({
      token: expect.stringMatching(/^pm_[A-Za-z0-9_-]{32}$/),
      paymentMethod: 'EWALLET',
      paymentChannel: 'OVO',
      status: 'ACTIVE',
      createdAt: expect.any(String),
      ewallet: {
        channel: 'OVO',
        accountInformations: { mobileNumber: '+628111111001', name: null },
        fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
      },
    });
    // A saved e-wallet is not a card: its token does not pay a card session.
    const cardSession = await create(email);
    const res = await confirm(cardSession, { token: methods[1].token });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('paymentMethod.card.token');
  });
});
