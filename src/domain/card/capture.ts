// Manual capture (pivot-api §5.7): a card charge authorized with captureMethod manual waits
// (session PROCESSING, charge WAITING_FOR_CAPTURE) while the merchant captures all or part of it, as
// many times as it likes while the total stays within the authorization. The capture that takes the
// last of it, or one with releaseRemainingAmount, ends it: charge SUCCESS, session PAID, PAYMENT.PAID.
import { Refusal } from '../refusal.ts';
import { decideChargeProgress, decidePay, type Change } from '../session-state.ts';
import type { Money, Session } from '../session.ts';
import { authorizedValue, capturedTotal, type CaptureRecord } from './captures.ts';

export interface CaptureRequest {
  /** Omitted: everything not captured yet. 0 only releases the rest (after an earlier capture). */
  amount?: Money;
  releaseRemainingAmount: boolean;
  /** X-REQUEST-ID, when the merchant sent one. */
  requestId?: string;
}

export type CaptureDecision =
  { kind: 'replay'; capture: CaptureRecord } | { kind: 'capture'; capture: CaptureRecord; change: Change };

function waitingCharge(session: Session) {
  const charge = session.charges[session.charges.length - 1];
  if (!charge?.card || charge.card.captureMethod !== 'manual') {
    throw new Refusal('state', 'invalid_state', 'Only a card payment created with captureMethod manual can be captured');
  }
  if (session.status !== 'PROCESSING' || charge.status !== 'WAITING_FOR_CAPTURE') {
    throw new Refusal(
      'state',
      'invalid_state',
      `The charge is ${charge.status}; it can be captured only while it is WAITING_FOR_CAPTURE`,
    );
  }
  return { charge, card: charge.card };
}

/** The capture a request with this X-REQUEST-ID already made, if any; the same key with another body is refused. */
function earlierCapture(session: Session, request: CaptureRequest): CaptureRecord | undefined {
  if (request.requestId === undefined) return undefined;
  const earlier = session.charges.flatMap((c) => c.card?.captures ?? []).find((c) => c.requestId === request.requestId);
  if (!earlier) return undefined;
  const sameBody =
    earlier.releaseRemainingAmount === request.releaseRemainingAmount &&
    (request.amount === undefined || request.amount.value === earlier.amount);
  if (!sameBody) {
    throw Refusal.idempotencyConflict();
  }
  return earlier;
}

export function decideCapture(session: Session, request: CaptureRequest, captureId: string, now: Date): CaptureDecision {
  const replayed = earlierCapture(session, request);
  if (replayed) return { kind: 'replay', capture: replayed };
  const { charge, card } = waitingCharge(session);
  const captured = capturedTotal(charge);
  const remaining = authorizedValue(charge) - captured;
  const amount = request.amount?.value ?? remaining;
  if (request.amount && request.amount.currency !== charge.amount.currency) {
    throw Refusal.field('amount.currency', `amount.currency must be the charge's currency ${charge.amount.currency}`);
  }
  if (amount === 0 && !(request.releaseRemainingAmount && captured > 0)) {
    throw Refusal.field(
      'amount.value',
      'amount.value 0 only releases the rest of an authorization that was already partly captured (releaseRemainingAmount true)',
    );
  }
  if (amount > remaining) {
    throw new Refusal(
      'state',
      'capture_amount_exceeded',
      `Capturing ${amount} would exceed the authorized amount: ${remaining} of ${authorizedValue(charge)} is left to capture`,
      [{ field: 'amount.value', message: `at most ${remaining} can still be captured` }],
    );
  }
  const capture: CaptureRecord = {
    id: captureId,
    amount,
    releaseRemainingAmount: request.releaseRemainingAmount,
    createdAt: now,
    ...(request.requestId !== undefined && { requestId: request.requestId }),
  };
  const next = { ...charge, card: { ...card, captures: [...(card.captures ?? []), capture] }, updatedAt: now };
  const withCapture: Session = { ...session, charges: [...session.charges.slice(0, -1), next] };
  const ends = request.releaseRemainingAmount || amount === remaining;
  // Captures short of the end change only the charge: the merchant made them and has the answer.
  const change = ends ? decidePay(withCapture, now) : decideChargeProgress(withCapture, next, now);
  return { kind: 'capture', capture, change };
}
