// Reading rows back (src/store/codec.ts and the store's other readers): a column holding one of a fixed list
// of names (a status, a mode, a reason), and a JSON column Kasir writes in a known shape, are checked as they
// are read, so a damaged row is refused with the column named instead of reaching a decision or a merchant
// as if it were valid.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCallback, listCallbacks } from '../../src/store/callbacks.ts';
import { findRefund } from '../../src/store/refunds.ts';
import { findSessionById, findStoredWire } from '../../src/store/sessions.ts';
import { makeHarness, type Harness } from '../helpers/harness.ts';
import { paidSession, postRefund, refundBody } from '../helpers/refunds.ts';

describe('names read back from rows', () => {
  let h: Harness;
  let sessionId: string;
  let refundId: string;
  let callbackId: string;
  beforeAll(async () => {
    h = await makeHarness('sqlite');
    sessionId = (await paidSession(h)).id;
    const refund = await postRefund(h, refundBody({ paymentSessionId: sessionId }));
    expect(refund.status, JSON.stringify(refund.body)).toBe(200);
    refundId = refund.body.data.id;
    const {
      callbacks: [callback],
    } = await listCallbacks(h.store.db, h.merchant.id, {}, 1, 1);
    callbackId = callback!.id;
  });
  afterAll(async () => h?.close());

  it('come back as written from sound rows', async () => {
    const session = await findSessionById(h.store.db, sessionId);
    expect(session).toMatchObject({ status: 'PAID', mode: 'REDIRECT', paymentType: 'SINGLE', cancellationReason: null });
    expect(session!.charges[0]!.status).toBe('SUCCESS');
    expect((await findStoredWire(h.store.db, h.merchant.id, sessionId))!.status).toBe('PAID');
    expect(await findRefund(h.store.db, h.merchant.id, refundId)).toMatchObject({
      reason: 'REQUESTED_BY_CUSTOMER',
      method: 'AUTO',
    });
    expect((await findCallback(h.store.db, h.merchant.id, callbackId))!.status).toMatch(
      /^(PENDING|DELIVERING|DELIVERED|FAILED)$/,
    );
  });

  type DamageableColumn = 'status' | 'mode' | 'cancellation_reason' | 'redirect_url' | 'metadata' | 'echo_extras';
  /** Writes `value` into one column of the session's row, expects the read to refuse it, then puts the row back. */
  async function expectRefused(column: DamageableColumn, value: string, pattern: RegExp): Promise<void> {
    const before = await h.store.db
      .selectFrom('payment_sessions')
      .selectAll()
      .where('id', '=', sessionId)
      .executeTakeFirstOrThrow();
    const write = (v: string | null) =>
      h.store.db
        .updateTable('payment_sessions')
        .set({ [column]: v })
        .where('id', '=', sessionId)
        .execute();
    await write(value);
    try {
      await expect(findSessionById(h.store.db, sessionId)).rejects.toThrow(pattern);
      if (column === 'status') await expect(findStoredWire(h.store.db, h.merchant.id, sessionId)).rejects.toThrow(pattern);
    } finally {
      await write(before[column]);
    }
  }

  it('refuse a session whose status, mode or cancellation reason Kasir never writes, naming the column', async () => {
    await expectRefused('status', 'PAYED', /payment_sessions\.status "PAYED" is not one of REQUIRE_PAYMENT_METHOD/);
    await expectRefused('mode', 'redirect', /payment_sessions\.mode "redirect"/);
    await expectRefused('cancellation_reason', 'BORED', /payment_sessions\.cancellation_reason "BORED"/);
    expect((await findSessionById(h.store.db, sessionId))!.status).toBe('PAID');
  });

  it('refuse JSON columns not in the shape Kasir writes them in, naming the column', async () => {
    await expectRefused('redirect_url', '{"successReturnUrl":5}', /payment_sessions\.redirect_url is not in the shape/);
    await expectRefused('redirect_url', '"https://merchant.com"', /payment_sessions\.redirect_url/);
    await expectRefused('metadata', '[1,2]', /payment_sessions\.metadata is not a JSON object/);
    await expectRefused('echo_extras', '{"splitRoutingConfigurations":["x"]}', /payment_sessions\.echo_extras/);
    await expectRefused('echo_extras', '{"initiateFirstAuthorization":"yes"}', /payment_sessions\.echo_extras/);
    expect((await findSessionById(h.store.db, sessionId))!.redirectUrl).toMatchObject({
      successReturnUrl: expect.stringMatching(/^https:/),
    });
  });

  it("refuse a charge's details with a member of another type, naming the member", async () => {
    const { details } = await h.store.db
      .selectFrom('charges')
      .select('details')
      .where('session_id', '=', sessionId)
      .executeTakeFirstOrThrow();
    const damaged = details.replace(/"virtualAccountNumber":"(\d+)"/, '"virtualAccountNumber":$1');
    expect(damaged).not.toBe(details);
    await h.store.db.updateTable('charges').set({ details: damaged }).where('session_id', '=', sessionId).execute();
    try {
      await expect(findSessionById(h.store.db, sessionId)).rejects.toThrow(
        /stored virtual-account charge\.virtualAccountNumber is not a string/,
      );
    } finally {
      await h.store.db.updateTable('charges').set({ details }).where('session_id', '=', sessionId).execute();
    }
    expect((await findSessionById(h.store.db, sessionId))!.charges[0]!.virtualAccount?.virtualAccountNumber).toMatch(/^\d+$/);
  });

  it("refuse a charge's, a refund's and a callback's unknown status", async () => {
    await h.store.db.updateTable('charges').set({ status: 'DONE' }).where('session_id', '=', sessionId).execute();
    await expect(findSessionById(h.store.db, sessionId)).rejects.toThrow(/charges\.status "DONE"/);
    await h.store.db.updateTable('charges').set({ status: 'SUCCESS' }).where('session_id', '=', sessionId).execute();

    await h.store.db.updateTable('refunds').set({ method: 'CASH' }).where('id', '=', refundId).execute();
    await expect(findRefund(h.store.db, h.merchant.id, refundId)).rejects.toThrow(/refunds\.method "CASH"/);
    await h.store.db.updateTable('refunds').set({ method: 'AUTO' }).where('id', '=', refundId).execute();

    await h.store.db.updateTable('callbacks').set({ status: 'SENT' }).where('id', '=', callbackId).execute();
    await expect(findCallback(h.store.db, h.merchant.id, callbackId)).rejects.toThrow(/callbacks\.status "SENT"/);
  });
});
