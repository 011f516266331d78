// Payment methods, VA channels and their limits: what GET /v2/payment-method-configs reports and what
// create/confirm enforce. One table, so the page, the API and validation can never disagree.
import type { PaymentMethodType } from './statuses.ts';

export const VA_CHANNELS = ['BCA', 'BRI', 'MANDIRI', 'BNI', 'BSI', 'CIMB', 'PERMATA', 'BNC', 'DANAMON'] as const;
export type VaChannel = (typeof VA_CHANNELS)[number];

export const EWALLET_CHANNELS = ['DANA', 'SHOPEEPAY', 'OVO'] as const;
export const CARD_NETWORKS = ['VISA', 'MASTERCARD', 'JCB'] as const;
export const CURRENCIES = ['IDR'] as const;
export type Currency = (typeof CURRENCIES)[number];

export interface MethodLimits {
  enabled: boolean;
  acceptedChannels: readonly string[];
  minimumAmount: number;
  maximumAmount: number;
  /** Longest time a charge of this method may stay payable, in seconds. */
  maximumExpirySeconds: number;
  /** Pivot's wire form of the maximum, e.g. "30 DAYS". */
  maximumExpiry: string;
}

const DAY = 86_400;

/** Kasir builds VA and QR today; e-wallet and card are listed (disabled) so clients see the full shape. */
export const METHOD_LIMITS: Record<PaymentMethodType, MethodLimits> = {
  VIRTUAL_ACCOUNT: {
    enabled: true,
    acceptedChannels: VA_CHANNELS,
    minimumAmount: 10_000,
    maximumAmount: 9_999_999_999,
    maximumExpirySeconds: 30 * DAY,
    maximumExpiry: '30 DAYS',
  },
  QR: {
    enabled: true,
    acceptedChannels: [],
    minimumAmount: 1_000,
    maximumAmount: 10_000_000,
    maximumExpirySeconds: 60 * 60,
    maximumExpiry: '60 MINUTES',
  },
  EWALLET: {
    enabled: false,
    acceptedChannels: [],
    minimumAmount: 10_000,
    maximumAmount: 9_999_999,
    maximumExpirySeconds: 30 * 60,
    maximumExpiry: '30 MINUTES',
  },
  CARD: {
    enabled: false,
    acceptedChannels: [],
    minimumAmount: 10_000,
    maximumAmount: 9_999_999_999,
    maximumExpirySeconds: 30 * DAY,
    maximumExpiry: '30 DAYS',
  },
};

/** A session without a method yet may live as long as the longest-lived method allows. */
export const MAX_SESSION_SECONDS = Math.max(
  ...Object.values(METHOD_LIMITS).filter((m) => m.enabled).map((m) => m.maximumExpirySeconds),
);
export const DEFAULT_SESSION_SECONDS = 15 * 60;

export function isVaChannel(value: string): value is VaChannel {
  return (VA_CHANNELS as readonly string[]).includes(value);
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
