// Standard Webhooks signatures, checked with the standardwebhooks library a merchant would use.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { activeSecrets, webhookHeaders } from '../../src/callbacks/signing.ts';

const secret = () => `whsec_${randomBytes(32).toString('base64')}`;

describe('webhook signing', () => {
  it('signs id.timestamp.body so standardwebhooks verifies it', () => {
    const s = secret();
    const body = JSON.stringify({ event: 'PAYMENT.PAID', data: { id: 'x', amount: { value: 10000 } } });
    const headers = webhookHeaders({ current: s }, 'cb_123', new Date(), body);
    expect(headers['webhook-id']).toBe('cb_123');
    expect(headers['webhook-timestamp']).toMatch(/^\d{10}$/);
    expect(new Webhook(s).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(secret()).verify(body, headers)).toThrow();
  });

  it('a replay with an old timestamp is rejected by the verifier', () => {
    const s = secret();
    const headers = webhookHeaders({ current: s }, 'cb_1', new Date(Date.now() - 3600_000), '{}');
    expect(() => new Webhook(s).verify('{}', headers)).toThrow();
  });

  it('during the overlap both secrets sign; after it only the current one', () => {
    const current = secret();
    const previous = secret();
    const now = new Date();
    const within = { current, previous: { secret: previous, until: new Date(now.getTime() + 1000) } };
    expect(activeSecrets(within, now)).toEqual([current, previous]);
    const headers = webhookHeaders(within, 'cb_9', now, '{"a":1}');
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(current).verify('{"a":1}', headers)).toEqual({ a: 1 });
    expect(new Webhook(previous).verify('{"a":1}', headers)).toEqual({ a: 1 });
    const after = { current, previous: { secret: previous, until: new Date(now.getTime() - 1) } };
    expect(activeSecrets(after, now)).toEqual([current]);
  });
});
