import { describe, expect, it } from 'vitest';
import { checkShape, resolveChargeExpiry, resolveSessionExpiry } from '../../src/domain/method-rules.ts';

const now = new Date('2026-03-01T00:00:00Z');
const va = { type: 'VIRTUAL_ACCOUNT' as const, options: { virtualAccount: { channel: 'BCA' as const } } };

describe('method rules', () => {
  it('defaults a SINGLE session to 15 minutes and lets MULTIPLE live forever', () => {
    expect(resolveSessionExpiry(undefined, { paymentType: 'SINGLE', method: null }, now).expiryAt).toEqual(
      new Date(now.getTime() + 900_000),
    );
    expect(resolveSessionExpiry(undefined, { paymentType: 'MULTIPLE', method: va }, now).expiryAt).toBeNull();
  });

  it('caps a charge at its method maximum and at the session expiry', () => {
    const qr = { type: 'QR' as const, options: {} };
    const sessionExpiry = new Date(now.getTime() + 10 * 3600_000);
    expect(resolveChargeExpiry(qr, sessionExpiry, now).expiryAt).toEqual(new Date(now.getTime() + 3600_000));
    const soon = new Date(now.getTime() + 600_000);
    expect(resolveChargeExpiry(va, soon, now).expiryAt).toEqual(soon);
  });

  it('reports every shape problem at once', () => {
    const problems = checkShape({ amount: undefined, paymentType: 'SINGLE', mode: 'API', autoConfirm: true, method: null });
    expect(problems.map((p) => p.field).sort()).toEqual(['amount', 'paymentMethod']);
  });

  it('enforces per-method amount limits with integers only', () => {
    const ok = checkShape({
      amount: { value: 10_000, currency: 'IDR' },
      paymentType: 'SINGLE',
      mode: 'REDIRECT',
      autoConfirm: true,
      method: va,
    });
    expect(ok).toEqual([]);
    const low = checkShape({
      amount: { value: 9_999, currency: 'IDR' },
      paymentType: 'SINGLE',
      mode: 'REDIRECT',
      autoConfirm: true,
      method: va,
    });
    expect(low.map((p) => p.field)).toEqual(['amount.value']);
  });
});
