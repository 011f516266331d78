// The dashboard's "send test callback": a PAYMENT.TEST reaches the merchant's endpoint like any other
// callback — its X-API-Key, a Standard Webhooks signature the off-the-shelf verifier accepts — and the
// callback history lists it about the merchant, not a payment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import type { CallbackDispatcher } from '../../src/callbacks/dispatcher.ts';
import { DB_KINDS, type Harness } from '../helpers/harness.ts';
import { signedIn } from '../dashboard/helpers.ts';
import { closeRig, startCallbackRig, startDispatcher, type Receiver } from './receiver.ts';

describe.each(DB_KINDS)('PAYMENT.TEST on %s', (kind) => {
  let h: Harness;
  let receiver: Receiver;
  let dispatcher: CallbackDispatcher;
  beforeAll(async () => {
    ({ h, receiver } = await startCallbackRig(kind));
    dispatcher = startDispatcher(h);
  });
  afterAll(() => closeRig({ h, receiver, dispatcher }));

  it('is delivered signed from the Developers screen and listed in the history', async () => {
    const { browser } = await signedIn(h, 'developer');
    const sent = await browser.submit('/dashboard/developers', '/dashboard/developers/test-callback');
    expect(sent.status).toBe(200);
    await receiver.waitFor((got) => got.some((r) => r.json.event === 'PAYMENT.TEST'));
    const [got] = receiver.received.filter((r) => r.json.event === 'PAYMENT.TEST');
    expect(got!.json.data).toMatchObject({
      clientReferenceId: 'kasir-test-callback',
      status: 'PAID',
      amount: { value: 10000, currency: 'IDR' },
    });
    expect(got!.headers['x-api-key']).toBe(h.merchant.callbackApiKey);
    const payload = new Webhook(h.merchant.webhookSecret).verify(got!.body, {
      'webhook-id': String(got!.headers['webhook-id']),
      'webhook-timestamp': String(got!.headers['webhook-timestamp']),
      'webhook-signature': String(got!.headers['webhook-signature']),
    });
    expect(payload).toEqual(got!.json);
    await dispatcher.idle();
    const history = await h.api('GET', '/v2/callbacks?event=PAYMENT.TEST');
    expect(history.status, JSON.stringify(history.body)).toBe(200);
    expect(history.body.data).toHaveLength(1);
    expect(history.body.data[0]).toMatchObject({
      event: 'PAYMENT.TEST',
      resourceType: 'merchant',
      status: 'DELIVERED',
      paymentSessionId: null,
    });
  });
});
