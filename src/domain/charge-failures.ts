// Pivot's charge failure codes (pivot-api §10.5) with the message and recommendation a failed charge of any
// method carries when the method has nothing more precise to say (cards do: domain/card/sandbox-cards.ts
// words each card scenario). Pivot templates both texts but the reference does not quote them, so the
// wording is Kasir's: what happened, then what the merchant can do about it.
import { isOneOf } from './json.ts';

export const CHARGE_FAILURE_CODES = [
  'DECLINED_BY_CHANNEL',
  'INVALID_ACCOUNT',
  'AUTHENTICATION_FAILED',
  'SUSPECTED_FRAUD',
  'INSUFFICIENT_FUND',
  'CHANNEL_UNAVAILABLE',
  'CANCELLED_BY_USER',
  'CHARGE_EXPIRED',
  'BLOCKED_BY_FDS',
  'REQUIRE_REVIEW',
] as const;

export type ChargeFailureCode = (typeof CHARGE_FAILURE_CODES)[number];

export const CHARGE_FAILURES: Record<ChargeFailureCode, { failureMessage: string; recommendation: string }> = {
  DECLINED_BY_CHANNEL: {
    failureMessage: 'The payment was declined by the channel',
    recommendation: 'Ask the customer to pay again or with another payment method.',
  },
  INVALID_ACCOUNT: {
    failureMessage: 'The customer account is invalid or cannot be charged',
    recommendation: 'Ask the customer to check the account or to pay with another one.',
  },
  AUTHENTICATION_FAILED: {
    failureMessage: 'The customer did not pass authentication (OTP or PIN)',
    recommendation: 'Ask the customer to try again with the code they receive.',
  },
  SUSPECTED_FRAUD: {
    failureMessage: 'The channel declined the payment as suspected fraud',
    recommendation: 'Do not retry; review the order before accepting another payment from this customer.',
  },
  INSUFFICIENT_FUND: {
    failureMessage: 'The customer account has insufficient funds',
    recommendation: 'Ask the customer to top up or to pay with another method.',
  },
  CHANNEL_UNAVAILABLE: {
    failureMessage: 'The payment channel is unavailable',
    recommendation: 'Retry in a few minutes or offer another payment method.',
  },
  CANCELLED_BY_USER: {
    failureMessage: 'The customer cancelled the payment',
    recommendation: 'Offer the customer to pay again.',
  },
  CHARGE_EXPIRED: {
    failureMessage: 'The customer did not complete the payment in time',
    recommendation: 'Create a new payment session for the customer.',
  },
  BLOCKED_BY_FDS: {
    failureMessage: 'The payment was declined by fraud detection as high risk',
    recommendation: 'Do not retry; review the order before accepting another payment from this customer.',
  },
  REQUIRE_REVIEW: {
    failureMessage: 'The payment was held by fraud detection for review',
    recommendation: 'Review the order; ask the customer to pay again once it is cleared, or with another method.',
  },
};

function isChargeFailureCode(code: string): code is ChargeFailureCode {
  return isOneOf(CHARGE_FAILURE_CODES, code);
}

/** The recommendation for a failure code, or undefined for a code Pivot does not list. */
export function recommendationFor(failureCode: string): string | undefined {
  return isChargeFailureCode(failureCode) ? CHARGE_FAILURES[failureCode].recommendation : undefined;
}

export function failureMessageFor(failureCode: string): string {
  return isChargeFailureCode(failureCode) ? CHARGE_FAILURES[failureCode].failureMessage : `The payment failed (${failureCode})`;
}
