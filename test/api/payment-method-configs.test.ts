import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHarness, type Harness } from '../helpers/harness.ts';

describe('GET /v2/payment-method-configs', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness('sqlite');
  });
  afterAll(async () => h.close());

  it('reports every method enabled — VA (every bank), QR, e-wallets and cards — with limits', async () => {
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
    // The widest of the channels' limits: DANA takes up to 10,000,000, ShopeePay lives up to 5 days.
    expect(d.ewallet).toEqual({
      enabled: true,
      acceptedChannels: ['DANA', 'SHOPEEPAY', 'OVO'],
      minimumAmount: { value: 10_000, currency: 'IDR' },
      maximumAmount: { value: 10_000_000, currency: 'IDR' },
      maximumExpiry: '5 DAYS',
    });
    expect(d.card).toEqual({
      enabled: true,
      acceptedChannels: ['VISA', 'MASTERCARD', 'JCB'],
      minimumAmount: { value: 10000, currency: 'IDR' },
      maximumAmount: { value: 9999999999, currency: 'IDR' },
      maximumExpiry: '30 DAYS',
    });
  });

  it('needs a bearer token', async () => {
    const res = await h.api('GET', '/v2/payment-method-configs', undefined, { authorization: '' });
    expect(res.status).toBe(401);
  });
});
