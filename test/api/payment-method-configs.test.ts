import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHarness, type Harness } from '../helpers/harness.ts';

describe('GET /v2/payment-method-configs', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness('sqlite');
  });
  afterAll(async () => h.close());

  it('reports VA (every bank) and QR enabled, e-wallet and card disabled, with limits', async () => {
    const res = await h.api('GET', '/v2/payment-method-configs');
    expect(res.status).toBe(200);
    const d = res.body.data;
    expect(d.virtualAccount).toEqual({
      enabled: true,
      acceptedChannels: ['BCA', 'BRI', 'MANDIRI', 'BNI', 'BSI', 'CIMB', 'PERMATA', 'BNC', 'DANAMON'],
      minimumAmount: { value: 10000, currency: 'IDR' },
      maximumAmount: { value: 9999999999, currency: 'IDR' },
      maximumExpiry: '30 DAYS',
    });
    expect(d.qr).toMatchObject({ enabled: true, acceptedChannels: [], maximumExpiry: '60 MINUTES' });
    expect(d.ewallet.enabled).toBe(false);
    expect(d.card.enabled).toBe(false);
  });

  it('needs a bearer token', async () => {
    const res = await h.api('GET', '/v2/payment-method-configs', undefined, { authorization: '' });
    expect(res.status).toBe(401);
  });
});
