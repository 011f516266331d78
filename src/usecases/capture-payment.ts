// POST /v2/payments/{id}/capture: take all or part of a manual-capture card authorization. Load → decide
// → compare-and-set like every transition; a loser re-reads, so concurrent captures are decided one after
// another against what the winners took and can never add up to more than was authorized. A retried
// request (same X-REQUEST-ID) finds its capture on the re-read and gets it back instead of taking more.
import type { CaptureRecord } from '../domain/card/captures.ts';
import { decideCapture, type CaptureRequest } from '../domain/card/capture.ts';
import { Refusal } from '../domain/refusal.ts';
import type { Session } from '../domain/session.ts';
import type { AuditActor } from './audit-log.ts';
import type { Context } from './context.ts';
import { changesCommitted, loadForAction, recordAuditOfSession, writeChange } from './persist.ts';

export interface CaptureResult {
  session: Session;
  capture: CaptureRecord;
}

const MAX_ATTEMPTS = 60;

export async function capturePayment(
  ctx: Context,
  merchantId: string,
  sessionId: string,
  request: CaptureRequest,
  /** Named in the audit log with the capture; a replayed capture is not recorded twice. */
  actor?: AuditActor,
): Promise<CaptureResult> {
  const captureId = ctx.newId();
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const { session, now } = await loadForAction(ctx, merchantId, sessionId);
    const decision = decideCapture(session, request, captureId, now);
    if (decision.kind === 'replay') return { session, capture: decision.capture };
    const { change } = decision;
    const won = await ctx.db.transaction().execute(async (trx) => {
      if (!(await writeChange(ctx, trx, session, change))) return false;
      if (actor) {
        const { id, amount, releaseRemainingAmount } = decision.capture;
        const detail = { captureId: id, amount, releaseRemainingAmount };
        await recordAuditOfSession(ctx, trx, session, { actor, action: 'payment.capture', detail });
      }
      return true;
    });
    if (won) {
      changesCommitted(ctx, { before: session, change });
      return { session: change.session, capture: decision.capture };
    }
  }
  throw new Refusal('state', 'concurrent_update', 'The payment session is being changed by another request; retry');
}
