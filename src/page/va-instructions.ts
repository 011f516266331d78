// Hosted-page copy: per-bank "how to pay this virtual account" steps (ATM, mobile, internet banking) in id/en,
// filled in for one payment. The steps themselves are in va-guides-major-banks.ts and va-guides-other-banks.ts.
//
// Menu labels are quoted as the bank shows them (usually Indonesian); English steps keep the on-screen
// label and add a gloss in brackets. Banks rename menus often: treat every path as "last seen".
// Placeholders: {vaNumber} and {amount} (already formatted by the page, e.g. "Rp150.000").
import { VA_CHANNELS, type VaChannel } from '../domain/payment-methods.ts';
import { MAJOR_BANK_GUIDES } from './va-guides-major-banks.ts';
import { OTHER_BANK_GUIDES } from './va-guides-other-banks.ts';
import type { Locale } from './i18n.ts';

export type { VaChannel };

export interface BankGuide {
  name: string;
  atm: Record<Locale, string[]>;
  mobile: Record<Locale, string[]>;
  internet: Record<Locale, string[]>;
  acceptsInterbank: boolean;
}

export { VA_CHANNELS };

/** Shown under the steps for banks whose VAs can be paid from other banks. */
export const INTERBANK_NOTE: Record<Locale, string> = {
  id:
    'Bayar dari bank lain? Gunakan transfer online (ATM Bersama, PRIMA, atau ALTO) ke nomor VA ini. ' +
    'Jangan gunakan BI-FAST, SKN, atau RTGS karena dana bisa dikembalikan.',
  en:
    'Paying from another bank? Use an online transfer (ATM Bersama, PRIMA or ALTO) to this VA number. ' +
    'Do not use BI-FAST, SKN or RTGS: the payment may be returned.',
};

/** Every channel's guide: leaving one out of both bank modules fails to compile. */
export const VA_GUIDES: Record<VaChannel, BankGuide> = { ...MAJOR_BANK_GUIDES, ...OTHER_BANK_GUIDES };

const PLACEHOLDER = /\{(vaNumber|amount)\}/g;

function fillStep(step: string, fill: { vaNumber: string; amount: string }): string {
  // A replacer function, so "$" sequences in the values are inserted literally.
  return step.replace(PLACEHOLDER, (_, key: 'vaNumber' | 'amount') => fill[key]);
}

/** Localised, filled-in steps for one channel; interbankNote only for banks that accept it. */
export function instructionsFor(
  channel: VaChannel,
  locale: Locale,
  fill: { vaNumber: string; amount: string },
): { name: string; atm: string[]; mobile: string[]; internet: string[]; interbankNote?: string } {
  const guide = VA_GUIDES[channel];
  if (!guide) throw new RangeError(`Unknown VA channel: ${String(channel)}`);
  if (locale !== 'id' && locale !== 'en') throw new RangeError(`Unknown locale: ${String(locale)}`);
  const render = (steps: Record<Locale, string[]>) => steps[locale].map((s) => fillStep(s, fill));
  return {
    name: guide.name,
    atm: render(guide.atm),
    mobile: render(guide.mobile),
    internet: render(guide.internet),
    ...(guide.acceptsInterbank ? { interbankNote: INTERBANK_NOTE[locale] } : {}),
  };
}
