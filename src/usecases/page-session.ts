// The hosted payment page's reads and the shopper's method choice. The page's token is the shopper's
// capability: it names one session, and only REDIRECT sessions have a page.
import type { MethodChoice, Session } from '../domain/session.ts';
import { viewAt } from '../domain/session-state.ts';
import { findMerchant } from '../store/merchants.ts';
import { findSessionById } from '../store/sessions.ts';
import { confirmSession } from './confirm-session.ts';
import type { Context } from './context.ts';
import { notFound } from './persist.ts';

/** The session a valid page token names, as it stands now; undefined for a bad token or a session without a page. */
export async function sessionOfPageToken(ctx: Context, token: string): Promise<Session | undefined> {
  const now = ctx.now();
  const id = await ctx.tokens.verifyPageToken(token, now);
  if (!id) return undefined;
  const stored = await findSessionById(ctx.db, id);
  if (!stored || stored.mode !== 'REDIRECT') return undefined;
  return viewAt(stored, now);
}

/**
 * The shopper picked a method (or, with `choice` undefined, confirmed the one the merchant fixed): the
 * same confirmation as POST /v2/payments/{id}/confirm, on behalf of the session's merchant.
 */
export async function confirmOnPage(ctx: Context, session: Session, choice: MethodChoice | undefined): Promise<Session> {
  const merchant = await findMerchant(ctx.db, session.merchantId);
  if (!merchant) throw notFound(session.id);
  return confirmSession(ctx, merchant, session.id, choice);
}
