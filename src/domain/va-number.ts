// Virtual-account numbers. As an issuing bank gives each company a code, Kasir gives every merchant its
// own range at every bank: VA_NUMBER_LENGTH digits behind the bank's (sandbox) company code and the
// merchant's code. Ranges of different merchants never overlap, so nothing one merchant does with its
// numbers can be seen or blocked by another. The digit right after the prefix splits a range in two
// (Pivot's static and dynamic ranges): 0 → numbers the merchant picks (`virtualAccountNumber`), 1–9 →
// numbers Kasir generates, so a generated number never takes a fixed number the merchant reuses.
// Uniqueness among open sessions is the store's job; this module only proposes and checks numbers.
import { VA_CHANNELS, type VaChannel } from './payment-methods.ts';

/** Sandbox company codes: fictional, but shaped like each bank's (BCA 5 digits, Permata 4, …). */
const BANK_CODE: Record<VaChannel, string> = {
  BCA: '39011',
  BRI: '26215',
  MANDIRI: '88908',
  BNI: '8808',
  BSI: '9347',
  CIMB: '5919',
  PERMATA: '8625',
  BNC: '9000',
  DANAMON: '7915',
};

export const VA_NUMBER_LENGTH = 16;
/** Digits of a merchant's code inside its prefix: room for 99,999 merchants, ≥ 100,000 numbers each per bank. */
export const MERCHANT_CODE_DIGITS = 5;
export const MAX_MERCHANT_CODE = 10 ** MERCHANT_CODE_DIGITS - 1;
const STATIC_MARK = '0';

export const REQUESTED_VA_PATTERN = /^[0-9]{4,23}$/;

/** One merchant's numbers at one bank: every VA_NUMBER_LENGTH-digit number starting with `prefix`. */
export interface VaRange {
  channel: VaChannel;
  prefix: string;
}

/** The ranges merchant code `code` (1…MAX_MERCHANT_CODE) stands for, one per bank. */
export function rangesOfMerchantCode(code: number): VaRange[] {
  if (!Number.isInteger(code) || code < 1 || code > MAX_MERCHANT_CODE) throw new Error(`merchant code ${code} is out of range`);
  const digits = String(code).padStart(MERCHANT_CODE_DIGITS, '0');
  return VA_CHANNELS.map((channel) => ({ channel, prefix: BANK_CODE[channel] + digits }));
}

/** The numbers a merchant may ask for: first and last, for people to read. */
export function staticRange(range: VaRange): { first: string; last: string } {
  const rest = VA_NUMBER_LENGTH - range.prefix.length - 1;
  return { first: range.prefix + STATIC_MARK + '0'.repeat(rest), last: range.prefix + STATIC_MARK + '9'.repeat(rest) };
}

/** Whether a merchant may ask for `number` in this range (Pivot: "within assigned static VA range"). */
export function isInStaticRange(range: VaRange, number: string): boolean {
  return (
    number.length === VA_NUMBER_LENGTH &&
    number.startsWith(range.prefix + STATIC_MARK) &&
    /^[0-9]+$/.test(number.slice(range.prefix.length))
  );
}

/**
 * A generated number from the range's dynamic part. `randomDigits(n)` must return n decimal digits;
 * injected so tests are deterministic. The first of them picks the dynamic digit 1–9 (slightly favouring
 * 1, which costs nothing: the store refuses a number an open session holds and the caller draws again).
 */
export function proposeVaNumber(range: VaRange, randomDigits: (count: number) => string): string {
  const digits = randomDigits(VA_NUMBER_LENGTH - range.prefix.length);
  const dynamic = String(1 + (Number(digits.charAt(0)) % 9));
  return range.prefix + dynamic + digits.slice(1);
}

export function isValidRequestedVaNumber(value: string): boolean {
  return REQUESTED_VA_PATTERN.test(value);
}
