// The refund state machine and the money rule it guards. A refund reserves its amount on the charge it
// returns; the reservations of refunds that are not FAILED or CANCELLED never exceed what the charge paid.
// Each decision returns the next refund, the charge with its refund totals, and the callbacks owed; the use
// case writes them under the session's version (compare-and-set), so two refunds can never both take the
// last rupiah.
import { capturedTotal } from './card/captures.ts';
import { Refusal } from './refusal.ts';
import { sandboxStep } from './refund-sandbox.ts';
import { refundPreferenceOf, type Refund, type RefundRequest } from './refund.ts';
import type { Charge, ChargeRefunds, Session } from './session.ts';
import type { CallbackEvent, DestinationType, RefundSimulationOutcome, RefundStatus } from './statuses.ts';
import { isOneOf } from './json.ts';

const TRANSITIONS: Record<RefundStatus, readonly RefundStatus[]> = {
  // SUCCESS straight from PENDING: the channel took the money back (or the sandbox settled it at once).
  PENDING: ['SUCCESS', 'WAITING_BANK_TRANSFER', 'FAILED'],
  WAITING_BANK_TRANSFER: ['SUCCESS', 'FAILED'],
  SUCCESS: [],
  FAILED: [],
  CANCELLED: [],
};

/** Refunds still on their way: they hold their amount and may move on. */
export const OPEN_REFUND_STATUSES = ['PENDING', 'WAITING_BANK_TRANSFER'] as const satisfies readonly RefundStatus[];

/** The callback each status owes (CANCELLED is never reached by Kasir). */
const EVENT_OF: Record<RefundStatus, CallbackEvent | undefined> = {
  PENDING: 'REFUND.PENDING',
  WAITING_BANK_TRANSFER: 'REFUND.WAITING_BANK_TRANFER',
  SUCCESS: 'REFUND.SUCCESS',
  FAILED: 'REFUND.FAILED',
  CANCELLED: undefined,
};

export function canRefundTransition(from: RefundStatus, to: RefundStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isOpenRefund(status: RefundStatus): boolean {
  return isOneOf(OPEN_REFUND_STATUSES, status);
}

export interface RefundChange {
  refund: Refund;
  /** The refunded charge with its new totals. */
  charge: Charge;
  events: CallbackEvent[];
}

const totals = (charge: Charge): ChargeRefunds => charge.refunds ?? { reserved: 0, refunded: 0 };

/**
 * What a charge paid: its amount, or for a card authorization captured by hand what was captured (a capture
 * with releaseRemainingAmount leaves the rest of the authorization unpaid).
 */
export function paidValue(charge: Charge): number {
  return charge.card?.captures ? capturedTotal(charge) : charge.amount.value;
}

/** What can still be refunded of a charge: what it paid less every refund not FAILED or CANCELLED. */
export function refundableAmount(charge: Charge): number {
  return paidValue(charge) - totals(charge).reserved;
}

/** Only a paid charge is refunded: the SUCCESS charge of a PAID SINGLE session, or any SUCCESS charge of a MULTIPLE one. */
export function assertRefundable(session: Session, charge: Charge): void {
  if (session.paymentType === 'SINGLE' && session.status !== 'PAID') {
    throw new Refusal(
      'state',
      'invalid_state',
      `Payment session ${session.id} is ${session.status}; only PAID sessions can be refunded`,
    );
  }
  if (charge.status !== 'SUCCESS') {
    throw new Refusal('state', 'invalid_state', `Charge ${charge.id} is ${charge.status}; only SUCCESS charges can be refunded`);
  }
}

/**
 * The charge a refund naming only the session returns: a SINGLE session's paid charge. A MULTIPLE session
 * was paid many times, so the refund must say which payment (chargeId).
 */
export function pickRefundCharge(session: Session): Charge {
  if (session.paymentType === 'MULTIPLE') {
    throw Refusal.field(
      'chargeId',
      'chargeId is required to refund a MULTIPLE payment session: each charge is refunded on its own',
    );
  }
  const paid = session.status === 'PAID' ? [...session.charges].reverse().find((c) => c.status === 'SUCCESS') : undefined;
  if (!paid) {
    throw new Refusal(
      'state',
      'invalid_state',
      `Payment session ${session.id} is ${session.status}; only PAID sessions can be refunded`,
    );
  }
  return paid;
}

export interface NewRefund {
  id: string;
  session: Session;
  charge: Charge;
  request: RefundRequest;
  /** From the payment method's module: whether an AUTO refund can go back through the channel. */
  refundsThroughChannel: boolean;
  /** Sandbox: how long until the refund moves on by itself; null in production. */
  stepDelayMs: number | null;
  now: Date;
}

function exceeded(charge: Charge, asked: number): Refusal {
  const left = refundableAmount(charge);
  const { currency } = charge.amount;
  const message =
    left <= 0
      ? `Charge ${charge.id} has nothing left to refund: its ${paidValue(charge)} ${currency} are refunded or being refunded`
      : `A refund of ${asked} ${currency} exceeds what remains refundable on charge ${charge.id}: ${left} ${currency} ` +
        `(${paidValue(charge)} paid, ${totals(charge).reserved} refunded or being refunded)`;
  return new Refusal('state', 'refund_amount_exceeded', message);
}

/** A new PENDING refund, its amount reserved on the charge. */
export function decideCreateRefund(input: NewRefund): RefundChange {
  const { session, charge, request, now } = input;
  assertRefundable(session, charge);
  const remaining = refundableAmount(charge);
  const value = request.isFullAmount ? remaining : (request.amount?.value ?? 0);
  if (request.amount && request.amount.currency !== charge.amount.currency) {
    throw Refusal.field('amount.currency', `amount.currency must be the payment's currency ${charge.amount.currency}`);
  }
  if (value <= 0 || value > remaining) throw exceeded(charge, value);

  // Pivot's table: a TRANSFER_ONLY request carries its destination (the customer's is only for AUTO's fallback).
  if (request.method === 'TRANSFER_ONLY' && request.transferDestination === undefined) {
    throw Refusal.field('transferDestination', 'transferDestination is required when method is TRANSFER_ONLY');
  }
  const preference = refundPreferenceOf(session.echo.customer);
  const method = request.method ?? preference.method ?? 'AUTO';
  const payoutDestination = request.transferDestination ?? preference.transferDestination;
  const route: DestinationType = method === 'AUTO' && input.refundsThroughChannel ? 'CHANNEL' : 'ACCOUNT';
  if (route === 'ACCOUNT' && payoutDestination === undefined) {
    throw Refusal.field(
      'transferDestination',
      method === 'TRANSFER_ONLY'
        ? "transferDestination is required: the customer's refundPreference is TRANSFER_ONLY but names no transferDestination"
        : `transferDestination is required: ${session.paymentMethod?.type ?? 'this'} payments are refunded by bank transfer only, and the customer has no refundPreference.transferDestination`,
    );
  }
  const refund: Refund = {
    id: input.id,
    merchantId: session.merchantId,
    clientReferenceId: request.clientReferenceId,
    paymentSessionId: session.id,
    chargeId: charge.id,
    isFullAmount: request.isFullAmount,
    amount: { value, currency: charge.amount.currency },
    capturedAmount: { value: paidValue(charge), currency: charge.amount.currency },
    reason: request.reason,
    ...(request.description !== undefined && { description: request.description }),
    method,
    ...(request.transferDestination !== undefined && { transferDestination: request.transferDestination }),
    ...(payoutDestination !== undefined && { payoutDestination }),
    route,
    destinationType: null,
    ...(request.metadata !== undefined && { metadata: request.metadata }),
    status: 'PENDING',
    nextStepAt: input.stepDelayMs === null ? null : new Date(now.getTime() + input.stepDelayMs),
    createdAt: now,
    updatedAt: now,
    version: 0,
  };
  const { reserved, refunded } = totals(charge);
  return { refund, charge: { ...charge, refunds: { reserved: reserved + value, refunded } }, events: ['REFUND.PENDING'] };
}

interface Move {
  status: RefundStatus;
  route: DestinationType;
  failure?: { code: string; message: string };
}

/**
 * The refund moves to `to.status`; a final status fixes destinationType and settles the charge's totals
 * (SUCCESS: refunded; FAILED: its reservation released).
 */
function move(refund: Refund, charge: Charge, to: Move, now: Date, stepDelayMs: number | null): RefundChange {
  if (!canRefundTransition(refund.status, to.status)) {
    throw new Refusal('state', 'invalid_state', `Refund ${refund.id} cannot move from ${refund.status} to ${to.status}`);
  }
  if (charge.id !== refund.chargeId) throw new Error(`refund ${refund.id} returns charge ${refund.chargeId}, not ${charge.id}`);
  const open = isOpenRefund(to.status);
  const next: Refund = {
    ...refund,
    status: to.status,
    route: to.route,
    destinationType: open ? null : to.route,
    ...(to.failure && { failureCode: to.failure.code, failureMessage: to.failure.message }),
    nextStepAt: open && stepDelayMs !== null ? new Date(now.getTime() + stepDelayMs) : null,
    updatedAt: now,
    version: refund.version + 1,
  };
  const { reserved, refunded } = totals(charge);
  const value = refund.amount.value;
  const refunds =
    to.status === 'SUCCESS'
      ? { reserved, refunded: refunded + value }
      : to.status === 'FAILED'
        ? { reserved: reserved - value, refunded }
        : { reserved, refunded };
  const event = EVENT_OF[to.status];
  return { refund: next, charge: { ...charge, refunds }, events: event ? [event] : [] };
}

/** The sandbox moves a due refund one step on (refund-sandbox.ts decides which). */
export function decideSandboxStep(refund: Refund, charge: Charge, now: Date, stepDelayMs: number): RefundChange {
  if (!isOpenRefund(refund.status)) {
    throw new Refusal('state', 'invalid_state', `Refund ${refund.id} is ${refund.status}; it can no longer move`);
  }
  return move(refund, charge, sandboxStep(refund), now, stepDelayMs);
}

/** The sandbox endpoint settles an open refund at once, the way it is being sent now. */
export function decideSettle(refund: Refund, charge: Charge, outcome: RefundSimulationOutcome, now: Date): RefundChange {
  if (!isOpenRefund(refund.status)) {
    throw new Refusal(
      'state',
      'invalid_state',
      `Refund ${refund.id} is ${refund.status}; only PENDING or WAITING_BANK_TRANSFER refunds can be settled`,
    );
  }
  const failure = { code: 'DECLINED_BY_CHANNEL', message: 'Failed by a sandbox simulation' };
  return move(refund, charge, { status: outcome, route: refund.route, ...(outcome === 'FAILED' && { failure }) }, now, null);
}
