import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VA_CHANNELS } from '../../src/domain/payment-methods.ts';
import {
  MAX_MERCHANT_CODE,
  isInStaticRange,
  isValidRequestedVaNumber,
  proposeVaNumber,
  rangesOfMerchantCode,
  staticRange,
  type VaRange,
} from '../../src/domain/va-number.ts';

const rangeAt = (code: number, channel: string): VaRange => rangesOfMerchantCode(code).find((r) => r.channel === channel)!;
const inRange = (range: VaRange, number: string) => number.length === 16 && number.startsWith(range.prefix);

describe('VA ranges', () => {
  it('give a merchant one range per bank, behind the bank code and the merchant code', () => {
    const ranges = rangesOfMerchantCode(42);
    expect(ranges.map((r) => r.channel)).toEqual([...VA_CHANNELS]);
    expect(rangeAt(42, 'BCA').prefix).toBe('3901100042');
    expect(rangeAt(42, 'PERMATA').prefix).toBe('862500042');
    expect(staticRange(rangeAt(42, 'BCA'))).toEqual({ first: '3901100042000000', last: '3901100042099999' });
    expect(staticRange(rangeAt(42, 'PERMATA'))).toEqual({ first: '8625000420000000', last: '8625000420999999' });
  });

  it('of two merchant codes never share a number at any bank', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX_MERCHANT_CODE }),
        fc.integer({ min: 1, max: MAX_MERCHANT_CODE }),
        fc.constantFrom(...VA_CHANNELS),
        fc.stringMatching(/^[0-9]{7}$/),
        (a, b, channel, tail) => {
          fc.pre(a !== b);
          const mine = rangeAt(a, channel);
          const number = (mine.prefix + tail).slice(0, 16).padEnd(16, '0');
          expect(inRange(mine, number)).toBe(true);
          expect(inRange(rangeAt(b, channel), number)).toBe(false);
        },
      ),
    );
  });

  it('refuse merchant codes that do not fit in the prefix', () => {
    expect(() => rangesOfMerchantCode(0)).toThrow();
    expect(() => rangesOfMerchantCode(MAX_MERCHANT_CODE + 1)).toThrow();
    expect(rangesOfMerchantCode(MAX_MERCHANT_CODE)[0]!.prefix).toMatch(/99999$/);
  });
});

describe('VA numbers', () => {
  it('a merchant may ask for exactly the numbers of its static part', () => {
    const bni = rangeAt(7, 'BNI');
    const { first, last } = staticRange(bni);
    expect(isInStaticRange(bni, first)).toBe(true);
    expect(isInStaticRange(bni, last)).toBe(true);
    expect(isInStaticRange(bni, '8808000071000000')).toBe(false); // the generated part
    expect(isInStaticRange(bni, '8808000080000000')).toBe(false); // the next merchant's
    expect(isInStaticRange(bni, first.slice(0, 15))).toBe(false);
    expect(isInStaticRange(bni, `${first}0`)).toBe(false);
    expect(isInStaticRange(rangeAt(7, 'BRI'), first)).toBe(false);
  });

  it('generated ones are 16 digits inside the range, never in the part the merchant picks from', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...VA_CHANNELS),
        fc.integer({ min: 1, max: MAX_MERCHANT_CODE }),
        fc.nat(),
        (channel, code, seed) => {
          const range = rangeAt(code, channel);
          const n = proposeVaNumber(range, (count) => String(seed).padStart(count, '0').slice(-count));
          expect(n).toMatch(/^\d{16}$/);
          expect(inRange(range, n)).toBe(true);
          expect(isInStaticRange(range, n)).toBe(false);
        },
      ),
    );
    // Every first random digit, 0 included, lands in the generated part.
    for (let d = 0; d <= 9; d++) {
      const n = proposeVaNumber(rangeAt(1, 'BCA'), (count) => String(d).repeat(count));
      expect(n.charAt(10)).not.toBe('0');
    }
  });

  it('accept requested numbers of 4–23 digits only (the contract; the range is checked per merchant)', () => {
    expect(isValidRequestedVaNumber('99996662')).toBe(true);
    expect(isValidRequestedVaNumber('12a4')).toBe(false);
    expect(isValidRequestedVaNumber('123')).toBe(false);
  });
});
