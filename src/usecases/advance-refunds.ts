// Sandbox refunds move on by themselves: the sweeper takes each refund whose next step is due one step on
// (domain/refund-sandbox.ts says which), and the sandbox endpoint settles an open refund at once. In
// production neither exists: refunds wait for an operator or processor.
import { decideSandboxStep, decideSettle } from '../domain/refund-state.ts';
import type { Refund } from '../domain/refund.ts';
import { Refusal } from '../domain/refusal.ts';
import type { RefundSimulationOutcome } from '../domain/statuses.ts';
import { findDueRefunds } from '../store/refunds.ts';
import type { AuditActor } from './audit-log.ts';
import type { Context } from './context.ts';
import { refundTransition } from './refund-persist.ts';

/** Refunds moved on in one sweep at most; the rest wait for the next tick. */
const SWEEP_LIMIT = 200;

/** Takes every due sandbox refund one step on; returns how many moved. */
export async function advanceDueRefunds(ctx: Context, limit = SWEEP_LIMIT): Promise<number> {
  if (ctx.env !== 'sandbox') return 0;
  let moved = 0;
  for (const { id, merchantId } of await findDueRefunds(ctx.db, ctx.now(), limit)) {
    let changed = false;
    await refundTransition(ctx, merchantId, id, (refund, charge, now) => {
      // Settled meanwhile (the sandbox endpoint) or already moved on by another sweeper: nothing to do.
      if (refund.nextStepAt === null || refund.nextStepAt.getTime() > now.getTime()) return null;
      changed = true;
      return decideSandboxStep(refund, charge, now, ctx.sandboxRefundDelayMs);
    });
    if (changed) moved++;
  }
  return moved;
}

/** POST /v1/refunds/simulations (sandbox, Kasir extension): an open refund succeeds or fails now. */
export async function settleRefund(
  ctx: Context,
  merchantId: string,
  refundId: string,
  outcome: RefundSimulationOutcome,
  /** Named in the audit log with the change (the API). */
  actor?: AuditActor,
): Promise<Refund> {
  if (ctx.env !== 'sandbox') {
    throw new Refusal('not_found', 'not_found', 'Simulations exist only in the sandbox environment');
  }
  const audit = actor && { actor, action: 'refund.simulate', detail: { outcome } };
  return refundTransition(ctx, merchantId, refundId, (refund, charge, now) => decideSettle(refund, charge, outcome, now), audit);
}
