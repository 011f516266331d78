// verifyCallback against the callbacks a running Kasir really sends (received on a local HTTP server), beside
// the standardwebhooks library and Kasir's own signer; and every way a forged or replayed callback is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import type { CallbackEvent } from '@kasir/sdk';
import { webhookHeaders } from '../../src/callbacks/signing.ts';
import { newWebhookSecret } from '../../src/security/secrets.ts';
import { DB_KINDS, uniqueReference } from '../helpers/harness.ts';
import { finalizeEarly } from '../contract/seed-client.ts';
import type { Received } from '../callbacks/receiver.ts';
import { listeningKasir, sdk, type Rig } from './kasir.ts';

const { verifyCallback, CallbackVerificationError } = sdk;

/** A description of the event that only type-checks when the union narrows on `event`. */
function describeEvent(callback: CallbackEvent): string {
  switch (callback.event) {
    case 'REFUND.PENDING':
    case 'REFUND.WAITING_BANK_TRANFER':
    case 'REFUND.SUCCESS':
    case 'REFUND.FAILED':
      return `${callback.event} refund ${callback.data.id} of ${callback.data.paymentSessionId} (${callback.data.amount.value})`;
    case 'PAYMENT.TEST':
      return `test ${callback.data.id}`;
    default:
      return `${callback.event} session ${callback.data.id} ${callback.data.status}`;
  }
}

describe.each(DB_KINDS)('verifyCallback on the callbacks Kasir sends (%s)', (kind) => {
  let rig: Rig;
  let received: Received[];
  let sessionId: string;
  beforeAll(async () => {
    rig = await listeningKasir(kind);
    const kasir = rig.kasir();
    const session = await kasir.payments.create(finalizeEarly(uniqueReference()));
    sessionId = session.id;
    await kasir.payments.simulate({ paymentSessionId: session.id, chargeStatus: 'SUCCESS' });
    await kasir.refunds.create({
      clientReferenceId: uniqueReference(),
      paymentSessionId: session.id,
      isFullAmount: true,
      reason: 'REQUESTED_BY_CUSTOMER',
      transferDestination: { channelCode: 'BCA', channelInformation: { accountNumber: '999966660001', accountName: 'Budi' } },
    });
    await rig.receiver.waitFor((all) => all.length >= 3);
    received = rig.receiver.received;
  });
  afterAll(async () => rig.close());

  const callback = (event: string) => {
    const found = received.find((r) => r.json.event === event);
    if (!found) throw new Error(`no ${event} callback received`);
    return found;
  };
  const secrets = () => ({ webhookSecret: rig.h.merchant.webhookSecret, apiKey: rig.h.merchant.callbackApiKey });

  it('accepts each real callback by signature and API key, typed by its event', async () => {
    const events = await Promise.all(received.map((r) => verifyCallback({ payload: r.body, headers: r.headers, ...secrets() })));
    // Sent concurrently, so in any order.
    expect(events.map(describeEvent).sort()).toEqual([
      `PAYMENT.PAID session ${sessionId} PAID`,
      `PAYMENT.PROCESSING session ${sessionId} REQUIRE_ACTION`,
      expect.stringMatching(new RegExp(`^REFUND.PENDING refund \\S+ of ${sessionId} \\(10000\\)$`)),
    ]);
    expect(events.map((event) => event.id)).toEqual(received.map((r) => r.headers['webhook-id']));
    // The same verdict as the reference library's.
    const library = new Webhook(rig.h.merchant.webhookSecret);
    for (const r of received) {
      const headers = {
        'webhook-id': String(r.headers['webhook-id']),
        'webhook-timestamp': String(r.headers['webhook-timestamp']),
        'webhook-signature': String(r.headers['webhook-signature']),
      };
      expect(library.verify(r.body, headers)).toEqual(JSON.parse(r.body));
    }
  });

  it('accepts by signature alone, by API key alone, and from a Headers object', async () => {
    const r = callback('PAYMENT.PROCESSING');
    const headers = new Headers(
      Object.entries(r.headers).flatMap(([k, v]): Array<[string, string]> => (typeof v === 'string' ? [[k, v]] : [])),
    );
    await expect(verifyCallback({ payload: r.body, headers, webhookSecret: secrets().webhookSecret })).resolves.toMatchObject({
      event: 'PAYMENT.PROCESSING',
    });
    await expect(verifyCallback({ payload: r.body, headers: r.headers, apiKey: secrets().apiKey })).resolves.toMatchObject({
      event: 'PAYMENT.PROCESSING',
    });
    await expect(
      verifyCallback({ payload: new TextEncoder().encode(r.body), headers: r.headers, webhookSecret: secrets().webhookSecret }),
    ).resolves.toMatchObject({ event: 'PAYMENT.PROCESSING' });
  });

  it('refuses a tampered body, a wrong secret, a stale timestamp and a wrong API key', async () => {
    const r = callback('PAYMENT.PAID');
    const refusal = (options: Partial<Parameters<typeof verifyCallback>[0]>) =>
      verifyCallback({ payload: r.body, headers: r.headers, ...secrets(), ...options }).then(
        () => 'accepted',
        (error: unknown) => (error instanceof CallbackVerificationError ? error.code : `other: ${String(error)}`),
      );
    expect(await refusal({ payload: r.body.replace('"PAID"', '"CANCELLED"') })).toBe('invalid_signature');
    expect(await refusal({ webhookSecret: newWebhookSecret() })).toBe('invalid_signature');
    const sentAt = Number(r.headers['webhook-timestamp']) * 1000;
    expect(await refusal({ now: () => sentAt + 301_000 })).toBe('timestamp_out_of_tolerance');
    expect(await refusal({ now: () => sentAt - 301_000 })).toBe('timestamp_out_of_tolerance');
    expect(await refusal({ now: () => sentAt + 299_000 })).toBe('accepted');
    expect(await refusal({ toleranceSeconds: 10, now: () => sentAt + 11_000 })).toBe('timestamp_out_of_tolerance');
    expect(await refusal({ apiKey: `${secrets().apiKey}x` })).toBe('invalid_api_key');
    expect(await refusal({ headers: { ...r.headers, 'x-api-key': undefined } })).toBe('missing_header');
    expect(await refusal({ headers: { ...r.headers, 'webhook-signature': undefined } })).toBe('missing_header');
    expect(await refusal({ headers: { ...r.headers, 'webhook-id': 'cb_other' } })).toBe('invalid_signature');
  });
});

describe('verifyCallback and Kasir’s signer', () => {
  const body = JSON.stringify({
    event: 'PAYMENT.TEST',
    data: {
      id: 'test_1',
      clientReferenceId: 'kasir-test-callback',
      amount: { value: 10000, currency: 'IDR' },
      status: 'PAID',
      createdAt: '2026-01-01T00:00:00.000Z',
    },
  });
  const now = new Date('2026-01-01T00:00:00Z');

  it('accepts either secret during a rotation’s overlap (two signatures)', async () => {
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    const headers = webhookHeaders(
      { current, previous: { secret: previous, until: new Date(now.getTime() + 60_000) } },
      'cb_1',
      now,
      body,
    );
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    for (const secret of [current, previous, [newWebhookSecret(), previous]]) {
      await expect(
        verifyCallback({ payload: body, headers, webhookSecret: secret, now: () => now.getTime() }),
      ).resolves.toMatchObject({
        id: 'cb_1',
        event: 'PAYMENT.TEST',
      });
    }
    await expect(
      verifyCallback({ payload: body, headers, webhookSecret: newWebhookSecret(), now: () => now.getTime() }),
    ).rejects.toThrow(CallbackVerificationError);
  });

  it('refuses a signed body that is not a callback, and a call with nothing to check against', async () => {
    const secret = newWebhookSecret();
    const notACallback = JSON.stringify({ event: 'PAYMENT.EXPLODED', data: { id: 'x' } });
    const headers = webhookHeaders({ current: secret }, 'cb_2', now, notACallback);
    await expect(
      verifyCallback({ payload: notACallback, headers, webhookSecret: secret, now: () => now.getTime() }),
    ).rejects.toMatchObject({
      code: 'invalid_payload',
    });
    await expect(verifyCallback({ payload: body, headers })).rejects.toThrow(TypeError);
  });
});

describe('verifyCallback and the standardwebhooks library agree', () => {
  const session = { id: 's1', clientReferenceId: 'order-1', amount: { value: 10000, currency: 'IDR' }, status: 'PAID' };

  it('on any body, id, time and key: the library’s signature passes, a changed body or id does not', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
        fc.integer({ min: 1_600_000_000, max: 2_000_000_000 }),
        async (key, note, id, seconds) => {
          const secret = `whsec_${btoa(String.fromCharCode(...key))}`;
          const payload = JSON.stringify({ event: 'PAYMENT.PAID', data: { ...session, note } });
          const headers = {
            'webhook-id': id,
            'webhook-timestamp': String(seconds),
            'webhook-signature': new Webhook(secret).sign(id, new Date(seconds * 1000), payload),
          };
          const at = () => seconds * 1000;
          const verified = await verifyCallback({ payload, headers, webhookSecret: secret, now: at });
          expect(verified).toMatchObject({ id, event: 'PAYMENT.PAID', data: { note } });
          const changed = payload.replace('order-1', 'order-2');
          await expect(verifyCallback({ payload: changed, headers, webhookSecret: secret, now: at })).rejects.toMatchObject({
            code: 'invalid_signature',
          });
          const otherId = { ...headers, 'webhook-id': `${id}x` };
          await expect(verifyCallback({ payload, headers: otherId, webhookSecret: secret, now: at })).rejects.toMatchObject({
            code: 'invalid_signature',
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
