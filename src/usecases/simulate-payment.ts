// Sandbox only: play the customer's bank — pay, fail or let the session expire. The API's
// /v2/payments/simulations and the page's sandbox buttons both come here.
import { methodOf } from '../domain/methods/registry.ts';
import { Refusal } from '../domain/refusal.ts';
import { decideExpire, decideFail, decidePay } from '../domain/session-state.ts';
import type { Money, Session } from '../domain/session.ts';
import type { SimulationOutcome } from '../domain/statuses.ts';
import type { AuditActor } from './audit-log.ts';
import type { Context } from './context.ts';
import { transition } from './persist.ts';

export async function simulatePayment(
  ctx: Context,
  merchantId: string,
  sessionId: string,
  outcome: SimulationOutcome,
  amount?: Money,
  /** Named in the audit log with the change (the API); the page's sandbox buttons are the customer's. */
  actor?: AuditActor,
): Promise<Session> {
  if (ctx.env !== 'sandbox') {
    throw new Refusal('not_found', 'not_found', 'Simulations exist only in the sandbox environment');
  }
  const audit = actor && { actor, action: 'payment.simulate', detail: { outcome, ...(amount && { amount: amount.value }) } };
  return transition(
    ctx,
    merchantId,
    sessionId,
    (session, now) => {
      const method = session.paymentMethod ? methodOf(session.paymentMethod.type) : undefined;
      if (method && !method.simulationOutcomes.includes(outcome)) {
        throw Refusal.field(
          'chargeStatus',
          `${outcome} cannot be simulated for ${method.type}; use ${method.simulationOutcomes.join(', ')}`,
        );
      }
      if (outcome === 'EXPIRED') return decideExpire(session, now);
      if (outcome === 'FAILED') return decideFail(session, now);
      if (session.paymentType === 'MULTIPLE') {
        const paid = amount ?? (session.amount.value > 0 ? session.amount : undefined);
        if (!paid) throw Refusal.field('amount', 'amount is required to simulate a payment on a MULTIPLE session');
        if (session.amount.value > 0 && paid.value !== session.amount.value) {
          throw Refusal.field('amount.value', `amount must equal the session amount ${session.amount.value}`);
        }
        return decidePay(session, now, { id: ctx.newId(), amount: paid });
      }
      if (amount && amount.value !== session.amount.value) {
        throw Refusal.field('amount.value', `amount must equal the session amount ${session.amount.value}`);
      }
      return decidePay(session, now);
    },
    audit,
  );
}
