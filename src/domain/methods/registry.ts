// Every payment method Kasir offers, in one table. A type missing here is refused with 400 wherever a
// method can be named (create, confirm, the page). Adding a method: docs/adding-a-payment-method.md.
import type { MethodChoice } from '../session.ts';
import type { PaymentMethodType } from '../statuses.ts';
import type { MethodConfig, MethodLimits, PaymentMethod } from './method.ts';
import { ewallet } from './ewallet.ts';
import { card } from './card.ts';
import { qr } from './qr.ts';
import { virtualAccount } from './virtual-account.ts';

export const METHODS = {
  VIRTUAL_ACCOUNT: virtualAccount,
  QR: qr,
  EWALLET: ewallet,
  CARD: card,
} as const satisfies Partial<Record<PaymentMethodType, PaymentMethod>>;

/** The method types Kasir can take payments with; tables keyed by it must list every one (the compiler checks). */
export type OfferedMethodType = keyof typeof METHODS;
export const OFFERED_METHOD_TYPES = Object.keys(METHODS) as OfferedMethodType[];

export function isOffered(type: PaymentMethodType): type is OfferedMethodType {
  return Object.hasOwn(METHODS, type);
}

export function methodOf(type: PaymentMethodType): PaymentMethod | undefined {
  return isOffered(type) ? METHODS[type] : undefined;
}

/**
 * Pivot's documented limits for the methods Kasir does not offer yet (pivot-api §11), so
 * /v2/payment-method-configs shows every method's shape. Each moves into its own module when built.
 */
const NOT_YET_OFFERED: Record<Exclude<PaymentMethodType, OfferedMethodType>, MethodLimits> = {};

/** The limits that hold for this choice: its channel's where they differ by channel. */
export function limitsOf(method: PaymentMethod, choice: MethodChoice | null): MethodLimits {
  return (choice && method.limitsFor?.(choice)) ?? method.limits;
}

export function methodConfig(type: PaymentMethodType): MethodConfig {
  const offered = isOffered(type);
  const limits = offered ? METHODS[type].limits : NOT_YET_OFFERED[type];
  return {
    enabled: offered,
    acceptedChannels: offered ? [...METHODS[type].acceptedChannels] : [],
    minimumAmount: limits.minimumAmount,
    maximumAmount: limits.maximumAmount,
    maximumExpiry: limits.maximumExpiry,
  };
}

/** A session without a method yet may live as long as the longest-lived offered method allows. */
export const MAX_SESSION_SECONDS = Math.max(...OFFERED_METHOD_TYPES.map((t) => METHODS[t].limits.maximumExpirySeconds));
