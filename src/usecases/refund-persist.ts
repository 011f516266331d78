// The single path by which refunds change: in one transaction, hold the refunded session's row, read the
// refund and the charge it returns, let the domain decide, then compare-and-set the refund and the session
// (whose version guards the charge's refund totals), write the totals and the REFUND.* callbacks. Every
// refund of one payment passes the same session row, so their sums are decided one at a time.
import { refundObject } from '../domain/refund-object.ts';
import type { RefundChange } from '../domain/refund-state.ts';
import type { Refund } from '../domain/refund.ts';
import { Refusal } from '../domain/refusal.ts';
import type { Charge, Session } from '../domain/session.ts';
import { enqueueCallbacks } from '../store/outbox.ts';
import { compareAndSetRefund, findRefund, insertRefund } from '../store/refunds.ts';
import type { Database } from '../store/schema.ts';
import { findCharge, setChargeRefunds } from '../store/charges.ts';
import { compareAndSet, findSession, lockSession } from '../store/sessions.ts';
import { recordAudit, type AuditAs } from './audit-log.ts';
import type { Context } from './context.ts';
import { notFound } from './persist.ts';

/** Another writer changed the session or the refund between our read and our write: roll back, read again. */
export class LostRace extends Error {
  constructor() {
    super('a concurrent change won the compare-and-set');
  }
}

export function refundNotFound(id: string): Refusal {
  return new Refusal('not_found', 'resource_missing', `The refund with ID ${id} cannot be found`);
}

/** Inside a transaction: the session, held against other refunds of it (lockSession), as it stands. */
export async function lockedSession(trx: Database, merchantId: string, sessionId: string): Promise<Session> {
  const session = (await lockSession(trx, merchantId, sessionId)) ? await findSession(trx, merchantId, sessionId) : undefined;
  if (!session) throw notFound(sessionId);
  return session;
}

/** The session's charge, from its window or, for an older charge of a MULTIPLE session, from the charges table. */
export async function chargeOf(trx: Database, session: Session, chargeId: string): Promise<Charge | undefined> {
  const inWindow = session.charges.find((c) => c.id === chargeId);
  if (inWindow) return inWindow;
  const found = await findCharge(trx, session.merchantId, chargeId);
  return found?.sessionId === session.id ? found.charge : undefined;
}

/**
 * Writes a decided refund change: the refund (inserted when `before` is undefined, else compare-and-set),
 * the session at its next version with the charge's new totals, the totals themselves and the callbacks.
 * Throws LostRace when a compare-and-set finds another writer got there first.
 */
export async function writeRefundChange(
  ctx: Context,
  trx: Database,
  session: Session,
  before: Refund | undefined,
  change: RefundChange,
): Promise<void> {
  if (before === undefined) await insertRefund(trx, change.refund);
  else if (!(await compareAndSetRefund(trx, before, change.refund))) throw new LostRace();
  // The session's version guards the totals, and its stored wire shows refundedAmount on charges it carries.
  const next: Session = {
    ...session,
    charges: session.charges.map((c) => (c.id === change.charge.id ? change.charge : c)),
    version: session.version + 1,
  };
  if (!(await compareAndSet(trx, session, next))) throw new LostRace();
  await setChargeRefunds(trx, change.charge);
  const data = JSON.stringify(refundObject(change.refund));
  await enqueueCallbacks(
    trx,
    change.events.map((event) => ({
      id: `cb_${ctx.newId()}`,
      merchantId: change.refund.merchantId,
      resource: { type: 'refund' as const, id: change.refund.id },
      event,
      payload: `{"event":${JSON.stringify(event)},"data":${data}}`,
    })),
    ctx.now(),
  );
}

/**
 * After a refund change committed, and only then: /metrics counts the status the refund reached (`before`
 * undefined: it was just created), and the dispatcher is woken for its callbacks.
 */
export function refundCommitted(ctx: Context, before: Refund | undefined, change: RefundChange): void {
  if (before?.status !== change.refund.status) ctx.metrics?.refundReached(change.refund.status);
  if (change.events.length) ctx.onCallbacksEnqueued?.();
}

const MAX_ATTEMPTS = 8;

/**
 * Load → decide → compare-and-set for an existing refund, retried when another writer won. `decide` may
 * answer null: nothing to do (e.g. the sweeper finds the refund already moved on).
 */
export async function refundTransition(
  ctx: Context,
  merchantId: string,
  refundId: string,
  decide: (refund: Refund, charge: Charge, now: Date) => RefundChange | null,
  /** When given, a change that is written is recorded in the audit log in its transaction. */
  audit?: AuditAs,
): Promise<Refund> {
  const first = await findRefund(ctx.db, merchantId, refundId);
  if (!first) throw refundNotFound(refundId);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    try {
      const result = await ctx.db.transaction().execute(async (trx) => {
        const session = await lockedSession(trx, merchantId, first.paymentSessionId);
        const refund = await findRefund(trx, merchantId, refundId);
        if (!refund) throw refundNotFound(refundId);
        const charge = await chargeOf(trx, session, refund.chargeId);
        if (!charge) throw new Error(`refund ${refund.id} names charge ${refund.chargeId}, which its session does not have`);
        const change = decide(refund, charge, ctx.now());
        if (!change) return { refund, change };
        await writeRefundChange(ctx, trx, session, refund, change);
        if (audit) {
          await recordAudit(ctx, trx, {
            merchantId,
            actor: audit.actor,
            action: audit.action,
            resource: { type: 'refund', id: refund.id },
            ...(audit.detail !== undefined && { detail: audit.detail }),
          });
        }
        return { refund: change.refund, change, before: refund };
      });
      if (result.change) refundCommitted(ctx, result.before, result.change);
      return result.refund;
    } catch (error) {
      if (!(error instanceof LostRace)) throw error;
    }
  }
  throw new Refusal('state', 'concurrent_update', 'The refund is being changed by another request; retry');
}
