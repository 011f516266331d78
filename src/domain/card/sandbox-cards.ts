// Pivot's sandbox test cards (pivot-api §12 and Pivot's Payment Simulation page) and what each makes the
// sandbox issuer answer; the failure codes with the message and recommendation a failed charge carries
// (§10.5). Pivot's failure numbers follow one pattern — network prefix, 0000, 3344, a check digit, then
// the scenario number in the last four digits — so a scenario works on all three networks.
import type { ChargeFailureCode } from '../charge-failures.ts';
import { luhnValid, type CardNetwork } from './pan.ts';

/** A card fails with any of Pivot's codes but CHARGE_EXPIRED, which the session's expiry records. */
export type CardFailureCode = Exclude<ChargeFailureCode, 'CHARGE_EXPIRED'>;

/** Where the payment stopped: 3-D Secure, the fraud check, or the issuer's authorization. */
export type FailureStage = 'authentication' | 'fds' | 'authorization';

export interface CardFailure {
  failureCode: CardFailureCode;
  failureMessage: string;
  recommendation: string;
  stage: FailureStage;
}

/**
 * Every way a card payment fails, by scenario. The messages are Pivot's scenario descriptions; the
 * recommendations are Kasir's wording (Pivot's own recommendation texts are not in the reference).
 */
export const CARD_FAILURES = {
  DECLINED: {
    failureCode: 'DECLINED_BY_CHANNEL',
    failureMessage: 'The transaction was declined by the channel',
    recommendation: 'Ask the customer to use another card or to contact their issuing bank.',
    stage: 'authorization',
  },
  EXPIRED_CARD: {
    failureCode: 'DECLINED_BY_CHANNEL',
    failureMessage: 'The transaction was declined by the issuer because the card has expired',
    recommendation: 'Ask the customer to check the expiry date or to use another card.',
    stage: 'authorization',
  },
  INVALID_CVV: {
    failureCode: 'DECLINED_BY_CHANNEL',
    failureMessage: 'The transaction was declined by the issuer because the submitted CVV is invalid',
    recommendation: 'Ask the customer to enter the CVV/CVC again or to use another card.',
    stage: 'authorization',
  },
  INVALID_ACCOUNT: {
    failureCode: 'INVALID_ACCOUNT',
    failureMessage: 'The transaction was declined by the issuer because the card is marked as invalid',
    recommendation: 'Ask the customer to use another card; this one cannot be charged.',
    stage: 'authorization',
  },
  AUTHENTICATION_FAILED: {
    failureCode: 'AUTHENTICATION_FAILED',
    failureMessage: 'The 3DS attempt was rejected by the issuer',
    recommendation: 'Ask the customer to try again and complete the 3-D Secure verification, or to use another card.',
    stage: 'authentication',
  },
  OTP_ATTEMPTS_EXHAUSTED: {
    failureCode: 'AUTHENTICATION_FAILED',
    failureMessage: 'The 3DS verification failed: too many wrong one-time passwords',
    recommendation: 'Ask the customer to try again with the code their bank sends, or to use another card.',
    stage: 'authentication',
  },
  STOLEN_CARD: {
    failureCode: 'SUSPECTED_FRAUD',
    failureMessage: 'The transaction was declined by the issuer because the card is marked as stolen or potential fraud',
    recommendation: 'Do not retry with this card; the customer should contact their issuing bank.',
    stage: 'authorization',
  },
  BLOCKED_ACCOUNT: {
    failureCode: 'SUSPECTED_FRAUD',
    failureMessage: 'The transaction was declined by the channel because the account is blocked or suspected of fraud',
    recommendation: 'Do not retry with this card; the customer should contact their issuing bank.',
    stage: 'authorization',
  },
  BLOCKED_BY_FDS: {
    failureCode: 'BLOCKED_BY_FDS',
    failureMessage: 'The transaction was declined by FDS because it was categorized as high risk',
    recommendation: 'Do not retry; review the order before accepting another payment from this customer.',
    stage: 'fds',
  },
  REQUIRE_REVIEW: {
    failureCode: 'REQUIRE_REVIEW',
    failureMessage: 'The transaction was deferred by FDS for review',
    recommendation: 'Review the order; ask the customer to pay again once it is cleared, or with another method.',
    stage: 'fds',
  },
  INSUFFICIENT_FUND: {
    failureCode: 'INSUFFICIENT_FUND',
    failureMessage: 'The transaction was declined by the issuer because of insufficient funds',
    recommendation: 'Ask the customer to use another card or another payment method.',
    stage: 'authorization',
  },
  CHANNEL_UNAVAILABLE: {
    failureCode: 'CHANNEL_UNAVAILABLE',
    failureMessage: 'The card channel is unavailable',
    recommendation: 'Retry in a few minutes or offer another payment method.',
    stage: 'authorization',
  },
  CANCELLED_BY_USER: {
    failureCode: 'CANCELLED_BY_USER',
    failureMessage: 'The customer cancelled the payment during 3-D Secure verification',
    recommendation: 'Offer the customer to pay again.',
    stage: 'authentication',
  },
} as const satisfies Record<string, CardFailure>;

export type CardFailureScenario = keyof typeof CARD_FAILURES;
/** What the sandbox issuer answers: success, or one of the failure scenarios. */
export type Verdict = 'SUCCESS' | CardFailureScenario;

export function isVerdict(value: string): value is Verdict {
  return value === 'SUCCESS' || Object.hasOwn(CARD_FAILURES, value);
}

export interface SandboxScenario {
  /** Whether 3-D Secure challenges this card when the merchant leaves the choice to it (AUTOMATIC). */
  challenge: boolean;
  verdict: Verdict;
  /** One of Pivot's documented test cards (their issuer is the sandbox bank). */
  testCard: boolean;
}

/** Pivot's success test cards, by network: paid at once, and paid after the ACS page's OTP. */
export const FRICTIONLESS_TEST_CARDS: Readonly<Record<CardNetwork, string>> = {
  VISA: '4440000112200001',
  MASTERCARD: '5550000112230001',
  JCB: '3550000112280001',
};
export const CHALLENGE_TEST_CARDS: Readonly<Record<CardNetwork, string>> = {
  VISA: '4440000112290002',
  MASTERCARD: '5550000112220002',
  JCB: '3550000112270002',
};

const FRICTIONLESS = new Set(Object.values(FRICTIONLESS_TEST_CARDS));
const CHALLENGED = new Set(Object.values(CHALLENGE_TEST_CARDS));

/**
 * The scenario number (last four digits) of Pivot's failure cards. 0001–0008 are on Pivot's simulation
 * page for all three networks; 0010 and 0012 are its Visa examples in §12; 0009 (the row after
 * BLOCKED_BY_FDS) and 0011 are Kasir's reading of the pattern.
 */
export const FAILURE_CARD_SCENARIOS: Readonly<Record<string, CardFailureScenario>> = {
  '0001': 'DECLINED',
  '0002': 'EXPIRED_CARD',
  '0003': 'INVALID_CVV',
  '0004': 'INVALID_ACCOUNT',
  '0005': 'AUTHENTICATION_FAILED',
  '0006': 'STOLEN_CARD',
  '0007': 'BLOCKED_ACCOUNT',
  '0008': 'BLOCKED_BY_FDS',
  '0009': 'REQUIRE_REVIEW',
  '0010': 'INSUFFICIENT_FUND',
  '0011': 'CHANNEL_UNAVAILABLE',
  '0012': 'CANCELLED_BY_USER',
};

const FAILURE_CARD = /^(?:444|555|355)00003344[0-9]([0-9]{4})$/;

/** What a card does in the sandbox: Pivot's test cards as documented; any other valid card pays without a challenge. */
export function sandboxScenario(digits: string): SandboxScenario {
  if (FRICTIONLESS.has(digits)) return { challenge: false, verdict: 'SUCCESS', testCard: true };
  if (CHALLENGED.has(digits)) return { challenge: true, verdict: 'SUCCESS', testCard: true };
  const failure = FAILURE_CARD.exec(digits);
  const scenario = failure && luhnValid(digits) ? FAILURE_CARD_SCENARIOS[failure[1]!] : undefined;
  // Pivot marks every failure card "Need Mock 3DS: Yes": the shopper meets the ACS page first.
  if (scenario) return { challenge: true, verdict: scenario, testCard: true };
  return { challenge: false, verdict: 'SUCCESS', testCard: false };
}

/** Pivot's test cards by scenario, for documentation, the page's sandbox hint and tests. */
export function testCardNumber(network: CardNetwork, scenarioNumber: string): string {
  const prefix = { VISA: '4440000', MASTERCARD: '5550000', JCB: '3550000' }[network];
  for (let check = 0; check <= 9; check++) {
    const candidate = `${prefix}3344${check}${scenarioNumber}`;
    if (luhnValid(candidate)) return candidate;
  }
  throw new Error('unreachable: one check digit always satisfies Luhn');
}
