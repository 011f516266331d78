// Indonesian mobile numbers as shoppers and merchants type them (0811…, 811…, 62811…, +62 811-…) and as
// Pivot's e-wallet charge carries them: E.164 (+62811…), pivot-api §6.2.

/** +62, then the national number: 8, the operator's digits, the subscriber's — 9 to 12 digits in all. */
const E164_ID_MOBILE = /^\+628[0-9]{8,11}$/;

/** The number in E.164, or undefined when it is not an Indonesian mobile number. */
export function toE164(raw: string): string | undefined {
  const compact = raw.replace(/[\s().-]/g, '');
  const national = compact.startsWith('+62')
    ? compact.slice(3)
    : compact.startsWith('62')
      ? compact.slice(2)
      : compact.startsWith('0')
        ? compact.slice(1)
        : compact;
  const e164 = `+62${national}`;
  return E164_ID_MOBILE.test(e164) ? e164 : undefined;
}

/** +628111111001 → 08111111001, the way Indonesians write their own number. */
export function localForm(e164: string): string {
  return `0${e164.slice(3)}`;
}

/** 08111111001 → 0811•••1001: enough for the shopper to recognise their number, not enough to reuse it. */
export function maskMobile(e164: string): string {
  const local = localForm(e164);
  return `${local.slice(0, 4)}${'•'.repeat(Math.max(0, local.length - 8))}${local.slice(-4)}`;
}
