// A card as the shopper types it: number (Luhn, network by prefix and length), expiry (not before this
// month), CVC (three digits for the networks Kasir takes) and the holder's name. Every check returns
// field problems, so the page and the API can name each bad field at once.
import { CARD_NETWORKS } from '../payment-methods.ts';
import type { FieldProblem } from '../refusal.ts';

export type CardNetwork = (typeof CARD_NETWORKS)[number];

export interface CardEntry {
  number: string;
  expMonth: string;
  expYear: string;
  cvc: string;
  holderName?: string;
}

/** The parts of a number Kasir may keep and show (pivot-api §6.2): never the number itself. */
export interface CardDigits {
  first6: string;
  first8: string;
  last4: string;
  brand: CardNetwork;
}

/** Spaces and dashes are how people group digits; anything else makes the number invalid. */
export function normaliseNumber(raw: string): string {
  return raw.replace(/[\s-]/g, '');
}

export function luhnValid(digits: string): boolean {
  if (!/^[0-9]+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The network a number belongs to, by its issuer prefix and length; undefined for networks Kasir does not take. */
export function networkOf(digits: string): CardNetwork | undefined {
  const len = digits.length;
  if (/^4/.test(digits) && (len === 13 || len === 16 || len === 19)) return 'VISA';
  const two = Number(digits.slice(0, 2));
  const four = Number(digits.slice(0, 4));
  if (len === 16 && ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720))) return 'MASTERCARD';
  if (len >= 16 && len <= 19 && four >= 3528 && four <= 3589) return 'JCB';
  return undefined;
}

/** "1"/"01" → "01"; the year as four digits ("29" → "2029"). Undefined when not a month or a year. */
export function normaliseExpiry(month: string, year: string): { expMonth: string; expYear: string } | undefined {
  if (!/^[0-9]{1,2}$/.test(month.trim()) || !/^([0-9]{2}|[0-9]{4})$/.test(year.trim())) return undefined;
  const m = Number(month.trim());
  if (m < 1 || m > 12) return undefined;
  const y = year.trim().length === 2 ? `20${year.trim()}` : year.trim();
  return { expMonth: String(m).padStart(2, '0'), expYear: y };
}

/** A card is good through the last day of its expiry month; Kasir compares in UTC. */
export function isExpired(expMonth: string, expYear: string, now: Date): boolean {
  const firstOfNextMonth = Date.UTC(Number(expYear), Number(expMonth), 1);
  return firstOfNextMonth <= now.getTime();
}

const MAX_YEARS_AHEAD = 20;

/** Every problem with a typed card, under `prefix` (e.g. "card."); empty when the card may be charged. */
export function cardProblems(entry: CardEntry, now: Date, prefix = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const digits = normaliseNumber(entry.number);
  if (!/^[0-9]{12,19}$/.test(digits)) {
    problems.push({ field: `${prefix}number`, message: 'card number must be 12 to 19 digits' });
  } else if (!luhnValid(digits)) {
    problems.push({ field: `${prefix}number`, message: 'card number is not valid (check digit)' });
  } else if (!networkOf(digits)) {
    problems.push({ field: `${prefix}number`, message: `card network not accepted; use ${CARD_NETWORKS.join(', ')}` });
  }
  const expiry = normaliseExpiry(entry.expMonth, entry.expYear);
  if (!expiry) {
    problems.push({ field: `${prefix}expiry`, message: 'expiry must be a month (01–12) and a year' });
  } else if (isExpired(expiry.expMonth, expiry.expYear, now)) {
    problems.push({ field: `${prefix}expiry`, message: 'card has expired' });
  } else if (Number(expiry.expYear) > now.getUTCFullYear() + MAX_YEARS_AHEAD) {
    problems.push({ field: `${prefix}expiry`, message: 'expiry year is too far ahead' });
  }
  if (!/^[0-9]{3}$/.test(entry.cvc)) problems.push({ field: `${prefix}cvc`, message: 'CVC must be 3 digits' });
  if (entry.holderName !== undefined) {
    const name = entry.holderName.trim();
    if (name.length < 2 || name.length > 100 || /[\p{Cc}]/u.test(name)) {
      problems.push({ field: `${prefix}holderName`, message: 'cardholder name must be 2 to 100 characters' });
    }
  }
  return problems;
}

/** The digits Kasir keeps from a number that passed `cardProblems`. */
export function cardDigits(number: string): CardDigits {
  const digits = normaliseNumber(number);
  const brand = networkOf(digits);
  if (!brand || !luhnValid(digits)) throw new Error('cardDigits needs a number that passed cardProblems');
  return { first6: digits.slice(0, 6), first8: digits.slice(0, 8), last4: digits.slice(-4), brand };
}
