// Issuing a charge through the chosen method's module from the merchant's own VA range, and checking a
// requested VA number: held by an open session of the merchant, or outside its range, it is refused.
import { createHash } from 'node:crypto';
import type { RequestedReservation } from '../domain/methods/method.ts';
import type { VaRange } from '../domain/va-number.ts';
import { methodOf } from '../domain/methods/registry.ts';
import type { Charge, MethodChoice, Session } from '../domain/session.ts';
import { Refusal } from '../domain/refusal.ts';
import { isPastExpiry } from '../domain/session-state.ts';
import { findSessionById } from '../store/sessions.ts';
import { findVaHolder } from '../store/va-numbers.ts';
import type { Context } from './context.ts';
import { recordExpiry } from './persist.ts';
import { vaRangeOf } from './va-ranges.ts';

/** Digits derived from a seed by SHA-256: stable identities (a merchant's QRIS ids) without storing them. */
export function stableDigits(seed: string, count: number): string {
  const hex = createHash('sha256').update(seed).digest('hex').slice(0, 15);
  return BigInt('0x' + hex)
    .toString()
    .padStart(13, '0')
    .slice(0, count);
}

export interface IssuedCharge {
  charge: Charge;
  /** A number the store must hold for this session alone (VA charges). */
  vaNumber?: { channel: string; number: string };
}

/** The merchant's number range the chosen method draws from (a VA bank's), or undefined for methods without one. */
export async function rangeFor(ctx: Context, merchantId: string, choice: MethodChoice | null): Promise<VaRange | undefined> {
  const channel = choice ? methodOf(choice.type)?.rangeChannel(choice) : undefined;
  return channel === undefined ? undefined : vaRangeOf(ctx.db, merchantId, channel);
}

/** The chosen method's module issues the charge; Kasir adds what every charge has. */
export function buildCharge(
  ctx: Context,
  session: Session,
  choice: MethodChoice,
  expiryAt: Date | null,
  merchantName: string,
  vaRange: VaRange | undefined,
  now: Date,
): IssuedCharge {
  const method = methodOf(choice.type);
  if (!method) throw Refusal.field('paymentMethod.type', `${choice.type} is not supported by Kasir yet`);
  const issued = method.issue({
    session,
    choice,
    expiryAt,
    merchantName,
    randomDigits: ctx.randomDigits,
    stableDigits,
    vaRange,
  });
  const charge: Charge = {
    id: ctx.newId(),
    methodType: method.type,
    status: 'WAITING_FOR_USER_ACTION',
    amount: session.amount,
    statementDescriptor: session.statementDescriptor,
    createdAt: now,
    updatedAt: now,
    paidAt: null,
    expiryAt,
    ...issued.details,
  };
  return { charge, ...(issued.reservation && { vaNumber: issued.reservation }) };
}

/** What the chosen method asked to hold for this session alone (a requested VA number), if anything. */
export function requestedReservation(choice: MethodChoice | null, range: VaRange | undefined): RequestedReservation | undefined {
  return choice ? methodOf(choice.type)?.requestedReservation(choice, range) : undefined;
}

export function reservationTaken(requested: RequestedReservation): Refusal {
  return Refusal.field(requested.field, requested.takenMessage);
}

/**
 * A requested number is refused while an open session of the merchant holds it; a holder whose time is up
 * (but not yet swept) is expired first, so the number is free at the moment its old session stopped being
 * payable. Only the merchant's own sessions are looked at, so the answer says nothing about anyone else's
 * numbers; a number outside the merchant's range is refused whoever holds it.
 */
export async function freeRequestedReservation(
  ctx: Context,
  merchantId: string,
  choice: MethodChoice,
  range: VaRange | undefined,
  now: Date,
): Promise<void> {
  const requested = requestedReservation(choice, range);
  if (!requested) return;
  const holderId = await findVaHolder(ctx.db, merchantId, requested.channel, requested.number);
  if (holderId) {
    const holder = await findSessionById(ctx.db, holderId);
    if (!holder || !isPastExpiry(holder, now)) throw reservationTaken(requested);
    await recordExpiry(ctx, holder);
  }
  if (requested.outsideRangeMessage) throw Refusal.field(requested.field, requested.outsideRangeMessage);
}

const SANDBOX_STEP_PATHS = { wallet: '/detail/wallet' } as const;

/**
 * An API-mode session whose new charge waits for the shopper somewhere (an e-wallet's sign-in) gets that
 * place as its paymentUrl, as Pivot answers with the wallet's deeplink; in the sandbox the place is Kasir's
 * wallet page, reached with a page token. REDIRECT sessions keep their payment page.
 */
export async function withSandboxShopperLink(ctx: Context, session: Session, now: Date): Promise<Session> {
  if (session.mode !== 'API' || ctx.env !== 'sandbox') return session;
  const charge = session.charges[session.charges.length - 1];
  const step = charge ? methodOf(charge.methodType)?.sandboxShopperStep?.(charge) : undefined;
  if (!step) return session;
  const token = await ctx.tokens.issuePageToken(session.id, session.expiryAt, now);
  return { ...session, paymentUrl: `${ctx.publicUrl}${SANDBOX_STEP_PATHS[step]}?token=${token}` };
}
