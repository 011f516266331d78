// The checks a typed card must pass before Kasir takes it: Luhn, the network by prefix and length, an
// expiry not before this month, a three-digit CVC, a plausible name.
import { describe, expect, it } from 'vitest';
import { cardDigits, cardProblems, isExpired, luhnValid, networkOf, normaliseExpiry } from '../../../src/domain/card/pan.ts';

const NOW = new Date('2026-03-15T10:00:00Z');
const good = { number: '4440 0001 1220 0001', expMonth: '12', expYear: '30', cvc: '123', holderName: 'Budi Santoso' };

describe('card checks', () => {
  it("Luhn accepts Pivot's test cards and refuses a changed digit", () => {
    for (const n of ['4440000112200001', '5550000112230001', '3550000112280001', '4440000334470010', '4440000334450012']) {
      expect(luhnValid(n), n).toBe(true);
    }
    expect(luhnValid('4440000112200002')).toBe(false);
    expect(luhnValid('44400001122000a1')).toBe(false);
  });

  it('names the network by prefix and length, and only the three Kasir takes', () => {
    expect(networkOf('4440000112200001')).toBe('VISA');
    expect(networkOf('5550000112230001')).toBe('MASTERCARD');
    expect(networkOf('2221000000000009')).toBe('MASTERCARD');
    expect(networkOf('3550000112280001')).toBe('JCB');
    expect(networkOf('378282246310005')).toBeUndefined(); // AMEX
    expect(networkOf('6011111111111117')).toBeUndefined(); // Discover
    expect(networkOf('444000011220001')).toBeUndefined(); // 15-digit "Visa"
  });

  it('a card is good through the last day of its expiry month', () => {
    expect(isExpired('03', '2026', NOW)).toBe(false);
    expect(isExpired('02', '2026', NOW)).toBe(true);
    expect(isExpired('03', '2026', new Date('2026-04-01T00:00:00Z'))).toBe(true);
    expect(normaliseExpiry('3', '29')).toEqual({ expMonth: '03', expYear: '2029' });
    expect(normaliseExpiry('13', '29')).toBeUndefined();
    expect(normaliseExpiry('1', '202')).toBeUndefined();
  });

  it('a good card has no problems; each bad field is named, and no message repeats the number', () => {
    expect(cardProblems(good, NOW)).toEqual([]);
    const problems = cardProblems(
      { number: '4440000112200002', expMonth: '01', expYear: '2026', cvc: '12', holderName: ' ' },
      NOW,
      'card.',
    );
    expect(problems.map((p) => p.field)).toEqual(['card.number', 'card.expiry', 'card.cvc', 'card.holderName']);
    expect(JSON.stringify(problems)).not.toContain('4440000112200002');
    expect(cardProblems({ ...good, number: '378282246310005' }, NOW)[0]!.message).toContain('VISA, MASTERCARD, JCB');
    expect(cardProblems({ ...good, expYear: '2099' }, NOW)[0]!.field).toBe('expiry');
  });

  it('keeps first6, first8 and last4, never more', () => {
    expect(cardDigits('5550 0001 1223 0001')).toEqual({
      first6: '555000',
      first8: '55500001',
      last4: '0001',
      brand: 'MASTERCARD',
    });
  });
});
