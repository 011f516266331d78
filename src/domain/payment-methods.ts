// Channels and currencies the wire names: VA banks (with display names and clearing codes), e-wallet
// channels, card networks. Each method's own rules and limits live in its module (domain/methods/).
import { isOneOf } from './json.ts';

export const VA_CHANNELS = ['BCA', 'BRI', 'MANDIRI', 'BNI', 'BSI', 'CIMB', 'PERMATA', 'BNC', 'DANAMON'] as const;
export type VaChannel = (typeof VA_CHANNELS)[number];

export const EWALLET_CHANNELS = ['DANA', 'SHOPEEPAY', 'OVO'] as const;
export type EwalletChannel = (typeof EWALLET_CHANNELS)[number];
export const CARD_NETWORKS = ['VISA', 'MASTERCARD', 'JCB'] as const;
export const CURRENCIES = ['IDR'] as const;
export type Currency = (typeof CURRENCIES)[number];

export const DEFAULT_SESSION_SECONDS = 15 * 60;

export function isVaChannel(value: string): value is VaChannel {
  return isOneOf(VA_CHANNELS, value);
}

export function isEwalletChannel(value: string): value is EwalletChannel {
  return isOneOf(EWALLET_CHANNELS, value);
}

/** Display names for the page and VA names; bank codes are the domestic clearing codes (pivot-api §11). */
export const BANKS: Record<VaChannel, { name: string; bankCode: string }> = {
  BCA: { name: 'BCA', bankCode: '014' },
  BRI: { name: 'BRI', bankCode: '002' },
  MANDIRI: { name: 'Mandiri', bankCode: '008' },
  BNI: { name: 'BNI', bankCode: '009' },
  BSI: { name: 'BSI', bankCode: '451' },
  CIMB: { name: 'CIMB Niaga', bankCode: '022' },
  PERMATA: { name: 'Permata', bankCode: '013' },
  BNC: { name: 'Bank Neo Commerce', bankCode: '490' },
  DANAMON: { name: 'Danamon', bankCode: '011' },
};
