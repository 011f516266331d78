import { describe, it, expect } from 'vitest';
import { LOCALES, MESSAGES, pickLocale, translator } from '../../src/page/i18n.ts';

describe('page dictionary', () => {
  it('has every key in both languages, non-empty, with the same placeholders', () => {
    const idKeys = Object.keys(MESSAGES.id).sort();
    expect(Object.keys(MESSAGES.en).sort()).toEqual(idKeys);
    const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const key of idKeys) {
      for (const locale of LOCALES)
        expect(MESSAGES[locale][key as keyof typeof MESSAGES.id].trim(), `${locale}.${key}`).not.toBe('');
      expect(placeholders(MESSAGES.en[key as keyof typeof MESSAGES.en]), key).toEqual(
        placeholders(MESSAGES.id[key as keyof typeof MESSAGES.id]),
      );
    }
  });

  it('the two languages differ where they should', () => {
    const same = Object.keys(MESSAGES.id).filter(
      (k) => MESSAGES.id[k as keyof typeof MESSAGES.id] === MESSAGES.en[k as keyof typeof MESSAGES.en],
    );
    // Brand and method names are the same in both languages (wallets, card networks, CVC).
    expect(same.sort()).toEqual(
      [
        'atm',
        'bank',
        'brand',
        'cardCvc',
        'cardHint',
        'ewallet',
        'internetBanking',
        'mobileBanking',
        'qris',
        'total',
        'walletTitle',
      ].sort(),
    );
  });

  it('fills placeholders and leaves unknown ones', () => {
    const t = translator('en');
    expect(t('payBefore', { time: '10:00 WIB' })).toBe('Pay before 10:00 WIB');
    expect(t('payBefore')).toBe('Pay before {time}');
    expect(translator('id')('confirmMethod', { method: '$& BCA' })).toBe('Bayar dengan $& BCA');
  });
});

describe('pickLocale', () => {
  it.each([
    ['en', undefined, 'en'],
    ['id', 'en-US,en;q=0.9', 'id'],
    ['fr', 'en', 'en'],
    [undefined, undefined, 'id'],
    [undefined, '', 'id'],
    [undefined, 'en-US,en;q=0.9,id;q=0.8', 'en'],
    [undefined, 'id-ID,id;q=0.9,en;q=0.8', 'id'],
    [undefined, 'in', 'id'],
    [undefined, 'fr-FR,en;q=0.5', 'en'],
    [undefined, 'fr-FR,de', 'id'],
    [undefined, 'en;q=0.3,id;q=0.7', 'id'],
    [undefined, 'en;q=0', 'id'],
    [['en'], 'id', 'id'],
  ])('lang=%s, Accept-Language=%s → %s', (lang, header, expected) => {
    expect(pickLocale(lang, header)).toBe(expected);
  });
});
