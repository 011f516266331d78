// What a manual-capture card charge has captured so far (pivot-api §5.7, §6.2). A leaf of the domain:
// the capture decisions (capture.ts) and the session's expiry (session-state.ts) both read it.
import type { Charge } from '../session.ts';

/** One capture on a charge, as its captureHistories entry and the capture endpoint's answer show it. */
export interface CaptureRecord {
  id: string;
  /** Integer, in the charge's currency. */
  amount: number;
  releaseRemainingAmount: boolean;
  createdAt: Date;
  /** The X-REQUEST-ID it came with, so a retried request replays this capture instead of taking more. */
  requestId?: string;
}

/** Sum of the charge's captures: what the merchant has taken of the authorization. */
export function capturedTotal(charge: Charge): number {
  return (charge.card?.captures ?? []).reduce((sum, c) => sum + c.amount, 0);
}

/** The authorized amount, or 0 when the issuer has not authorized the charge. */
export function authorizedValue(charge: Charge): number {
  return charge.card?.authorization?.authorizedAmount?.value ?? 0;
}

/** An authorization waiting for capture that already took part of its amount. */
export function isPartlyCaptured(charge: Charge): boolean {
  return charge.status === 'WAITING_FOR_CAPTURE' && capturedTotal(charge) > 0;
}
