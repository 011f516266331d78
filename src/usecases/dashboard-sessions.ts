// Dashboard sign-in sessions, kept in the database so every instance behind a balancer shares them. The
// browser holds a random id; the database holds only its SHA-256, so reading the table (a backup, a
// replica) hands out no live session. A session ends after `idleMs` without a request or `lifetimeMs`
// after sign-in, whichever comes first; each carries its own CSRF token for the forms it renders.
import { createHash } from 'node:crypto';
import { can, type DashboardRole } from '../domain/dashboard-roles.ts';
import { randomToken, safeEqual } from '../security/secrets.ts';
import {
  deleteDashboardSession,
  deleteDashboardSessionsBefore,
  findDashboardSession,
  findDashboardUser,
  insertDashboardSession,
  listMerchantChoices,
  setDashboardSessionMerchant,
  touchDashboardSession,
  type DashboardUser,
} from '../store/dashboard.ts';
import { findMerchant, type Merchant } from '../store/merchants.ts';
import type { Context } from './context.ts';
import { checkDashboardCredentials } from './dashboard-accounts.ts';
import type { RateLimit, RateLimiter } from './rate-limits.ts';

export interface SessionTimes {
  idleMs: number;
  lifetimeMs: number;
}

export const DEFAULT_SESSION_TIMES: SessionTimes = { idleMs: 30 * 60_000, lifetimeMs: 12 * 3_600_000 };

/** A last-seen time is rewritten at most this often: a page view need not always be a write. */
const TOUCH_EVERY_MS = 60_000;

const hashOf = (id: string) => createHash('sha256').update(id).digest('hex');

/** Who is signed in, the merchant the session looks at (null: an operator who has not picked one), and its CSRF token. */
export interface SignedIn {
  user: DashboardUser;
  merchant: Merchant | null;
  csrfToken: string;
  /** The cookie's value, kept so sign-out and the merchant pick name the same session. */
  sessionId: string;
}

export interface SignInLimits {
  perAddress: RateLimit;
  perEmail: RateLimit;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = {
  perAddress: { limit: 30, windowMs: 15 * 60_000 },
  perEmail: { limit: 10, windowMs: 15 * 60_000 },
};

export type SignInResult =
  | { kind: 'signed-in'; sessionId: string; user: DashboardUser }
  | { kind: 'refused' }
  | { kind: 'limited'; retryAfterSeconds: number };

/**
 * Checks the credentials after counting the attempt against the address and the email (in the database,
 * so instances share the count), and opens a session. A limited attempt spends no hashing time.
 */
export async function signIn(
  ctx: Context,
  limiter: RateLimiter,
  limits: SignInLimits,
  times: SessionTimes,
  attempt: { address: string; email: string; password: string },
): Promise<SignInResult> {
  const email = attempt.email.trim().toLowerCase().slice(0, 254);
  const byAddress = await limiter.hit(ctx, `dash-signin-ip:${attempt.address}`, limits.perAddress);
  const byEmail = await limiter.hit(ctx, `dash-signin-email:${hashOf(email)}`, limits.perEmail);
  const wait = Math.max(byAddress ?? 0, byEmail ?? 0);
  if (wait > 0) return { kind: 'limited', retryAfterSeconds: wait };
  const user = await checkDashboardCredentials(ctx.db, email, attempt.password);
  if (!user) return { kind: 'refused' };
  const now = ctx.now();
  const sessionId = randomToken(32);
  await deleteDashboardSessionsBefore(ctx.db, now);
  await insertDashboardSession(ctx.db, {
    idHash: hashOf(sessionId),
    userId: user.id,
    csrfSecret: randomToken(24),
    merchantId: user.merchantId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + times.lifetimeMs),
  });
  return { kind: 'signed-in', sessionId, user };
}

/** The signed-in user behind a cookie's session id, or undefined (unknown, idle too long, past its lifetime). */
export async function sessionOf(ctx: Context, times: SessionTimes, sessionId: string | undefined): Promise<SignedIn | undefined> {
  if (!sessionId || sessionId.length > 100) return undefined;
  const idHash = hashOf(sessionId);
  const session = await findDashboardSession(ctx.db, idHash);
  if (!session) return undefined;
  const now = ctx.now().getTime();
  if (now >= session.expiresAt.getTime() || now - session.lastSeenAt.getTime() >= times.idleMs) {
    await deleteDashboardSession(ctx.db, idHash);
    return undefined;
  }
  const user = await findDashboardUser(ctx.db, session.userId);
  if (!user) return undefined;
  if (now - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) await touchDashboardSession(ctx.db, idHash, ctx.now());
  // A merchant user's session always looks at the user's own merchant, whatever the row says.
  const merchantId = user.role === 'operator' ? session.merchantId : user.merchantId;
  const merchant = merchantId === null ? null : ((await findMerchant(ctx.db, merchantId)) ?? null);
  return { user, merchant, csrfToken: session.csrfSecret, sessionId };
}

export function csrfMatches(signedIn: SignedIn, sent: unknown): boolean {
  return typeof sent === 'string' && safeEqual(signedIn.csrfToken, sent);
}

export async function signOut(ctx: Context, sessionId: string): Promise<void> {
  await deleteDashboardSession(ctx.db, hashOf(sessionId));
}

/** An operator looks at one merchant at a time; false when the role may not pick or the merchant is unknown. */
export async function pickMerchant(ctx: Context, signedIn: SignedIn, merchantId: string): Promise<boolean> {
  if (!can(signedIn.user.role, 'merchant.pick')) return false;
  if (!(await findMerchant(ctx.db, merchantId))) return false;
  await setDashboardSessionMerchant(ctx.db, hashOf(signedIn.sessionId), merchantId);
  return true;
}

export async function merchantChoices(ctx: Context, role: DashboardRole): Promise<{ id: string; name: string }[]> {
  return can(role, 'merchant.pick') ? listMerchantChoices(ctx.db) : [];
}
