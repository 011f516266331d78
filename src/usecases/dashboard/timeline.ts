// The dashboard's Payment detail: one session's history as ordered events, and what the merchant sent as
// it sent it. Every event is read from a stored row; nothing is inferred that the tables do not record.
// Where each event's time comes from:
//   session.created   payment_sessions.created_at (when a method was chosen without being confirmed is not
//                     stored: the session's methodType says which, not when)
//   charge.issued     charges.created_at — a charge is issued when the method is confirmed (autoConfirm,
//                     confirm, the page's picker), so this is also "method confirmed"
//   charge.paid       charges.paid_at
//   charge.ended      charges.updated_at of a FAILED or EXPIRED charge: those statuses are final, so the
//                     last change of the row is the one that ended it
//   charge.captured   each capture's createdAt in the charge's stored capture history (manual card capture)
//   session.status    a PAYMENT.* callback row: written in the transaction of the status change it
//                     announces, at that change's time, its body carrying the new status (PAYMENT.PROCESSING
//                     carries REQUIRE_ACTION or ACTIVE: the charge waits for the shopper); or, for a
//                     session past its expiry that the sweeper has not yet written as expired,
//                     payment_sessions.expiry_at (what every reader already reports)
//   refund.created    refunds.created_at
//   refund.status     a REFUND.* callback row, as session.status
//   callback          callbacks.created_at, with every attempt (callback_attempts) in order
// A status change that writes no callback (e.g. to REQUIRE_CONFIRMATION) has no stored time of its own
// and gets no event.
import { Refusal } from '../../domain/refusal.ts';
import type { Charge } from '../../domain/session.ts';
import { isPastExpiry, viewAt } from '../../domain/session-state.ts';
import {
  REFUND_STATUSES,
  SESSION_STATUSES,
  type CallbackEvent,
  type ChargeStatus,
  type RefundStatus,
  type ResourceType,
  type SessionStatus,
} from '../../domain/statuses.ts';
import { attemptsOf, type CallbackAttempt, type CallbackRecord, type CallbackStatus } from '../../store/callbacks.ts';
import { callbacksOfResources, sessionHistory } from '../../store/dashboard-queries.ts';
import { findSession } from '../../store/sessions.ts';
import type { Context } from '../context.ts';
import { attemptView, nextAttemptAt, type AttemptView } from '../callback-history.ts';

type Money = { value: number; currency: string };

export interface CallbackSummary {
  id: string;
  event: CallbackEvent;
  resourceType: ResourceType;
  resourceId: string;
  status: CallbackStatus;
  deliveredAt: string | null;
  nextAttemptAt: string | null;
  attempts: AttemptView[];
}

export type TimelineEvent = { at: string } & (
  | { type: 'session.created'; amount: Money }
  | { type: 'charge.issued'; chargeId: string; methodType: string; channel: string | null; amount: Money; status: ChargeStatus }
  | { type: 'charge.paid'; chargeId: string; amount: Money }
  | { type: 'charge.ended'; chargeId: string; status: ChargeStatus; failureCode: string | null; failureMessage: string | null }
  | { type: 'charge.captured'; chargeId: string; captureId: string; amount: Money; releaseRemainingAmount: boolean }
  | { type: 'session.status'; status: SessionStatus }
  | { type: 'refund.created'; refundId: string; clientReferenceId: string; amount: Money; reason: string }
  | { type: 'refund.status'; refundId: string; status: RefundStatus }
  | { type: 'callback'; callback: CallbackSummary }
);

export interface PaymentTimeline {
  session: {
    id: string;
    clientReferenceId: string;
    amount: Money;
    status: SessionStatus;
    paymentType: string;
    mode: string;
    methodType: string | null;
    createdAt: string;
    expiryAt: string | null;
  };
  /** What the merchant sent, as it sent it. */
  merchantData: { customer: unknown; orderInformation: unknown; metadata: unknown };
  events: TimelineEvent[];
  /** MULTIPLE sessions may have many charges: the oldest beyond CHARGE_LIMIT are left out, and counted here. */
  chargesLeftOut: number;
}

export const CHARGE_LIMIT = 200;

/** Same-instant events in the order they happen within one write: the row before what it announces. */
const RANK: Record<TimelineEvent['type'], number> = {
  'session.created': 0,
  'charge.issued': 1,
  'charge.captured': 2,
  'charge.paid': 3,
  'charge.ended': 4,
  'session.status': 5,
  'refund.created': 6,
  'refund.status': 7,
  callback: 8,
};

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

function chargeChannel(charge: Charge): string | null {
  return charge.virtualAccount?.channel ?? charge.ewallet?.channel ?? null;
}

function chargeEvents(charge: Charge): TimelineEvent[] {
  const events: TimelineEvent[] = [
    {
      at: charge.createdAt.toISOString(),
      type: 'charge.issued',
      chargeId: charge.id,
      methodType: charge.methodType,
      channel: chargeChannel(charge),
      amount: charge.amount,
      status: charge.status,
    },
  ];
  for (const capture of charge.card?.captures ?? []) {
    events.push({
      at: capture.createdAt.toISOString(),
      type: 'charge.captured',
      chargeId: charge.id,
      captureId: capture.id,
      amount: { value: capture.amount, currency: charge.amount.currency },
      releaseRemainingAmount: capture.releaseRemainingAmount,
    });
  }
  if (charge.paidAt)
    events.push({ at: charge.paidAt.toISOString(), type: 'charge.paid', chargeId: charge.id, amount: charge.amount });
  if (charge.status === 'FAILED' || charge.status === 'EXPIRED') {
    events.push({
      at: charge.updatedAt.toISOString(),
      type: 'charge.ended',
      chargeId: charge.id,
      status: charge.status,
      failureCode: charge.failureCode ?? null,
      failureMessage: charge.failureMessage ?? null,
    });
  }
  return events;
}

/** The status a callback's body announces (its `data.status`), when it is one of `statuses`. */
function announcedStatus<S extends string>(callback: CallbackRecord, statuses: readonly S[]): S | undefined {
  const body: unknown = JSON.parse(callback.payload);
  if (typeof body !== 'object' || body === null || !('data' in body)) return undefined;
  const data: unknown = body.data;
  if (typeof data !== 'object' || data === null || !('status' in data)) return undefined;
  return statuses.find((s) => s === data.status);
}

function callbackEvents(callback: CallbackRecord, attempts: CallbackAttempt[]): TimelineEvent[] {
  const at = callback.createdAt.toISOString();
  const events: TimelineEvent[] = [
    {
      at,
      type: 'callback',
      callback: {
        id: callback.id,
        event: callback.event,
        resourceType: callback.resourceType,
        resourceId: callback.resourceId,
        status: callback.status,
        deliveredAt: iso(callback.deliveredAt),
        nextAttemptAt: nextAttemptAt(callback),
        attempts: attempts.map(attemptView),
      },
    },
  ];
  if (callback.event.startsWith('PAYMENT.')) {
    const status = announcedStatus(callback, SESSION_STATUSES);
    if (status) events.push({ at, type: 'session.status', status });
  } else if (callback.event.startsWith('REFUND.')) {
    const status = announcedStatus(callback, REFUND_STATUSES);
    if (status) events.push({ at, type: 'refund.status', refundId: callback.resourceId, status });
  }
  return events;
}

/** One of the merchant's payments, as its history. Another merchant's id is not found (404). */
export async function paymentTimeline(ctx: Context, merchantId: string, sessionId: string): Promise<PaymentTimeline> {
  const stored = await findSession(ctx.db, merchantId, sessionId);
  if (!stored) {
    throw new Refusal('not_found', 'resource_missing', `The payment session with ID ${sessionId} cannot be found`);
  }
  const now = ctx.now();
  const session = viewAt(stored, now);
  const history = await sessionHistory(ctx.db, merchantId, sessionId, CHARGE_LIMIT);
  const callbacks = await callbacksOfResources(ctx.db, merchantId, [
    { type: 'payment_session', id: sessionId },
    ...history.refunds.map((r) => ({ type: 'refund' as const, id: r.id })),
  ]);
  const attempts = await attemptsOf(
    ctx.db,
    callbacks.map((c) => c.id),
  );

  const events: TimelineEvent[] = [
    {
      at: stored.createdAt.toISOString(),
      type: 'session.created',
      amount: stored.amount,
    },
    ...history.charges.flatMap(chargeEvents),
    ...history.refunds.map((r): TimelineEvent => ({
      at: r.createdAt.toISOString(),
      type: 'refund.created',
      refundId: r.id,
      clientReferenceId: r.clientReferenceId,
      amount: r.amount,
      reason: r.reason,
    })),
    ...callbacks.flatMap((c) => callbackEvents(c, attempts.get(c.id) ?? [])),
  ];
  if (isPastExpiry(stored, now) && stored.expiryAt) {
    events.push({ at: stored.expiryAt.toISOString(), type: 'session.status', status: session.status });
  }
  const ordered = events
    .map((event, index) => ({ event, index }))
    .sort(
      (a, b) => Date.parse(a.event.at) - Date.parse(b.event.at) || RANK[a.event.type] - RANK[b.event.type] || a.index - b.index,
    )
    .map(({ event }) => event);

  return {
    session: {
      id: session.id,
      clientReferenceId: session.clientReferenceId,
      amount: session.amount,
      status: session.status,
      paymentType: session.paymentType,
      mode: session.mode,
      methodType: session.paymentMethod?.type ?? null,
      createdAt: session.createdAt.toISOString(),
      expiryAt: iso(session.expiryAt),
    },
    merchantData: {
      customer: session.echo.customer ?? null,
      orderInformation: session.echo.orderInformation ?? null,
      metadata: session.echo.metadata ?? null,
    },
    events: ordered,
    chargesLeftOut: history.chargesLeftOut,
  };
}
