// POST /v1/refunds: find the charge to refund (named by chargeId, or the paid charge of a SINGLE session),
// let the domain check the amount against what remains, and write the PENDING refund with its idempotency
// record, the session's new version, the charge's totals and REFUND.PENDING — one transaction, holding the
// session's row so concurrent refunds of one payment are decided one after another.
import type { RefundWire } from '../contract/refunds.ts';
import { methodOf } from '../domain/methods/registry.ts';
import { refundObject } from '../domain/refund-object.ts';
import { decideCreateRefund, pickRefundCharge, type RefundChange } from '../domain/refund-state.ts';
import type { RefundRequest } from '../domain/refund.ts';
import { Refusal } from '../domain/refusal.ts';
import { isUniqueViolation } from '../store/database.ts';
import { insertStoredResponse } from '../store/idempotency.ts';
import { findCharge } from '../store/charges.ts';
import { recordAudit, type AuditActor } from './audit-log.ts';
import type { Context } from './context.ts';
import { answerOrReplay, hashRequest, storedAnswer, type Idempotency } from './idempotency.ts';
import { chargeOf, lockedSession, LostRace, refundCommitted, writeRefundChange } from './refund-persist.ts';

export interface CreateRefundInput {
  paymentSessionId?: string;
  chargeId?: string;
  request: RefundRequest;
}

export interface CreateRefundResult {
  body: RefundWire;
  replayed: boolean;
}

/** The key's hash names the endpoint too: a key first used for a payment is a conflict here, and back. */
export function hashRefundRequest(body: unknown): string {
  return hashRequest({ endpoint: 'POST /v1/refunds', body });
}

const MAX_ATTEMPTS = 8;

export async function createRefund(
  ctx: Context,
  merchantId: string,
  input: CreateRefundInput,
  idempotency: Idempotency,
  /** Named in the audit log with the new refund; a replay is not recorded again. */
  actor?: AuditActor,
): Promise<CreateRefundResult> {
  return answerOrReplay(
    ctx,
    merchantId,
    idempotency,
    () => refundUnlessStored(ctx, merchantId, input, idempotency, actor),
    replayed,
  );
}

function replayed(stored: string): CreateRefundResult {
  // The stored text is the answer Kasir itself serialised from this same wire type.
  const body: RefundWire = JSON.parse(stored);
  return { body, replayed: true };
}

async function refundUnlessStored(
  ctx: Context,
  merchantId: string,
  input: CreateRefundInput,
  idempotency: Idempotency,
  actor: AuditActor | undefined,
): Promise<CreateRefundResult> {
  const sessionId = await sessionOfTarget(ctx, merchantId, input);

  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    let stage = 'decide' as 'decide' | 'idempotency' | 'refund';
    let written: RefundChange | undefined;
    try {
      const result = await ctx.db.transaction().execute(async (trx): Promise<CreateRefundResult> => {
        // Held to the end: concurrent refunds of one payment decide one after the other, and a twin with the
        // same key that got the row first has committed its answer (its key collides below) by then.
        const session = await lockedSession(trx, merchantId, sessionId);
        const charge = input.chargeId === undefined ? pickRefundCharge(session) : await chargeOf(trx, session, input.chargeId);
        if (!charge) throw chargeNotFound(input.chargeId ?? '');
        const method = methodOf(charge.methodType);
        if (!method) throw new Error(`charge ${charge.id} was paid with ${charge.methodType}, which Kasir does not offer`);
        const change = decideCreateRefund({
          id: ctx.newId(),
          session,
          charge,
          request: input.request,
          refundsThroughChannel: method.refundsThroughChannel,
          stepDelayMs: ctx.env === 'sandbox' ? ctx.sandboxRefundDelayMs : null,
          now: ctx.now(),
        });
        const body = refundObject(change.refund);
        stage = 'idempotency';
        await insertStoredResponse(trx, merchantId, idempotency.key, {
          requestHash: idempotency.requestHash,
          status: 200,
          body: JSON.stringify(body),
          createdAt: ctx.now(),
        });
        stage = 'refund';
        await writeRefundChange(ctx, trx, session, undefined, change);
        if (actor) {
          await recordAudit(ctx, trx, {
            merchantId,
            actor,
            action: 'refund.create',
            resource: { type: 'refund', id: change.refund.id },
            detail: { paymentSessionId: session.id, amount: change.refund.amount.value, currency: change.refund.amount.currency },
          });
        }
        written = change;
        return { body, replayed: false };
      });
      if (written) refundCommitted(ctx, undefined, written);
      return result;
    } catch (error) {
      if (error instanceof LostRace) continue;
      if (!isUniqueViolation(error)) throw error;
      if (stage === 'refund') throw duplicateReference(input.request.clientReferenceId);
      // The key is taken: its answer is ours (or the key is past its 24 h and removed now: try again).
      const stored = await storedAnswer(ctx, merchantId, idempotency);
      if (stored !== undefined) return replayed(stored);
    }
  }
  throw new Refusal('state', 'concurrent_update', 'Could not create the refund because of concurrent changes; retry');
}

/** The session the refund is about: named directly, or through one of its charges (which must agree). */
async function sessionOfTarget(ctx: Context, merchantId: string, input: CreateRefundInput): Promise<string> {
  if (input.chargeId === undefined) {
    if (input.paymentSessionId === undefined) throw Refusal.field('paymentSessionId', 'paymentSessionId or chargeId is required');
    return input.paymentSessionId;
  }
  const found = await findCharge(ctx.db, merchantId, input.chargeId);
  if (!found) throw chargeNotFound(input.chargeId);
  if (input.paymentSessionId !== undefined && input.paymentSessionId !== found.sessionId) {
    throw Refusal.field('chargeId', `charge ${input.chargeId} does not belong to payment session ${input.paymentSessionId}`);
  }
  return found.sessionId;
}

function chargeNotFound(id: string): Refusal {
  return new Refusal('not_found', 'resource_missing', `The charge with ID ${id} cannot be found`);
}

function duplicateReference(reference: string): Refusal {
  return new Refusal(
    'duplicate',
    'duplicate_error',
    `A refund with clientReferenceId ${reference} already exists; use another clientReferenceId for another refund`,
  );
}
