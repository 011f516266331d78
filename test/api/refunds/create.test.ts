// POST /v1/refunds: what a merchant can refund, how much, which way it goes, and every refusal in Pivot's
// envelope — on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, makeHarness, requestId, type Harness } from '../../helpers/harness.ts';
import { seedAutoConfirmBody } from '../../helpers/bodies.ts';
import { DESTINATION, paidMultipleQr, paidQrSession, paidSession, postRefund, refundBody } from '../../helpers/refunds.ts';

describe.each(DB_KINDS)('POST /v1/refunds on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness(kind);
  });
  afterAll(async () => h.close());

  const refund = async (body: unknown) => {
    const res = await postRefund(h, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.data;
  };
  const refusal = async (body: unknown, status: number, code: string, headers: Record<string, string> = {}) => {
    const res = await postRefund(h, body, headers);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body).toMatchObject({ code, error: { type: 'API_ERROR', source: 'UPSTREAM', traceId: expect.any(String) } });
    return res.body;
  };

  it('refunds part of a paid VA session: PENDING, a bank transfer to the customer refundPreference account', async () => {
    const session = await paidSession(h);
    const body = refundBody({ paymentSessionId: session.id });
    const got = await refund(body);
    expect(got).toEqual({
      id: expect.any(String),
      clientReferenceId: body.clientReferenceId,
      paymentSessionId: session.id,
      chargeId: session.chargeDetails[0].id,
      isFullAmount: false,
      amount: { value: '3000', currency: 'IDR' },
      capturedAmount: { value: '10000', currency: 'IDR' },
      reason: 'REQUESTED_BY_CUSTOMER',
      description: 'Barang rusak',
      method: 'AUTO',
      transferDestination: null,
      status: 'PENDING',
      destinationType: null,
      metadata: { ticket: 'CS-1' },
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    // Nothing succeeded yet: the session shows no refund.
    const after = await h.api('GET', `/v2/payments/${session.id}`);
    expect(after.body.data.chargeDetails[0]).not.toHaveProperty('refundedAmount');
    expect(after.body.data).toEqual(session);
  });

  it('takes the amount as a string, "10000.00" or an integer, and answers with strings', async () => {
    const session = await paidSession(h);
    const asText = await refund(refundBody({ paymentSessionId: session.id }, { amount: { value: '1500.00', currency: 'IDR' } }));
    const asNumber = await refund(refundBody({ paymentSessionId: session.id }, { amount: { value: 2500, currency: 'IDR' } }));
    expect([asText.amount, asNumber.amount]).toEqual([
      { value: '1500', currency: 'IDR' },
      { value: '2500', currency: 'IDR' },
    ]);
  });

  it('isFullAmount refunds what remains after earlier refunds; then nothing is left (422)', async () => {
    const session = await paidSession(h);
    await refund(refundBody({ paymentSessionId: session.id }, { amount: { value: '3000', currency: 'IDR' } }));
    await refund(refundBody({ paymentSessionId: session.id }, { amount: { value: '2000', currency: 'IDR' } }));
    const rest = await refund(refundBody({ paymentSessionId: session.id }, { amount: undefined, isFullAmount: true }));
    expect(rest).toMatchObject({ isFullAmount: true, amount: { value: '5000', currency: 'IDR' } });
    const none = await refusal(
      refundBody({ paymentSessionId: session.id }, { amount: undefined, isFullAmount: true }),
      422,
      'refund_amount_exceeded',
    );
    expect(none.message).toMatch(/nothing left to refund/);
  });

  it('refuses more than remains with a 422 that says how much is left', async () => {
    const session = await paidSession(h);
    await refund(refundBody({ paymentSessionId: session.id }, { amount: { value: '7000', currency: 'IDR' } }));
    const body = await refusal(
      refundBody({ paymentSessionId: session.id }, { amount: { value: '3001', currency: 'IDR' } }),
      422,
      'refund_amount_exceeded',
    );
    expect(body.message).toContain('3000 IDR');
    expect(
      (await refund(refundBody({ paymentSessionId: session.id }, { amount: { value: '3000', currency: 'IDR' } }))).status,
    ).toBe('PENDING');
  });

  it('a QRIS payment goes back through the channel (AUTO); TRANSFER_ONLY sends it to the given account', async () => {
    const session = await paidQrSession(h);
    const auto = await refund(refundBody({ paymentSessionId: session.id }));
    expect(auto).toMatchObject({ method: 'AUTO', status: 'PENDING' });
    const transfer = await refund(
      refundBody({ paymentSessionId: session.id }, { method: 'TRANSFER_ONLY', transferDestination: DESTINATION }),
    );
    expect(transfer).toMatchObject({ method: 'TRANSFER_ONLY', transferDestination: DESTINATION });
  });

  it('refunds a charge of a MULTIPLE session by chargeId, even one older than the ten the session carries', async () => {
    const { session, chargeIds } = await paidMultipleQr(
      h,
      [5000, 6000, 7000, 8000, 9000, 10000, 11000, 12000, 13000, 14000, 15000],
    );
    expect(session.chargeDetails).toHaveLength(10);
    const oldest = chargeIds[0]!;
    expect(session.chargeDetails.map((c: any) => c.id)).not.toContain(oldest);
    const got = await refund(refundBody({ chargeId: oldest }, { amount: { value: '5000', currency: 'IDR' } }));
    expect(got).toMatchObject({ paymentSessionId: session.id, chargeId: oldest, capturedAmount: { value: '5000' } });
    await refusal(refundBody({ chargeId: oldest }, { amount: { value: '1', currency: 'IDR' } }), 422, 'refund_amount_exceeded');
    const named = await refund(
      refundBody({ paymentSessionId: session.id, chargeId: chargeIds[10] }, { amount: { value: '15000', currency: 'IDR' } }),
    );
    expect(named.chargeId).toBe(chargeIds[10]);
    const withoutCharge = await refusal(refundBody({ paymentSessionId: session.id }), 400, 'api_validation_error');
    expect(withoutCharge.error.details).toEqual([{ field: 'chargeId', message: expect.stringContaining('MULTIPLE') }]);
    const wrongSession = await paidSession(h);
    const mismatch = await refusal(
      refundBody({ paymentSessionId: wrongSession.id, chargeId: chargeIds[1] }),
      400,
      'api_validation_error',
    );
    expect(mismatch.error.details[0].field).toBe('chargeId');
  });

  it('400: a fractional, signed, zero or non-numeric amount, each naming amount.value', async () => {
    const session = await paidSession(h);
    for (const value of ['10.5', '1000.50', '-5', '0', 'abc', '', '1e3', 10.5, 0, -1, true, null]) {
      const body = await refusal(
        refundBody({ paymentSessionId: session.id }, { amount: { value, currency: 'IDR' } }),
        400,
        'api_validation_error',
      );
      expect(
        body.error.details.map((d: any) => d.field),
        JSON.stringify(value),
      ).toEqual(['amount.value']);
    }
  });

  it('400: what to refund, how much, why, and a destination where one is needed', async () => {
    const session = await paidSession(h);
    const fields = async (body: unknown) =>
      (await refusal(body, 400, 'api_validation_error')).error.details.map((d: any) => d.field);
    expect(await fields(refundBody({}))).toEqual(['paymentSessionId']);
    expect(await fields(refundBody({ paymentSessionId: session.id }, { amount: undefined }))).toEqual(['amount']);
    expect(await fields(refundBody({ paymentSessionId: session.id }, { reason: 'BORED' }))).toEqual(['reason']);
    expect(await fields(refundBody({ paymentSessionId: session.id }, { isFullAmount: true }))).toEqual(['amount']);
    expect(await fields(refundBody({ paymentSessionId: session.id }, { amount: { value: '100', currency: 'USD' } }))).toEqual([
      'amount.currency',
    ]);
    expect(await fields(refundBody({ paymentSessionId: session.id }, { method: 'TRANSFER_ONLY' }))).toEqual([
      'transferDestination',
    ]);
    // A VA payment can only be refunded by transfer: without any destination there is nowhere to send it.
    const { refundPreference: _dropped, ...customer } = seedAutoConfirmBody().customer;
    const noPreference = await paidSession(h, { customer });
    expect(await fields(refundBody({ paymentSessionId: noPreference.id }))).toEqual(['transferDestination']);
    expect(await fields({ ...refundBody({ paymentSessionId: session.id }), clientReferenceId: 'has space' })).toEqual([
      'clientReferenceId',
    ]);
    const missingHeader = await h.api('POST', '/v1/refunds', refundBody({ paymentSessionId: session.id }));
    expect(missingHeader.status).toBe(400);
    expect(missingHeader.body.error.details[0].field).toBe('X-REQUEST-ID');
  });

  it('400 for JSON nested too deep to hash (found by the fuzz: it was a 500)', async () => {
    const session = await paidSession(h);
    const text = JSON.stringify(refundBody({ paymentSessionId: session.id }, { metadata: 'DEEP' })).replace(
      '"DEEP"',
      `{"deep":${'['.repeat(4000)}${']'.repeat(4000)}}`,
    );
    const res = await postRefund(h, text, { 'content-type': 'application/json' });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.details).toEqual([{ field: 'body', message: expect.stringContaining('nested') }]);
  });

  it('422 for a session that is not paid, and 404 for one that does not exist or is another merchant’s', async () => {
    const created = await h.api('POST', '/v2/payments', seedAutoConfirmBody(), { 'x-request-id': requestId() });
    const open = await refusal(refundBody({ paymentSessionId: created.body.data.id }), 422, 'invalid_state');
    expect(open.message).toContain('REQUIRE_ACTION');
    await refusal(refundBody({ paymentSessionId: 'no-such-session' }), 404, 'resource_missing');
    await refusal(refundBody({ chargeId: 'no-such-charge' }), 404, 'resource_missing');
    const session = await paidSession(h);
    const other = await h.otherMerchant();
    const theirs = await postRefund(h, refundBody({ paymentSessionId: session.id }), { authorization: `Bearer ${other.token}` });
    expect(theirs.status).toBe(404);
    const theirCharge = await postRefund(h, refundBody({ chargeId: session.chargeDetails[0].id }), {
      authorization: `Bearer ${other.token}`,
    });
    expect(theirCharge.status).toBe(404);
  });

  it('401 without a valid token', async () => {
    const session = await paidSession(h);
    await refusal(refundBody({ paymentSessionId: session.id }), 401, 'credentials_invalid', { authorization: '' });
    await refusal(refundBody({ paymentSessionId: session.id }), 401, 'credentials_invalid', { authorization: 'Bearer nope' });
  });

  it('a clientReferenceId names one refund: reused for another refund it is a 409', async () => {
    const session = await paidSession(h);
    const first = refundBody({ paymentSessionId: session.id }, { amount: { value: '1000', currency: 'IDR' } });
    await refund(first);
    await refusal({ ...first, amount: { value: '2000', currency: 'IDR' } }, 409, 'duplicate_error');
    await refusal(first, 409, 'duplicate_error');
  });

  it('X-REQUEST-ID: the same key and body replay the first answer without a second refund; another body is a 409', async () => {
    const session = await paidSession(h);
    const key = requestId();
    const body = refundBody({ paymentSessionId: session.id }, { amount: { value: '4000', currency: 'IDR' } });
    const first = await postRefund(h, body, { 'x-request-id': key });
    const again = await postRefund(h, body, { 'x-request-id': key });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const list = await h.api('GET', `/v1/refunds?paymentSessionId=${session.id}`);
    expect(list.body.data).toHaveLength(1);
    await refusal({ ...body, description: 'changed' }, 409, 'idempotency_error', { 'x-request-id': key });
    // A key first used to create a payment cannot be replayed as a refund.
    const paymentKey = requestId();
    expect((await h.api('POST', '/v2/payments', seedAutoConfirmBody(), { 'x-request-id': paymentKey })).status).toBe(200);
    await refusal(refundBody({ paymentSessionId: session.id }), 409, 'idempotency_error', { 'x-request-id': paymentKey });
  });

  it('X-REQUEST-ID: a retried full refund gets its first answer, though nothing is left to refund now', async () => {
    const session = await paidSession(h);
    const key = requestId();
    const body = refundBody({ paymentSessionId: session.id }, { amount: undefined, isFullAmount: true });
    const first = await postRefund(h, body, { 'x-request-id': key });
    expect(first.status).toBe(200);
    // Without the key, the same body is refused: the first refund took everything.
    await refusal({ ...body, clientReferenceId: `${body.clientReferenceId}x` }, 422, 'refund_amount_exceeded');
    const again = await postRefund(h, body, { 'x-request-id': key });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
  });

  it('X-REQUEST-ID: twins sent at once make one refund, and both get its answer', async () => {
    const session = await paidSession(h);
    const key = requestId();
    const body = refundBody({ paymentSessionId: session.id }, { amount: { value: '3000', currency: 'IDR' } });
    const twins = await Promise.all(Array.from({ length: 8 }, () => postRefund(h, body, { 'x-request-id': key })));
    for (const twin of twins) {
      expect(twin.status, JSON.stringify(twin.body)).toBe(200);
      expect(twin.body).toEqual(twins[0]!.body);
    }
    const list = await h.api('GET', `/v1/refunds?paymentSessionId=${session.id}`);
    expect(list.body.data).toHaveLength(1);
  });

  it('what the merchant sent comes back unchanged: metadata, transferDestination, description', async () => {
    const session = await paidSession(h);
    const metadata = {
      nested: { list: [1, 'two', null], date: '2025-01-01T00:00:00Z', big: 12345678901234 },
      'key with space': true,
    };
    const transferDestination = { ...DESTINATION, description: 'Refund 🎁 <b>x</b>' };
    const got = await refund(
      refundBody({ paymentSessionId: session.id }, { metadata, transferDestination, method: 'TRANSFER_ONLY' }),
    );
    expect(got.metadata).toEqual(metadata);
    expect(got.transferDestination).toEqual(transferDestination);
    expect((await h.api('GET', `/v1/refunds/${got.id}`)).body.data).toEqual(got);
  });
});
