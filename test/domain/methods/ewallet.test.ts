// The e-wallet module: per-channel limits and expiries (pivot-api §11), Pivot's sandbox numbers (§12), the
// charge and paymentMethod wire shapes (§6.2, §5.2).
import { describe, expect, it } from 'vitest';
import { checkExpiry, checkMethod, resolveChargeExpiry } from '../../../src/domain/method-rules.ts';
import { EWALLETS, ewallet, sandboxAnswer } from '../../../src/domain/methods/ewallet.ts';
import type { Charge, MethodChoice, Session } from '../../../src/domain/session.ts';

const now = new Date('2026-01-01T00:00:00Z');
const choice = (channel: 'DANA' | 'SHOPEEPAY' | 'OVO', extra: Record<string, unknown> = {}): MethodChoice => ({
  type: 'EWALLET',
  options: { ewallet: { channel, ...extra } },
});
const amount = (value: number) => ({ amount: { value, currency: 'IDR' }, paymentType: 'SINGLE' as const });

describe('e-wallet method', () => {
  it("takes each channel's own amount limits", () => {
    expect(checkMethod(choice('DANA'), amount(10_000_000))).toEqual([]);
    expect(checkMethod(choice('SHOPEEPAY'), amount(10_000_000))).toEqual([
      { field: 'amount.value', message: 'amount for EWALLET SHOPEEPAY must be between 10000 and 9999999' },
    ]);
    expect(checkMethod(choice('OVO'), amount(9_999))).toHaveLength(1);
  });

  it("takes each channel's own maximum expiry: DANA and OVO 30 minutes, ShopeePay 5 days", () => {
    const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);
    expect(checkExpiry(at(30 * 60), choice('DANA'), now, 'expiryAt')).toBeUndefined();
    expect(checkExpiry(at(30 * 60 + 1), choice('OVO'), now, 'expiryAt')?.message).toBe(
      'expiryAt is beyond the maximum expiry for EWALLET OVO (30 MINUTES)',
    );
    expect(checkExpiry(at(5 * 86_400), choice('SHOPEEPAY'), now, 'expiryAt')).toBeUndefined();
    // A session that may live a day gets a DANA charge of at most 30 minutes.
    const charge = resolveChargeExpiry(choice('DANA'), at(86_400), now);
    expect(charge.expiryAt).toEqual(at(30 * 60));
    expect(EWALLETS.SHOPEEPAY.limits.maximumExpiry).toBe('5 DAYS');
  });

  it('requires a channel and an Indonesian mobile number as accountIdentifier', () => {
    const problems = ewallet.optionProblems(
      { type: 'EWALLET', options: { ewallet: { accountIdentifier: '555-0100' } } },
      amount(50_000),
      '',
    );
    expect(problems.map((p) => p.field)).toEqual([
      'paymentMethodOptions.ewallet.channel',
      'paymentMethod.ewallet.accountIdentifier',
    ]);
  });

  it("Pivot's sandbox numbers decide the wallet's answer; any other number pays", () => {
    expect(sandboxAnswer('+628111111001')).toBe('SUCCESS');
    expect(sandboxAnswer('+628111111002')).toBe('PROCESSING');
    expect(sandboxAnswer('+628111111003')).toBe('FAILED');
    expect(sandboxAnswer('+628111111004')).toBe('EXPIRED');
    expect(sandboxAnswer('+6281234567890')).toBe('SUCCESS');
  });

  it('the charge carries the account in E.164 once known; paymentMethod echoes what the merchant sent', () => {
    const picked = choice('OVO', { accountIdentifier: '0811 111 1001' });
    const issued = ewallet.issue({
      session: {} as Session,
      choice: picked,
      expiryAt: now,
      merchantName: 'Toko',
      randomDigits: () => '',
      stableDigits: () => '',
      vaRange: undefined,
    });
    expect(issued).toEqual({ details: { ewallet: { channel: 'OVO', mobileNumber: '+628111111001', accountName: null } } });
    const charge = { ...issued.details } as Charge;
    expect(ewallet.chargeWire(charge)).toEqual({
      ewallet: { channel: 'OVO', accountInformations: { mobileNumber: '+628111111001', name: null } },
    });
    expect(ewallet.chargeWire({ ewallet: { channel: 'DANA', mobileNumber: null, accountName: null } } as Charge)).toEqual({
      ewallet: { channel: 'DANA', accountInformations: null },
    });
    expect(ewallet.methodWire(picked, charge)).toEqual({ ewallet: { channel: 'OVO', accountIdentifier: '0811 111 1001' } });
  });
});
