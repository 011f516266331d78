// Every resource method of @kasir/sdk once, against a Kasir listening on a real port, on both databases;
// the token exchanged once for many calls, refreshed before it expires and after the server refuses it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentSession } from '@kasir/sdk';
import { DB_KINDS, uniqueReference } from '../helpers/harness.ts';
import { finalizeEarly, finalizeLater } from '../contract/seed-client.ts';
import { authorizedCardSession, countingFetch, listeningKasir, type Rig } from './kasir.ts';

describe.each(DB_KINDS)('@kasir/sdk against a listening Kasir (%s)', (kind) => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await listeningKasir(kind);
  });
  afterAll(async () => rig.close());

  it('creates, reads, lists, confirms, cancels and simulates payments', async () => {
    const kasir = rig.kasir();
    const reference = uniqueReference();
    const early = await kasir.payments.create(finalizeEarly(`${reference}e`));
    expect(early.status).toBe('REQUIRE_ACTION');
    expect(early.chargeDetails?.[0]?.virtualAccount?.virtualAccountNumber).toMatch(/^\d+$/);
    expect(await kasir.payments.simulate({ paymentSessionId: early.id, chargeStatus: 'SUCCESS' })).toEqual({ updated: true });
    expect((await kasir.payments.get(early.id)).status).toBe('PAID');

    const later = await kasir.payments.create(finalizeLater(`${reference}l`));
    expect(later.status).toBe('REQUIRE_PAYMENT_METHOD');
    const confirmed = await kasir.payments.confirm(later.id, {
      paymentMethod: { type: 'VIRTUAL_ACCOUNT' },
      paymentMethodOptions: { virtualAccount: { channel: 'PERMATA', virtualAccountName: 'Toko' } },
    });
    expect(confirmed.status).toBe('REQUIRE_ACTION');

    const toCancel = await kasir.payments.create(finalizeLater(`${reference}c`));
    const cancelled = await kasir.payments.cancel(toCancel.id, { cancellationReason: 'REQUESTED_BY_CUSTOMER' });
    expect(cancelled.status).toBe('CANCELLED');

    const page = await kasir.payments.list({ clientReferenceId: `${reference}e` });
    expect(page.data.map((session: PaymentSession) => session.id)).toEqual([early.id]);
    expect(page.pagination).toMatchObject({ page: 1, totalItems: 1 });
    expect((await kasir.payments.list({ perPage: 2 })).data).toHaveLength(2);

    const charges = await kasir.charges.list({ paymentSessionId: early.id });
    expect(charges.data.map((charge) => charge.status)).toEqual(['SUCCESS']);
  });

  it('confirms with an encrypted card and captures the manual-capture authorization', async () => {
    const kasir = rig.kasir();
    const session = await authorizedCardSession(kasir);
    expect(session.chargeDetails?.[0]?.status).toBe('WAITING_FOR_CAPTURE');
    const capture = await kasir.payments.capture(session.id, {
      releaseRemainingAmount: true,
      amount: { value: 100_000, currency: 'IDR' },
    });
    expect(capture).toMatchObject({ paymentSessionId: session.id, status: 'SUCCESS', amount: { value: 100_000 } });
    expect((await kasir.payments.get(session.id)).status).toBe('PAID');
  });

  it('refunds, reads, lists and settles refunds', async () => {
    const kasir = rig.kasir();
    const session = await kasir.payments.create(finalizeEarly(uniqueReference()));
    await kasir.payments.simulate({ paymentSessionId: session.id, chargeStatus: 'SUCCESS' });
    const refund = await kasir.refunds.create({
      clientReferenceId: uniqueReference(),
      paymentSessionId: session.id,
      isFullAmount: true,
      reason: 'REQUESTED_BY_CUSTOMER',
      transferDestination: { channelCode: 'BCA', channelInformation: { accountNumber: '999966660001', accountName: 'Budi' } },
    });
    expect(refund).toMatchObject({ paymentSessionId: session.id, status: 'PENDING', amount: { value: '10000' } });
    expect((await kasir.refunds.get(refund.id)).id).toBe(refund.id);
    expect((await kasir.refunds.list({ paymentSessionId: session.id })).data.map((r) => r.id)).toEqual([refund.id]);
    const settled = await kasir.refunds.simulate({ refundId: refund.id, status: 'SUCCESS' });
    expect(settled.status).toBe('SUCCESS');
  });

  it('reads payment-method configs and a customer with saved methods', async () => {
    const kasir = rig.kasir();
    const configs = await kasir.paymentMethodConfigs.get();
    expect(configs.virtualAccount.enabled).toBe(true);
    expect(configs.virtualAccount.acceptedChannels).toContain('PERMATA');

    const session = await kasir.payments.create({
      clientReferenceId: uniqueReference(),
      amount: { value: 50_000, currency: 'IDR' },
      paymentMethod: { type: 'EWALLET', ewallet: { accountIdentifier: '08111111001' } },
      paymentMethodOptions: { ewallet: { channel: 'OVO' } },
      redirectUrl: { successReturnUrl: 'https://merchant.example/ok', failureReturnUrl: 'https://merchant.example/no' },
      customer: { givenName: 'Budi', email: 'budi@example.com' },
      saveForFutureUse: true,
    });
    await kasir.payments.simulate({ paymentSessionId: session.id, chargeStatus: 'SUCCESS' });
    const { customerId } = await kasir.payments.get(session.id);
    expect(customerId).toEqual(expect.any(String));
    const customer = await kasir.customers.get(String(customerId));
    expect(customer.storedPaymentMethods).toHaveLength(1);
  });

  it('lists callbacks and resends one', async () => {
    const kasir = rig.kasir();
    const session = await kasir.payments.create(finalizeEarly(uniqueReference()));
    await rig.receiver.waitFor((all) => all.some((r) => r.json.data?.id === session.id));
    await rig.dispatcher.idle();
    const page = await kasir.callbacks.list({ paymentSessionId: session.id });
    expect(page.data.map((c) => [c.event, c.status])).toEqual([['PAYMENT.PROCESSING', 'DELIVERED']]);
    const resent = await kasir.callbacks.resend(page.data[0]!.id);
    expect(resent.id).toBe(page.data[0]!.id);
    await rig.receiver.waitFor((all) => all.filter((r) => r.json.data?.id === session.id).length === 2);
  });

  it('exchanges the credentials once for many calls', async () => {
    const counter = countingFetch();
    const kasir = rig.kasir({ fetch: counter.fetch });
    await Promise.all([kasir.payments.list(), kasir.refunds.list(), kasir.charges.list()]);
    await kasir.paymentMethodConfigs.get();
    await kasir.payments.list({ perPage: 1 });
    expect(counter.count('POST /v1/access-token')).toBe(1);
    expect(counter.count('GET /v2/payments')).toBe(2);
  });

  it('exchanges again before the token expires, without a refused call', async () => {
    const counter = countingFetch();
    let now = Date.now();
    const kasir = rig.kasir({ fetch: counter.fetch, now: () => now });
    await kasir.payments.list();
    now += 839_000;
    await kasir.payments.list();
    expect(counter.count('POST /v1/access-token')).toBe(1);
    // Kasir's tokens live 900 s; the client takes a new one in the last minute of the old one's life.
    now += 2_000;
    await kasir.payments.list();
    expect(counter.count('POST /v1/access-token')).toBe(2);
    expect(counter.statuses).not.toContain(401);
  });

  it('takes a new token, once, when the server refuses the cached one (the harness clock moved past 900 s)', async () => {
    const counter = countingFetch();
    const kasir = rig.kasir({ fetch: counter.fetch });
    const session = await kasir.payments.create(finalizeLater(uniqueReference()));
    rig.h.clock.advance(901_000);
    // Not idempotent, yet safe to send again: the 401 came before Kasir read the request.
    const cancelled = await kasir.payments.cancel(session.id, { cancellationReason: 'DUPLICATED' });
    expect(cancelled.status).toBe('CANCELLED');
    expect(counter.count('POST /v1/access-token')).toBe(2);
    expect(counter.count(`POST /v2/payments/${session.id}/cancel`)).toBe(2);
    expect(counter.statuses.filter((status) => status === 401)).toHaveLength(1);
  });
});
