// Undelivered callbacks on both databases: FAILED (a merchant endpoint answering 500 through every retry)
// and PENDING (not tried yet), about payments and refunds, with the last attempt's reason; filters, pages,
// another merchant's never shown; "resend all" through the resend use case, bounded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallbackDispatcher } from '../../../src/callbacks/dispatcher.ts';
import {
  RESEND_BATCH_LIMIT,
  resendUndelivered,
  undeliveredCallbacks,
  undeliveredQueryFromQuery,
  type UndeliveredQuery,
} from '../../../src/usecases/dashboard/callbacks.ts';
import { DB_KINDS, type Harness } from '../../helpers/harness.ts';
import { postRefund, refundBody } from '../../helpers/refunds.ts';
import { closeRig, drain, startCallbackRig, startDispatcher, type Receiver } from '../../callbacks/receiver.ts';
import { bodyOf, create, pay } from './fixtures.ts';

describe.each(DB_KINDS)('undelivered callbacks on %s', (kind) => {
  let h: Harness;
  let receiver: Receiver;
  let dispatcher: CallbackDispatcher | undefined;
  let failA: string;
  let failC: string;
  let refundId: string;
  let otherMerchantId: string;

  /** Every page of it. */
  const all = async (query: UndeliveredQuery, merchantId = h.merchant.id) => {
    const callbacks = [];
    let cursor: string | undefined;
    do {
      const page = await undeliveredCallbacks(h.ctx, merchantId, query, { limit: 200, ...(cursor !== undefined && { cursor }) });
      callbacks.push(...page.callbacks);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return callbacks;
  };

  beforeAll(async () => {
    ({ h, receiver } = await startCallbackRig(kind));
    // Whatever is about a reference starting with "fail" gets a 500; the rest is taken.
    receiver.answer = (r) =>
      String(r.json.data?.clientReferenceId ?? '').startsWith('fail') ? { status: 500, body: 'order service down' } : {};
    dispatcher = startDispatcher(h, { breaker: { failures: 1000, cooldownMs: 1 } });
    failA = await create(h, bodyOf(h, 'va', { clientReferenceId: 'fail-a' }));
    await pay(h, failA);
    h.clock.advance(1000);
    await create(h, bodyOf(h, 'va', { clientReferenceId: 'fail-b' }));
    h.clock.advance(1000);
    const refund = await postRefund(h, refundBody({ paymentSessionId: failA }, { clientReferenceId: 'fail-refund' }));
    expect(refund.status, JSON.stringify(refund.body)).toBe(200);
    refundId = refund.body.data.id;
    h.clock.advance(1000);
    await create(h, bodyOf(h, 'va', { clientReferenceId: 'ok-1' }));
    await drain(h, dispatcher);
    await dispatcher.stop();
    dispatcher = undefined;
    // Not tried yet: PENDING, no attempt.
    h.clock.advance(1000);
    failC = await create(h, bodyOf(h, 'va', { clientReferenceId: 'fail-c' }));

    const other = await h.otherMerchant();
    otherMerchantId = other.merchant.id;
    await create(h, bodyOf(h, 'va', { clientReferenceId: 'fail-other' }), other.token);
  });
  afterAll(() => closeRig({ h, receiver, ...(dispatcher && { dispatcher }) }));

  it('lists FAILED and PENDING callbacks of payments and refunds, newest first, with the last attempt', async () => {
    const callbacks = await all({});
    expect(callbacks.map((c) => `${c.status} ${c.event}`)).toEqual([
      'PENDING PAYMENT.PROCESSING',
      'FAILED REFUND.PENDING',
      'FAILED PAYMENT.PROCESSING',
      'FAILED PAYMENT.PAID',
      'FAILED PAYMENT.PROCESSING',
    ]);
    const [pending, refund] = callbacks;
    expect(pending).toMatchObject({ resourceType: 'payment_session', resourceId: failC, attemptCount: 0, lastAttempt: null });
    expect(Date.parse(pending!.nextAttemptAt!)).toBeLessThanOrEqual(h.clock.now().getTime());
    expect(refund).toMatchObject({
      resourceType: 'refund',
      resourceId: refundId,
      nextAttemptAt: null,
      attemptCount: 3,
      lastAttempt: { httpStatus: 500, responseExcerpt: 'order service down', error: null },
    });
    // FAILED after the schedule: the last attempt is the third.
    const paid = callbacks.find((c) => c.event === 'PAYMENT.PAID')!;
    expect(paid.resourceId).toBe(failA);
    expect(Date.parse(paid.lastAttempt!.attemptedAt)).toBeGreaterThan(Date.parse(paid.createdAt));
  });

  it('filters by status, resource type and event; never shows another merchant’s', async () => {
    expect((await all({ status: 'FAILED' })).length).toBe(4);
    expect((await all({ status: 'PENDING' })).map((c) => c.resourceId)).toEqual([failC]);
    expect((await all({ resourceType: 'refund' })).map((c) => c.event)).toEqual(['REFUND.PENDING']);
    expect((await all({ event: 'PAYMENT.PAID' })).map((c) => c.resourceId)).toEqual([failA]);
    expect(await all({ event: 'PAYMENT.PAID', status: 'PENDING' })).toEqual([]);
    // The other merchant has no callback URL: its callback waits, and is only its own.
    const others = await all({}, otherMerchantId);
    expect(others).toHaveLength(1);
    expect((await all({})).map((c) => c.id)).not.toContain(others[0]!.id);
  });

  it('pages with a cursor', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 1; ; pages++) {
      const page = await undeliveredCallbacks(h.ctx, h.merchant.id, {}, { limit: 2, ...(cursor !== undefined && { cursor }) });
      seen.push(...page.callbacks.map((c) => c.id));
      if (page.nextCursor === null) {
        expect(pages).toBe(3);
        break;
      }
      cursor = page.nextCursor;
    }
    expect(seen).toEqual((await all({})).map((c) => c.id));
    await expect(undeliveredCallbacks(h.ctx, h.merchant.id, {}, { cursor: 'x' })).rejects.toMatchObject({ kind: 'validation' });
  });

  it('reads a filter from a query string, refusing unknown values', () => {
    expect(undeliveredQueryFromQuery({ status: 'FAILED', resourceType: 'refund', event: 'REFUND.PENDING' })).toEqual({
      status: 'FAILED',
      resourceType: 'refund',
      event: 'REFUND.PENDING',
    });
    expect(undeliveredQueryFromQuery({ status: '' })).toEqual({});
    expect(() => undeliveredQueryFromQuery({ status: 'DELIVERED', resourceType: 'charge', event: 'X' })).toThrow(
      expect.objectContaining({
        kind: 'validation',
        details: [
          expect.objectContaining({ field: 'status' }),
          expect.objectContaining({ field: 'resourceType' }),
          expect.objectContaining({ field: 'event' }),
        ],
      }),
    );
  });

  it('resends every callback of a filter, which then get delivered; the history stays', async () => {
    const result = await resendUndelivered(h.ctx, h.merchant.id, { status: 'FAILED', resourceType: 'payment_session' });
    expect(result).toEqual({ queued: 3, skipped: 0, more: false });
    expect((await all({ status: 'FAILED' })).map((c) => c.event)).toEqual(['REFUND.PENDING']);
    const queued = await all({ status: 'PENDING' });
    expect(queued).toHaveLength(4);
    expect(
      queued.filter((c) => c.resourceId !== failC).every((c) => c.attemptCount === 0 && c.lastAttempt?.httpStatus === 500),
    ).toBe(true);

    receiver.answer = () => ({});
    dispatcher = startDispatcher(h, { breaker: { failures: 1000, cooldownMs: 1 } });
    await drain(h, dispatcher);
    expect((await all({})).map((c) => c.event)).toEqual(['REFUND.PENDING']);
    const attempts = await h.store.db
      .selectFrom('callback_attempts')
      .innerJoin('callbacks', 'callbacks.id', 'callback_attempts.callback_id')
      .select(['callbacks.event', 'callback_attempts.http_status'])
      .where('callbacks.resource_id', '=', failA)
      .where('callbacks.event', '=', 'PAYMENT.PAID')
      .orderBy('callback_attempts.attempted_at')
      .execute();
    expect(attempts.map((a) => a.http_status)).toEqual([500, 500, 500, 200]);
  });

  it('resends at most RESEND_BATCH_LIMIT at a time, oldest first, and says more are left', async () => {
    await dispatcher?.stop();
    dispatcher = undefined;
    const db = h.store.db;
    const refundCallback = await db
      .selectFrom('callbacks')
      .selectAll()
      .where('merchant_id', '=', h.merchant.id)
      .where('status', '=', 'FAILED')
      .executeTakeFirstOrThrow();
    const copies = Array.from({ length: RESEND_BATCH_LIMIT + 1 }, (_, k) => ({
      ...refundCallback,
      id: `copy-${String(k).padStart(6, '0')}`,
      created_at: Number(refundCallback.created_at) - 1_000_000 + k,
    }));
    for (let i = 0; i < copies.length; i += 100)
      await db
        .insertInto('callbacks')
        .values(copies.slice(i, i + 100))
        .execute();
    const first = await resendUndelivered(h.ctx, h.merchant.id, { status: 'FAILED' });
    expect(first).toEqual({ queued: RESEND_BATCH_LIMIT, skipped: 0, more: true });
    const left = await all({ status: 'FAILED' });
    expect(left.map((c) => c.id)).toEqual([refundCallback.id, copies[RESEND_BATCH_LIMIT]!.id]);
    expect(await resendUndelivered(h.ctx, h.merchant.id, { status: 'FAILED' })).toEqual({ queued: 2, skipped: 0, more: false });
    // The other merchant (no callback URL) has one FAILED callback of its own: only that one is resent.
    const pendingBefore = (await all({ status: 'PENDING' })).length;
    expect(await resendUndelivered(h.ctx, otherMerchantId, { status: 'FAILED' })).toEqual({ queued: 1, skipped: 0, more: false });
    expect((await all({ status: 'PENDING' })).length).toBe(pendingBefore);
    expect((await all({ status: 'PENDING' }, otherMerchantId)).length).toBe(1);
  });
});
