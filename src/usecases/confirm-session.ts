// POST /v2/payments/{id}/confirm and the page's method picker: fix the method and issue the charge.
import { checkMethod, resolveChargeExpiry } from '../domain/method-rules.ts';
import { Refusal } from '../domain/refusal.ts';
import { assertConfirmable, decideIssueCharge } from '../domain/session-state.ts';
import type { MethodChoice, Session } from '../domain/session.ts';
import { isUniqueViolation } from '../store/database.ts';
import type { Merchant } from '../store/merchants.ts';
import { reserveVaNumber } from '../store/va-numbers.ts';
import {
  buildCharge,
  freeRequestedReservation,
  rangeFor,
  requestedReservation,
  reservationTaken,
  withSandboxShopperLink,
} from './charges.ts';
import type { Context } from './context.ts';
import { changesCommitted, loadForAction, writeChange } from './persist.ts';

const MAX_ATTEMPTS = 8;

export async function confirmSession(
  ctx: Context,
  merchant: Merchant,
  sessionId: string,
  method: MethodChoice | undefined,
): Promise<Session> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const { session, now } = await loadForAction(ctx, merchant.id, sessionId);
    assertConfirmable(session, now);
    const choice = method ?? session.paymentMethod;
    if (!choice) throw Refusal.field('paymentMethod', 'paymentMethod is required: this session has no payment method yet');
    const problems = checkMethod(choice, {
      amount: session.amount.value === 0 ? undefined : session.amount,
      paymentType: session.paymentType,
      mode: session.mode,
      issuing: true,
    });
    const expiry = resolveChargeExpiry(choice, session.expiryAt, now);
    problems.push(...expiry.problems);
    if (problems.length) throw Refusal.validation(problems);
    const range = await rangeFor(ctx, merchant.id, choice);
    await freeRequestedReservation(ctx, merchant.id, choice, range, now);

    const issued = buildCharge(ctx, session, choice, expiry.expiryAt, merchant.name, range, now);
    const issuing = decideIssueCharge(session, choice, issued.charge, now);
    const change = { ...issuing, session: await withSandboxShopperLink(ctx, issuing.session, now) };
    try {
      const won = await ctx.db.transaction().execute(async (trx) => {
        if (!(await writeChange(ctx, trx, session, change))) return false;
        if (issued.vaNumber) {
          await reserveVaNumber(trx, merchant.id, issued.vaNumber.channel, issued.vaNumber.number, session.id);
        }
        return true;
      });
      if (won) {
        changesCommitted(ctx, { before: session, change });
        return change.session;
      }
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const requested = requestedReservation(choice, range);
      if (requested) throw reservationTaken(requested);
    }
  }
  throw new Refusal('state', 'concurrent_update', 'The payment session is being changed by another request; retry');
}
