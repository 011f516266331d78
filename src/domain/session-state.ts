// The session state machine: an allow-list of transitions and the decisions built on it. Each decision
// takes the current session and `now`, and returns the next session plus the callback events it owes.
// Persisting that change (compare-and-set on `version`) is the use case's job.
import { failureMessageFor } from './charge-failures.ts';
import { isPartlyCaptured } from './card/captures.ts';
import type { ChargeDetails } from './methods/method.ts';
import { Refusal } from './refusal.ts';
import { CHARGE_WINDOW, type Charge, type MethodChoice, type Money, type Session } from './session.ts';
import { isFinal, type CallbackEvent, type CancellationReason, type SessionStatus } from './statuses.ts';

const TRANSITIONS: Record<SessionStatus, readonly SessionStatus[]> = {
  REQUIRE_PAYMENT_METHOD: ['REQUIRE_CONFIRMATION', 'REQUIRE_ACTION', 'ACTIVE', 'CANCELLED', 'EXPIRED'],
  REQUIRE_CONFIRMATION: ['REQUIRE_ACTION', 'ACTIVE', 'CANCELLED', 'EXPIRED'],
  // A VA/QR charge is out: only the customer paying, the charge failing or time can end it.
  REQUIRE_ACTION: ['PROCESSING', 'PAID', 'CANCELLED', 'EXPIRED'],
  // A pull payment's charge moves on while the session stays PROCESSING: the shopper's OTP/PIN is awaited,
  // then the channel processes it (pivot-api §7.3).
  // It also lets a card's 3-D Secure challenge record a wrong OTP and stay open.
  PROCESSING: ['PROCESSING', 'PAID', 'CANCELLED', 'EXPIRED'],
  ACTIVE: ['ACTIVE', 'INACTIVE'],
  PAID: [],
  CANCELLED: [],
  EXPIRED: [],
  INACTIVE: [],
};

/** Which statuses each action may start from (pivot-api §5.6, §7.3). */
export const CONFIRMABLE: readonly SessionStatus[] = ['REQUIRE_PAYMENT_METHOD', 'REQUIRE_CONFIRMATION'];
export const CANCELLABLE: readonly SessionStatus[] = ['REQUIRE_PAYMENT_METHOD', 'REQUIRE_CONFIRMATION'];
export const PAYABLE: readonly SessionStatus[] = ['REQUIRE_ACTION', 'PROCESSING', 'ACTIVE'];

export interface Change {
  session: Session;
  events: CallbackEvent[];
}

export function canTransition(from: SessionStatus, to: SessionStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** True once the session's time is up, whether or not the sweeper has recorded it. */
export function isPastExpiry(session: Pick<Session, 'status' | 'expiryAt'>, now: Date): boolean {
  return !isFinal(session.status) && session.expiryAt !== null && session.expiryAt.getTime() <= now.getTime();
}

/**
 * The session as a reader at `now` must see it: a session past its expiry is reported EXPIRED (or
 * INACTIVE) even before the sweeper writes that down, so it is never shown as payable.
 */
export function viewAt(session: Session, now: Date): Session {
  return isPastExpiry(session, now) ? decideExpire(session, session.expiryAt!).session : session;
}

function move(session: Session, to: SessionStatus, now: Date, patch: Partial<Session> = {}): Session {
  if (!canTransition(session.status, to)) {
    throw new Refusal('state', 'invalid_state', `Payment session cannot move from ${session.status} to ${to}`);
  }
  return { ...session, ...patch, status: to, updatedAt: now, version: session.version + 1 };
}

/** True when the session's time ran out, whether or not the sweeper has written EXPIRED/INACTIVE yet. */
export function hasExpired(session: Session, now: Date): boolean {
  return isPastExpiry(session, now) || session.status === 'EXPIRED' || session.status === 'INACTIVE';
}

/** A session whose time ran out gets one answer, before any other check, whatever the action. */
export function refuseIfExpired(session: Session, now: Date): void {
  if (hasExpired(session, now)) {
    throw new Refusal('state', 'payment_session_expired', `Payment session ${session.id} has expired`);
  }
}

function refuseUnless(session: Session, allowed: readonly SessionStatus[], action: string, now: Date): void {
  refuseIfExpired(session, now);
  if (!allowed.includes(session.status)) {
    throw new Refusal(
      'state',
      'invalid_state',
      `Payment session is ${session.status}; it can be ${action} only when status is ${allowed.join(' or ')}`,
    );
  }
}

export function assertConfirmable(session: Session, now: Date): void {
  refuseUnless(session, CONFIRMABLE, 'confirmed', now);
}

/** A method is chosen but the merchant wants to confirm it later (autoConfirm: false). */
export function decideChooseMethod(session: Session, choice: MethodChoice, now: Date): Change {
  refuseUnless(session, ['REQUIRE_PAYMENT_METHOD'], 'given a payment method', now);
  return { session: move(session, 'REQUIRE_CONFIRMATION', now, { paymentMethod: choice }), events: [] };
}

/** The charge is out (VA number or QR content issued): the customer must now pay. */
export function decideIssueCharge(session: Session, choice: MethodChoice, charge: Charge, now: Date): Change {
  assertConfirmable(session, now);
  const to = session.paymentType === 'MULTIPLE' ? 'ACTIVE' : 'REQUIRE_ACTION';
  const expiryAt = charge.expiryAt ?? session.expiryAt;
  const next = move(session, to, now, { paymentMethod: choice, ...withCharge(session, charge), expiryAt });
  return { session: next, events: to === 'REQUIRE_ACTION' ? ['PAYMENT.PROCESSING'] : [] };
}

/** One more charge: counted, and kept in the window of the latest CHARGE_WINDOW the session carries. */
function withCharge(session: Session, charge: Charge): Pick<Session, 'charges' | 'chargeCount'> {
  return { charges: [...session.charges, charge].slice(-CHARGE_WINDOW), chargeCount: session.chargeCount + 1 };
}

/** The latest charge, which a pull payment's steps move on; refused unless it is at one of `allowed`. */
function pullCharge(session: Session, allowed: readonly Charge['status'][], action: string): Charge {
  const charge = session.charges[session.charges.length - 1];
  if (!charge || !allowed.includes(charge.status)) {
    throw new Refusal('state', 'invalid_state', `The payment's charge is ${charge?.status ?? 'missing'}; it cannot be ${action}`);
  }
  return charge;
}

function replaceLast(session: Session, charge: Charge): Charge[] {
  return [...session.charges.slice(0, -1), charge];
}

/**
 * A pull payment reached the shopper's account (signed in to the wallet, or the push went to their phone):
 * the account is on the charge, which now waits for the shopper's OTP or PIN (pivot-api §7.3). Naming
 * another account while still waiting replaces it.
 */
export function decideAwaitAuthentication(session: Session, details: ChargeDetails, now: Date): Change {
  refuseUnless(session, ['REQUIRE_ACTION', 'PROCESSING'], 'given an account', now);
  const charge = pullCharge(session, ['WAITING_FOR_USER_ACTION', 'WAITING_FOR_AUTHENTICATION'], 'given an account');
  const next = { ...charge, ...details, status: 'WAITING_FOR_AUTHENTICATION' as const, updatedAt: now };
  return {
    session: move(session, 'PROCESSING', now, { charges: replaceLast(session, next) }),
    events: session.status === 'PROCESSING' ? [] : ['PAYMENT.PROCESSING'],
  };
}

/** The shopper authorised a pull payment; the channel is processing it (pivot-api §7.3). */
export function decideProcess(session: Session, now: Date): Change {
  refuseUnless(session, ['REQUIRE_ACTION', 'PROCESSING'], 'processed', now);
  const charge = pullCharge(session, ['WAITING_FOR_USER_ACTION', 'WAITING_FOR_AUTHENTICATION'], 'processed');
  const next = { ...charge, status: 'PROCESSING' as const, updatedAt: now };
  return {
    session: move(session, 'PROCESSING', now, { charges: replaceLast(session, next) }),
    events: session.status === 'PROCESSING' ? [] : ['PAYMENT.PROCESSING'],
  };
}

export function decideCancel(session: Session, reason: CancellationReason, now: Date): Change {
  refuseUnless(session, CANCELLABLE, 'cancelled', now);
  // Pivot's example resets expiryAt to the cancel time: the session is over.
  const next = move(session, 'CANCELLED', now, { cancelledAt: now, cancellationReason: reason, expiryAt: now });
  return { session: next, events: ['PAYMENT.CANCELLED'] };
}

/** The customer paid. SINGLE sessions end PAID; MULTIPLE sessions record one more successful charge. */
export function decidePay(session: Session, now: Date, newCharge?: { id: string; amount: Money }): Change {
  refuseUnless(session, PAYABLE, 'paid', now);
  if (session.status === 'ACTIVE') {
    if (!newCharge) throw new Error('a MULTIPLE session needs the new charge to record');
    const template = session.charges[0];
    if (!template) throw new Error('an ACTIVE session carries the charge that made it ACTIVE');
    const charge: Charge = {
      ...template,
      refunds: undefined,
      id: newCharge.id,
      amount: newCharge.amount,
      status: 'SUCCESS',
      createdAt: now,
      updatedAt: now,
      paidAt: now,
    };
    return { session: move(session, 'ACTIVE', now, withCharge(session, charge)), events: ['CHARGE.SUCCESS'] };
  }
  const charges = session.charges.map((c, i) =>
    i === session.charges.length - 1 ? { ...c, status: 'SUCCESS' as const, paidAt: now, updatedAt: now } : c,
  );
  return { session: move(session, 'PAID', now, { charges }), events: ['PAYMENT.PAID'] };
}

/** The charge was rejected: the SINGLE session is cancelled with CHARGE_FAILED (pivot-api §7.3). */
export function decideFail(
  session: Session,
  now: Date,
  failureCode = 'DECLINED_BY_CHANNEL',
  failureMessage = failureMessageFor(failureCode),
): Change {
  refuseUnless(session, ['REQUIRE_ACTION', 'PROCESSING'], 'failed', now);
  const charges = session.charges.map((c, i) =>
    i === session.charges.length - 1
      ? {
          ...c,
          status: 'FAILED' as const,
          updatedAt: now,
          failureCode,
          failureMessage,
        }
      : c,
  );
  const next = move(session, 'CANCELLED', now, { charges, cancelledAt: now, cancellationReason: 'CHARGE_FAILED' });
  return { session: next, events: ['PAYMENT.CANCELLED'] };
}

/** A charge at one of these can still be paid, so it expires with its session. */
const OPEN_CHARGE_STATUSES: readonly Charge['status'][] = [
  'WAITING_FOR_USER_ACTION',
  'WAITING_FOR_AUTHENTICATION',
  'PROCESSING',
  // an authorization nobody captured lapses with the session
  'WAITING_FOR_CAPTURE',
];
/**
 * The current charge moved on without ending the session (a card taken and waiting for 3-D Secure or the
 * processor): the session is PROCESSING while it does; the merchant hears of the first move only.
 */
export function decideChargeProgress(session: Session, charge: Charge, now: Date): Change {
  refuseUnless(session, ['REQUIRE_ACTION', 'PROCESSING'], 'processed', now);
  const charges = [...session.charges.slice(0, -1), charge];
  const events: CallbackEvent[] = session.status === 'PROCESSING' ? [] : ['PAYMENT.PROCESSING'];
  return { session: move(session, 'PROCESSING', now, { charges }), events };
}

/** Time is up (sweeper, simulation, or a late action that finds it so). `at` is when it expired. */
export function decideExpire(session: Session, at: Date): Change {
  if (session.status === 'EXPIRED' || session.status === 'INACTIVE') {
    throw new Refusal('state', 'payment_session_expired', `Payment session ${session.id} has expired`);
  }
  if (isFinal(session.status)) {
    throw new Refusal('state', 'invalid_state', `Payment session is ${session.status}; it can no longer expire`);
  }
  const last = session.charges[session.charges.length - 1];
  if (last && isPartlyCaptured(last)) {
    // Money already captured is not handed back by time: the rest of the authorization is released and
    // the session is paid with what was taken.
    const paid = { ...last, status: 'SUCCESS' as const, paidAt: at, updatedAt: at };
    return { session: move(session, 'PAID', at, { charges: replaceLast(session, paid) }), events: ['PAYMENT.PAID'] };
  }
  const to = session.status === 'ACTIVE' ? 'INACTIVE' : 'EXPIRED';
  const charges = session.charges.map((c) =>
    OPEN_CHARGE_STATUSES.includes(c.status) ? { ...c, status: 'EXPIRED' as const, updatedAt: at } : c,
  );
  const expiryAt = session.expiryAt !== null && session.expiryAt.getTime() < at.getTime() ? session.expiryAt : at;
  return { session: move(session, to, at, { charges, expiryAt }), events: ['PAYMENT.CANCELLED'] };
}
