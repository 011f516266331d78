// Sandbox refunds end as Pivot's refund simulation page says (pivot-api §12), moving on by themselves one
// step per KASIR_SANDBOX_REFUND_DELAY_MS (the test moves the harness clock and runs the sweeper's step),
// or at once through POST /v1/refunds/simulations. Production has neither: refunds stay PENDING.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, makeHarness, uniqueReference, type Harness } from '../../helpers/harness.ts';
import { DESTINATION, paidQrSession, paidSession, postRefund, refundBody } from '../../helpers/refunds.ts';
import { advanceDueRefunds } from '../../../src/usecases/advance-refunds.ts';
import { transition } from '../../../src/usecases/persist.ts';
import { decidePay } from '../../../src/domain/session-state.ts';
import { ewalletBody, seedAutoConfirmBody } from '../../helpers/bodies.ts';
import { requestId } from '../../helpers/harness.ts';

const to = (accountNumber: string) => ({
  ...DESTINATION,
  channelInformation: { ...DESTINATION.channelInformation, accountNumber },
});

describe.each(DB_KINDS)('sandbox refund outcomes on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness(kind);
  });
  afterAll(async () => h.close());

  const create = async (body: unknown) => {
    const res = await postRefund(h, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.data;
  };
  const statusOf = async (id: string) => (await h.api('GET', `/v1/refunds/${id}`)).body.data;

  /** Every status the refund passes through, one delay at a time, until it is final. */
  async function walk(id: string): Promise<string[]> {
    const seen = [(await statusOf(id)).status];
    for (let step = 0; step < 4 && ['PENDING', 'WAITING_BANK_TRANSFER'].includes(seen.at(-1)!); step++) {
      // Not yet due: nothing moves.
      h.clock.advance(h.ctx.sandboxRefundDelayMs - 1000);
      await advanceDueRefunds(h.ctx);
      expect((await statusOf(id)).status).toBe(seen.at(-1));
      h.clock.advance(1000);
      await advanceDueRefunds(h.ctx);
      seen.push((await statusOf(id)).status);
    }
    return seen;
  }

  async function events(id: string): Promise<string[]> {
    const res = await h.api('GET', `/v2/callbacks?refundId=${id}&perPage=100`);
    return res.body.data.map((c: any) => c.event).reverse();
  }

  it('any reference + account 999966660001: the bank transfer succeeds (ACCOUNT)', async () => {
    const session = await paidSession(h);
    const refund = await create(
      refundBody({ paymentSessionId: session.id }, { method: 'TRANSFER_ONLY', transferDestination: to('999966660001') }),
    );
    expect(await walk(refund.id)).toEqual(['PENDING', 'WAITING_BANK_TRANSFER', 'SUCCESS']);
    expect(await statusOf(refund.id)).toMatchObject({ status: 'SUCCESS', destinationType: 'ACCOUNT' });
    expect(await events(refund.id)).toEqual(['REFUND.PENDING', 'REFUND.WAITING_BANK_TRANFER', 'REFUND.SUCCESS']);
  });

  it('an AUTO refund of a QRIS payment goes back through the channel (CHANNEL)', async () => {
    const session = await paidQrSession(h);
    const refund = await create(refundBody({ paymentSessionId: session.id }));
    expect(await walk(refund.id)).toEqual(['PENDING', 'SUCCESS']);
    expect(await statusOf(refund.id)).toMatchObject({ destinationType: 'CHANNEL' });
    expect(await events(refund.id)).toEqual(['REFUND.PENDING', 'REFUND.SUCCESS']);
  });

  it('an AUTO refund of an e-wallet payment goes back to the wallet (CHANNEL)', async () => {
    const created = await h.api('POST', '/v2/payments', ewalletBody('OVO'), { 'x-request-id': requestId() });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const paid = await h.api('POST', '/v2/payments/simulations', {
      paymentSessionId: created.body.data.id,
      chargeStatus: 'SUCCESS',
    });
    expect(paid.status).toBe(200);
    const refund = await create(
      refundBody({ paymentSessionId: created.body.data.id }, { amount: { value: '50000', currency: 'IDR' } }),
    );
    expect(await walk(refund.id)).toEqual(['PENDING', 'SUCCESS']);
    expect(await statusOf(refund.id)).toMatchObject({ destinationType: 'CHANNEL' });
  });

  it('1001-…: the channel fails and the bank transfer fallback succeeds (ACCOUNT)', async () => {
    const session = await paidQrSession(h);
    const refund = await create(
      refundBody(
        { paymentSessionId: session.id },
        { clientReferenceId: `1001-${uniqueReference()}`, transferDestination: to('1234567890') },
      ),
    );
    expect(await walk(refund.id)).toEqual(['PENDING', 'WAITING_BANK_TRANSFER', 'SUCCESS']);
    expect(await statusOf(refund.id)).toMatchObject({ destinationType: 'ACCOUNT' });
  });

  it("1001-… without a destination falls back to the customer's refundPreference account", async () => {
    const session = await paidQrSession(h);
    const refund = await create(refundBody({ paymentSessionId: session.id }, { clientReferenceId: `1001-${uniqueReference()}` }));
    expect(await walk(refund.id)).toEqual(['PENDING', 'WAITING_BANK_TRANSFER', 'SUCCESS']);
  });

  it('2001-… + 999966660008: the fallback transfer fails (FAILED, ACCOUNT) and the amount is refundable again', async () => {
    const session = await paidQrSession(h);
    const refund = await create(
      refundBody(
        { paymentSessionId: session.id },
        {
          clientReferenceId: `2001-${uniqueReference()}`,
          transferDestination: to('999966660008'),
          amount: { value: '10000', currency: 'IDR' },
        },
      ),
    );
    expect(await walk(refund.id)).toEqual(['PENDING', 'WAITING_BANK_TRANSFER', 'FAILED']);
    expect(await statusOf(refund.id)).toMatchObject({ destinationType: 'ACCOUNT', failureCode: 'DECLINED_BY_CHANNEL' });
    expect(await events(refund.id)).toEqual(['REFUND.PENDING', 'REFUND.WAITING_BANK_TRANFER', 'REFUND.FAILED']);
    // A failed refund holds nothing: the whole payment can be refunded again.
    await create(refundBody({ paymentSessionId: session.id }, { isFullAmount: true, amount: undefined }));
  });

  it('2002-… + 999966660002: the account does not exist (FAILED straight from PENDING)', async () => {
    const session = await paidQrSession(h);
    const refund = await create(
      refundBody(
        { paymentSessionId: session.id },
        { clientReferenceId: `2002-${uniqueReference()}`, transferDestination: to('999966660002') },
      ),
    );
    expect(await walk(refund.id)).toEqual(['PENDING', 'FAILED']);
    expect(await statusOf(refund.id)).toMatchObject({ destinationType: 'ACCOUNT', failureCode: 'INVALID_ACCOUNT' });
    expect(await events(refund.id)).toEqual(['REFUND.PENDING', 'REFUND.FAILED']);
  });

  it('once a refund succeeds, the session shows refundedAmount on its charge (GET and list agree)', async () => {
    const session = await paidSession(h);
    const first = await create(refundBody({ paymentSessionId: session.id }, { amount: { value: '2500', currency: 'IDR' } }));
    await walk(first.id);
    const got = (await h.api('GET', `/v2/payments/${session.id}`)).body.data;
    expect(got.chargeDetails[0].refundedAmount).toEqual({ value: 2500, currency: 'IDR' });
    expect(got.status).toBe('PAID');
    const second = await create(refundBody({ paymentSessionId: session.id }, { amount: { value: '1500', currency: 'IDR' } }));
    await walk(second.id);
    const after = (await h.api('GET', `/v2/payments/${session.id}`)).body.data;
    expect(after.chargeDetails[0].refundedAmount).toEqual({ value: 4000, currency: 'IDR' });
    const listed = (await h.api('GET', `/v2/payments?clientReferenceId=${session.clientReferenceId}`)).body.data[0];
    expect(listed).toEqual(after);
    const charge = (await h.api('GET', `/v2/charges?paymentSessionId=${session.id}`)).body.data[0];
    expect(charge.refundedAmount).toEqual({ value: 4000, currency: 'IDR' });
  });

  it('the sandbox endpoint settles an open refund at once, SUCCESS or FAILED; a final one is a 422', async () => {
    const session = await paidQrSession(h);
    const a = await create(refundBody({ paymentSessionId: session.id }, { amount: { value: '1000', currency: 'IDR' } }));
    const b = await create(refundBody({ paymentSessionId: session.id }, { amount: { value: '1000', currency: 'IDR' } }));
    const settled = await h.api('POST', '/v1/refunds/simulations', { refundId: a.id, status: 'SUCCESS' });
    expect(settled.status, JSON.stringify(settled.body)).toBe(200);
    expect(settled.body.data).toMatchObject({ id: a.id, status: 'SUCCESS', destinationType: 'CHANNEL' });
    const failed = await h.api('POST', '/v1/refunds/simulations', { refundId: b.id, status: 'FAILED' });
    expect(failed.body.data).toMatchObject({ status: 'FAILED', destinationType: 'CHANNEL' });
    const again = await h.api('POST', '/v1/refunds/simulations', { refundId: a.id, status: 'FAILED' });
    expect(again.status).toBe(422);
    expect(again.body.code).toBe('invalid_state');
    // Settled refunds are no longer due: the sweeper leaves them alone.
    h.clock.advance(60_000);
    await advanceDueRefunds(h.ctx);
    expect((await statusOf(a.id)).status).toBe('SUCCESS');
    const unknown = await h.api('POST', '/v1/refunds/simulations', { refundId: 'nope', status: 'SUCCESS' });
    expect(unknown.status).toBe(404);
    const bad = await h.api('POST', '/v1/refunds/simulations', { refundId: a.id, status: 'CANCELLED' });
    expect(bad.status).toBe(400);
    const other = await h.otherMerchant();
    const theirs = await h.api(
      'POST',
      '/v1/refunds/simulations',
      { refundId: b.id, status: 'SUCCESS' },
      { authorization: `Bearer ${other.token}` },
    );
    expect(theirs.status).toBe(404);
  });

  it('a WAITING_BANK_TRANSFER refund can be settled at once too', async () => {
    const session = await paidSession(h);
    const refund = await create(refundBody({ paymentSessionId: session.id }));
    h.clock.advance(h.ctx.sandboxRefundDelayMs);
    await advanceDueRefunds(h.ctx);
    expect((await statusOf(refund.id)).status).toBe('WAITING_BANK_TRANSFER');
    const settled = await h.api('POST', '/v1/refunds/simulations', { refundId: refund.id, status: 'SUCCESS' });
    expect(settled.body.data).toMatchObject({ status: 'SUCCESS', destinationType: 'ACCOUNT' });
  });
});

describe.each(DB_KINDS)('refunds in production on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness(kind, { env: 'production' });
  });
  afterAll(async () => h?.close());

  it('no magic: a refund stays PENDING however long, and the sandbox endpoint does not exist', async () => {
    const session = await paidInProduction(h);
    const res = await postRefund(
      h,
      refundBody(
        { paymentSessionId: session },
        { clientReferenceId: `1001-${uniqueReference()}`, transferDestination: to('999966660002') },
      ),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    h.clock.advance(24 * 3600_000);
    expect(await advanceDueRefunds(h.ctx)).toBe(0);
    // A day later the first access token has long expired.
    const auth = { authorization: `Bearer ${await h.tokens.issueAccessToken(h.merchant.id, h.clock.now())}` };
    expect((await h.api('GET', `/v1/refunds/${res.body.data.id}`, undefined, auth)).body.data.status).toBe('PENDING');
    const simulate = await h.api('POST', '/v1/refunds/simulations', { refundId: res.body.data.id, status: 'SUCCESS' }, auth);
    expect(simulate.status).toBe(404);
    expect(simulate.body.code).toBe('not_found');
  });
});

/** Production has no simulations: the bank's payment is recorded through the same transition they use. */
async function paidInProduction(h: Harness): Promise<string> {
  const created = await h.api('POST', '/v2/payments', seedAutoConfirmBody(), { 'x-request-id': requestId() });
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  await transition(h.ctx, h.merchant.id, created.body.data.id, (session, now) => decidePay(session, now));
  return created.body.data.id;
}
