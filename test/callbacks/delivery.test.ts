// The seed's flows produce exactly the documented callbacks, with Pivot's headers and a Standard
// Webhooks signature that the off-the-shelf verifier accepts.
import { afterAll, afterEach, assert, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { DB_KINDS, requestId, uniqueReference, type Harness } from '../helpers/harness.ts';
import { seedAutoConfirmBody, seedConfirmBody, seedConfirmLaterBody } from '../helpers/bodies.ts';
import type { CallbackDispatcher } from '../../src/callbacks/dispatcher.ts';
import { expireDueSessions } from '../../src/usecases/expire-sessions.ts';
import { quiet, startDispatcher, type Receiver, startCallbackRig, closeRig } from './receiver.ts';

describe.each(DB_KINDS)('callback delivery on %s', (kind) => {
  let h: Harness;
  let receiver: Receiver;
  let dispatcher: CallbackDispatcher;

  beforeAll(async () => {
    ({ h, receiver } = await startCallbackRig(kind));
    dispatcher = startDispatcher(h);
  });
  afterAll(() => closeRig({ h, receiver, dispatcher }));
  afterEach(() => {
    receiver.received.length = 0;
  });

  const create = async (body: unknown) => {
    const res = await h.api('POST', '/v2/payments', body, { 'x-request-id': requestId() });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.data as { id: string; status: string };
  };
  const simulate = async (id: string, chargeStatus: string, extra: Record<string, unknown> = {}) => {
    const res = await h.api('POST', '/v2/payments/simulations', { paymentSessionId: id, chargeStatus, ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  const eventsFor = (id: string) => receiver.received.filter((r) => r.json.data?.id === id);
  const settle = async (id: string, count: number) => {
    await receiver.waitFor(() => eventsFor(id).length >= count);
    await quiet(h, dispatcher); // nothing more arrives, even once later polls have run
    return eventsFor(id);
  };

  it('seed flow (autoConfirm, then SUCCESS) sends exactly PAYMENT.PROCESSING then PAYMENT.PAID, verifiable', async () => {
    const session = await create(seedAutoConfirmBody());
    expect(session.status).toBe('REQUIRE_ACTION');
    await receiver.waitFor(() => eventsFor(session.id).length === 1);
    await simulate(session.id, 'SUCCESS');
    const got = await settle(session.id, 2);
    expect(got.map((r) => r.json.event)).toEqual(['PAYMENT.PROCESSING', 'PAYMENT.PAID']);
    expect(got.map((r) => r.json.data.status)).toEqual(['REQUIRE_ACTION', 'PAID']);
    expect(Object.keys(got[1]!.json).sort()).toEqual(['data', 'event']);

    const now = await h.api('GET', `/v2/payments/${session.id}`);
    expect(got[1]!.json.data).toEqual(now.body.data);

    const verifier = new Webhook(h.merchant.webhookSecret);
    for (const r of got) {
      expect(r.headers['x-api-key']).toBe(h.merchant.callbackApiKey);
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers.accept).toBe('application/json');
      expect(r.path).toBe('/kasir/callbacks');
      expect(r.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      const payload = verifier.verify(r.body, {
        'webhook-id': String(r.headers['webhook-id']),
        'webhook-timestamp': String(r.headers['webhook-timestamp']),
        'webhook-signature': String(r.headers['webhook-signature']),
      });
      expect(payload).toEqual(r.json);
    }
    expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(2);
  });

  it('a tampered body or a wrong secret does not verify', async () => {
    const session = await create(seedAutoConfirmBody());
    const [r] = await settle(session.id, 1);
    assert(r, 'one callback arrived');
    const headers = {
      'webhook-id': String(r.headers['webhook-id']),
      'webhook-timestamp': String(r.headers['webhook-timestamp']),
      'webhook-signature': String(r.headers['webhook-signature']),
    };
    expect(() => new Webhook(h.merchant.webhookSecret).verify(r.body.replace('10000', '1'), headers)).toThrow();
    const other = await h.otherMerchant();
    expect(() => new Webhook(other.merchant.webhookSecret).verify(r.body, headers)).toThrow();
  });

  it('confirm-later flow: nothing until confirm, then PROCESSING, then PAID', async () => {
    const session = await create(seedConfirmLaterBody());
    expect(session.status).toBe('REQUIRE_PAYMENT_METHOD');
    const confirmed = await h.api('POST', `/v2/payments/${session.id}/confirm`, seedConfirmBody());
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    await simulate(session.id, 'SUCCESS');
    const got = await settle(session.id, 2);
    expect(got.map((r) => r.json.event)).toEqual(['PAYMENT.PROCESSING', 'PAYMENT.PAID']);
  });

  it('cancel sends PAYMENT.CANCELLED with data.status CANCELLED', async () => {
    const session = await create(seedConfirmLaterBody());
    const cancelled = await h.api('POST', `/v2/payments/${session.id}/cancel`, { cancellationReason: 'REQUESTED_BY_CUSTOMER' });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    const got = await settle(session.id, 1);
    expect(got.map((r) => [r.json.event, r.json.data.status])).toEqual([['PAYMENT.CANCELLED', 'CANCELLED']]);
    expect(got[0]!.json.data.cancellationReason).toBe('REQUESTED_BY_CUSTOMER');
  });

  it('a failed charge sends PAYMENT.CANCELLED with data.status CANCELLED (reason CHARGE_FAILED)', async () => {
    const session = await create(seedAutoConfirmBody());
    await simulate(session.id, 'FAILED');
    const got = await settle(session.id, 2);
    expect(got[1]!.json.event).toBe('PAYMENT.CANCELLED');
    expect(got[1]!.json.data).toMatchObject({ status: 'CANCELLED', cancellationReason: 'CHARGE_FAILED' });
  });

  it('expiry (simulated and by the sweeper) sends PAYMENT.CANCELLED with data.status EXPIRED', async () => {
    const simulated = await create(seedAutoConfirmBody());
    await simulate(simulated.id, 'EXPIRED');
    const got = await settle(simulated.id, 2);
    expect(got.map((r) => [r.json.event, r.json.data.status])).toEqual([
      ['PAYMENT.PROCESSING', 'REQUIRE_ACTION'],
      ['PAYMENT.CANCELLED', 'EXPIRED'],
    ]);

    const swept = await create(seedConfirmLaterBody({ expiryAt: new Date(h.clock.now().getTime() + 1500).toISOString() }));
    h.clock.advance(1600);
    expect(await expireDueSessions(h.ctx)).toBeGreaterThanOrEqual(1);
    const sweptEvents = await settle(swept.id, 1);
    expect(sweptEvents.map((r) => [r.json.event, r.json.data.status])).toEqual([['PAYMENT.CANCELLED', 'EXPIRED']]);
  });

  it('a MULTIPLE session sends CHARGE.SUCCESS per charge and never PAYMENT.PAID', async () => {
    const session = await create({
      clientReferenceId: uniqueReference(),
      paymentType: 'MULTIPLE',
      mode: 'API',
      paymentMethod: { type: 'QR' },
      redirectUrl: {},
    });
    expect(session.status).toBe('ACTIVE');
    await simulate(session.id, 'SUCCESS', { amount: { value: 25000, currency: 'IDR' } });
    await simulate(session.id, 'SUCCESS', { amount: { value: 5000, currency: 'IDR' } });
    const got = await settle(session.id, 2);
    expect(got.map((r) => r.json.event)).toEqual(['CHARGE.SUCCESS', 'CHARGE.SUCCESS']);
    expect(got.map((r) => r.json.data.status)).toEqual(['ACTIVE', 'ACTIVE']);
    // Each CHARGE.SUCCESS carries the charge that succeeded, not every earlier one.
    expect(got.map((r) => r.json.data.chargeDetails.map((c: { amount: { value: number } }) => c.amount.value))).toEqual([
      [25000],
      [5000],
    ]);
  });

  it('the outbox row is written in the transition: rows exist for every state change even with no dispatcher', async () => {
    await dispatcher.stop();
    {
      const session = await create(seedAutoConfirmBody());
      await simulate(session.id, 'SUCCESS');
      const rows = await h.store.db
        .selectFrom('callbacks')
        .select(['event', 'status'])
        .where('resource_id', '=', session.id)
        .orderBy('created_at')
        .execute();
      expect(rows.map((r) => r.event).sort()).toEqual(['PAYMENT.PAID', 'PAYMENT.PROCESSING']);
      expect(rows.every((r) => r.status === 'PENDING')).toBe(true);
      expect(receiver.received.filter((r) => r.json.data?.id === session.id)).toHaveLength(0);
      dispatcher = startDispatcher(h);
      await settle(session.id, 2);
    }
  });
});
