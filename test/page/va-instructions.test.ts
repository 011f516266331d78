import { describe, it, expect } from 'vitest';
import { INTERBANK_NOTE, VA_CHANNELS, VA_GUIDES, instructionsFor, type VaChannel } from '../../src/page/va-instructions.ts';
import type { Locale } from '../../src/page/i18n.ts';

const CHANNELS: VaChannel[] = ['BCA', 'BRI', 'MANDIRI', 'BNI', 'BSI', 'CIMB', 'PERMATA', 'BNC', 'DANAMON'];
const LOCALES: Locale[] = ['id', 'en'];
const METHODS = ['atm', 'mobile', 'internet'] as const;
const FILL = { vaNumber: '8808123456789012', amount: 'Rp150.000' };

describe('VA_GUIDES', () => {
  it('covers exactly the nine VA channels', () => {
    expect(Object.keys(VA_GUIDES).sort()).toEqual([...CHANNELS].sort());
    expect([...VA_CHANNELS].sort()).toEqual([...CHANNELS].sort());
  });

  it.each(CHANNELS)('%s: ≥3 steps per method and locale, equal id/en counts, short steps', (channel) => {
    const guide = VA_GUIDES[channel];
    expect(guide.name.length).toBeGreaterThan(0);
    for (const method of METHODS) {
      expect(guide[method].id.length).toBeGreaterThanOrEqual(3);
      expect(guide[method].en.length).toBeGreaterThanOrEqual(3);
      expect(guide[method].id.length).toBe(guide[method].en.length);
      for (const locale of LOCALES) {
        for (const step of guide[method][locale]) {
          expect(step.trim()).toBe(step);
          expect(step.length).toBeGreaterThan(0);
          expect(step.length).toBeLessThanOrEqual(90); // phone-screen friendly
          // Only the two known placeholders may appear.
          expect(step.replace(/\{(vaNumber|amount)\}/g, '')).not.toMatch(/[{}]/);
        }
      }
    }
  });

  it('only BCA and Mandiri are marked same-bank only', () => {
    const sameBankOnly = CHANNELS.filter((c) => !VA_GUIDES[c].acceptsInterbank);
    expect(sameBankOnly).toEqual(['BCA', 'MANDIRI']);
  });
});

describe('instructionsFor', () => {
  it.each(CHANNELS.flatMap((c) => LOCALES.map((l) => [c, l] as const)))(
    '%s/%s: placeholders filled, none left over',
    (channel, locale) => {
      const out = instructionsFor(channel, locale, FILL);
      expect(out.name).toBe(VA_GUIDES[channel].name);
      for (const method of METHODS) {
        const steps = out[method];
        expect(steps.length).toBe(VA_GUIDES[channel][method][locale].length);
        expect(steps.length).toBeGreaterThanOrEqual(3);
        for (const step of steps) expect(step).not.toContain('{');
        expect(steps.some((s) => s.includes(FILL.vaNumber))).toBe(true);
        expect(steps.some((s) => s.includes(FILL.amount))).toBe(true);
      }
      if (VA_GUIDES[channel].acceptsInterbank) {
        expect(out.interbankNote).toBe(INTERBANK_NOTE[locale]);
        expect(out.interbankNote).toMatch(/BI-FAST/);
        expect(out.interbankNote).toMatch(/SKN/);
        expect(out.interbankNote).toMatch(/RTGS/);
      } else {
        expect(out).not.toHaveProperty('interbankNote');
      }
    },
  );

  it('inserts values literally (no regex replacement patterns) and does not mutate the data', () => {
    const before = JSON.stringify(VA_GUIDES);
    const out = instructionsFor('BRI', 'id', { vaNumber: '$&{amount}', amount: '$1' });
    expect(out.atm.join(' ')).toContain('$&{amount}');
    expect(out.atm.join(' ')).toContain('$1');
    out.atm.push('x');
    expect(JSON.stringify(VA_GUIDES)).toBe(before);
  });

  it('returns locale-specific text', () => {
    const id = instructionsFor('BNI', 'id', FILL);
    const en = instructionsFor('BNI', 'en', FILL);
    expect(id.atm).not.toEqual(en.atm);
    expect(id.interbankNote).not.toBe(en.interbankNote);
  });

  it('rejects unknown channels and locales', () => {
    expect(() => instructionsFor('XYZ' as VaChannel, 'id', FILL)).toThrow(RangeError);
    expect(() => instructionsFor('BCA', 'fr' as Locale, FILL)).toThrow(RangeError);
  });
});
