// The sweeper: records EXPIRED/INACTIVE for open sessions past their expiry and emits their callbacks.
// Reads already hide such sessions as payable; this makes it durable and tells the merchant.
import type { Context } from './context.ts';
import { recordExpiry } from './persist.ts';
import { findExpiredOpen } from '../store/sessions.ts';
import { purgeExpiredKeys } from '../store/idempotency.ts';

export async function expireDueSessions(ctx: Context, batchSize = 100): Promise<number> {
  const due = await findExpiredOpen(ctx.db, ctx.now(), batchSize);
  let expired = 0;
  for (const session of due) {
    if (await recordExpiry(ctx, session)) expired++;
  }
  return expired;
}

/** Idempotency records older than 24 h are dead weight: the key may be reused, the answer never replayed. */
export function purgeIdempotencyKeys(ctx: Context): Promise<number> {
  return purgeExpiredKeys(ctx.db, ctx.now());
}
