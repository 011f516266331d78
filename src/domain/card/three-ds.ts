// The card payment's decisions after its charge is out: the shopper's card is taken (frictionless, a
// 3-D Secure challenge, or — outside the sandbox — a wait for the processor), the challenge's OTP, and the
// shopper cancelling at the ACS page. Each returns a Change for usecases/persist.ts#transition.
import { Refusal } from '../refusal.ts';
import { decideChargeProgress, decideFail, decidePay, type Change } from '../session-state.ts';
import type { Charge, Session } from '../session.ts';
import type { AuthenticationResult, CardCharge, TakenCard } from './card-charge.ts';
import { CARD_FAILURES, type SandboxScenario, type Verdict, isVerdict } from './sandbox-cards.ts';

/** The sandbox ACS accepts this one-time password and no other (Pivot's sandbox OTP). */
export const SANDBOX_OTP = '000000';
/** Wrong OTPs before the challenge fails with AUTHENTICATION_FAILED. */
export const MAX_WRONG_OTPS = 3;

/** Random digits for the issuer's reference numbers; passed in, the domain has no randomness of its own. */
export type Digits = (count: number) => string;

function currentCardCharge(session: Session): { charge: Charge; card: CardCharge } {
  const charge = session.charges[session.charges.length - 1];
  if (!charge?.card) throw new Refusal('state', 'invalid_state', 'This payment session has no card charge');
  return { charge, card: charge.card };
}

function withCurrent(session: Session, charge: Charge): Session {
  return { ...session, charges: [...session.charges.slice(0, -1), charge] };
}

const ECI = {
  VISA: { ok: '05', failed: '07' },
  JCB: { ok: '05', failed: '07' },
  MASTERCARD: { ok: '02', failed: '00' },
} as const;

function authentication(card: TakenCard, method: AuthenticationResult['threeDsMethod'], passed: boolean): AuthenticationResult {
  return {
    threeDsVersion: '2.2.0',
    threeDsResult: passed ? 'Y' : 'N',
    threeDsMethod: method,
    eciCode: ECI[card.brand][passed ? 'ok' : 'failed'],
  };
}

/**
 * The issuer's answer, written on the charge: PAID with its authorization, or CANCELLED (CHARGE_FAILED)
 * with the failure's code, message and recommendation. `auth` is undefined when 3-D Secure did not run.
 */
function settle(session: Session, verdict: Verdict, auth: AuthenticationResult | undefined, now: Date, digits: Digits): Change {
  const { charge, card } = currentCardCharge(session);
  const failure = verdict === 'SUCCESS' ? undefined : CARD_FAILURES[verdict];
  const authorized = !failure;
  const references = {
    acquirerReferenceNumber: digits(23),
    retrievalReferenceNumber: digits(12),
    stan: digits(6),
    avsResult: 'U',
    cvvResult: verdict === 'INVALID_CVV' ? ('N' as const) : ('M' as const),
  };
  const risky = failure?.stage === 'fds';
  const settled: CardCharge = {
    ...card,
    challenge: undefined,
    ...(auth && { authentication: auth }),
    fds: {
      score: verdict === 'BLOCKED_BY_FDS' ? 92 : verdict === 'REQUIRE_REVIEW' ? 64 : 12,
      level: verdict === 'BLOCKED_BY_FDS' ? 'HIGH' : verdict === 'REQUIRE_REVIEW' ? 'MEDIUM' : 'LOW',
      recommendation: risky ? 'Reject' : 'Approve',
      status: risky ? 'REJECTED' : 'PASSED',
      evaluatedAt: now,
    },
    ...(failure?.stage === 'authorization' && {
      authorization: { ...references, authorizedAmount: null, issuerAuthorizationCode: null },
    }),
    ...(authorized && {
      authorization: { ...references, authorizedAmount: charge.amount, issuerAuthorizationCode: digits(6) },
    }),
    ...(failure && { recommendation: failure.recommendation }),
  };
  // An authentication failure never reaches the fraud check.
  if (failure?.stage === 'authentication') delete settled.fds;
  const next = withCurrent(session, { ...charge, card: settled, updatedAt: now });
  if (failure) return decideFail(next, now, failure.failureCode, failure.failureMessage);
  if (card.captureMethod === 'manual') {
    // Authorized, not taken (pivot-api §7.3: PROCESSING / WAITING_FOR_CAPTURE). The merchant must capture,
    // so it hears of this step even when the challenge already sent PAYMENT.PROCESSING.
    const waiting = decideChargeProgress(
      next,
      { ...charge, card: { ...settled, captures: [] }, status: 'WAITING_FOR_CAPTURE', updatedAt: now },
      now,
    );
    return { ...waiting, events: ['PAYMENT.PROCESSING'] };
  }
  return decidePay(next, now);
}

/**
 * The shopper's card is in. In the sandbox the test card decides (pivot-api §12) and threeDsMethod whether
 * the ACS page shows first: NEVER skips 3-D Secure, CHALLENGE always asks, AUTOMATIC asks when the card
 * does. Without a sandbox scenario (production) the charge waits for the processor's answer, as VA and
 * QR charges wait for the bank.
 */
export function decideCardTaken(
  session: Session,
  card: TakenCard,
  scenario: SandboxScenario | undefined,
  now: Date,
  digits: Digits,
): Change {
  const { charge, card: current } = currentCardCharge(session);
  if (session.status !== 'REQUIRE_ACTION' || charge.status !== 'WAITING_FOR_USER_ACTION' || current.card) {
    throw new Refusal('state', 'invalid_state', `Payment session is ${session.status}; a card was already submitted`);
  }
  const taken: Charge = { ...charge, card: { ...current, card }, updatedAt: now };
  const next = withCurrent(session, taken);
  if (!scenario) return decideChargeProgress(next, { ...taken, status: 'PROCESSING' }, now);
  const challenge = current.threeDsMethod === 'CHALLENGE' || (current.threeDsMethod === 'AUTOMATIC' && scenario.challenge);
  if (challenge) {
    const waiting: Charge = {
      ...taken,
      status: 'WAITING_FOR_AUTHENTICATION',
      card: { ...current, card, challenge: { verdict: scenario.verdict, wrongOtps: 0 } },
    };
    return decideChargeProgress(next, waiting, now);
  }
  const auth = current.threeDsMethod === 'NEVER' ? undefined : authentication(card, 'FRICTIONLESS', true);
  return settle(next, scenario.verdict, auth, now, digits);
}

function openChallenge(session: Session): {
  charge: Charge;
  card: CardCharge & Required<Pick<CardCharge, 'card' | 'challenge'>>;
} {
  const { charge, card } = currentCardCharge(session);
  if (charge.status !== 'WAITING_FOR_AUTHENTICATION' || !card.challenge || !card.card) {
    throw new Refusal('state', 'invalid_state', 'This payment is not waiting for 3-D Secure verification');
  }
  return { charge, card: { ...card, card: card.card, challenge: card.challenge } };
}

/** The result of an OTP the shopper typed at the sandbox ACS page. */
export function decideOtp(session: Session, otp: string, now: Date, digits: Digits): Change {
  const { charge, card } = openChallenge(session);
  const verdict = card.challenge.verdict;
  if (!isVerdict(verdict)) throw new Error(`stored 3-D Secure verdict ${verdict} is not one Kasir knows`);
  if (otp === SANDBOX_OTP) {
    const passed = verdict !== 'AUTHENTICATION_FAILED';
    return settle(session, verdict, authentication(card.card, 'CHALLENGE', passed), now, digits);
  }
  const wrongOtps = card.challenge.wrongOtps + 1;
  if (wrongOtps >= MAX_WRONG_OTPS) {
    return settle(session, 'OTP_ATTEMPTS_EXHAUSTED', authentication(card.card, 'CHALLENGE', false), now, digits);
  }
  const retry: Charge = { ...charge, card: { ...card, challenge: { verdict, wrongOtps } }, updatedAt: now };
  return decideChargeProgress(session, retry, now);
}

/** The shopper pressed cancel at the ACS page. */
export function decideChallengeCancelled(session: Session, now: Date, digits: Digits): Change {
  const { card } = openChallenge(session);
  return settle(session, 'CANCELLED_BY_USER', authentication(card.card, 'CHALLENGE', false), now, digits);
}

/** Wrong OTPs the shopper may still type before the challenge fails. */
export function otpAttemptsLeft(charge: Charge): number {
  return MAX_WRONG_OTPS - (charge.card?.challenge?.wrongOtps ?? 0);
}
