// The sweeper: records EXPIRED/INACTIVE for open sessions past their expiry and emits their callbacks.
// Reads already hide such sessions as payable; this makes it durable and tells the merchant.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { decideExpire } from '../domain/session-state.ts';
import type { Context } from './context.ts';
import { changesCommitted, writeChanges } from './persist.ts';
import { findExpiredOpen } from '../store/session-lists.ts';
import { purgeExpiredKeys } from '../store/idempotency.ts';

export interface SweepLimits {
  /**
   * Sessions expired in one transaction: enough to spread a commit over many rows, few enough that the
   * requests queued behind it (SQLite has one writer; on PostgreSQL a payment of a swept row waits for
   * its lock) wait milliseconds, not seconds.
   */
  batchSize: number;
  /** Batches in one call, so a large backlog is worked off in slices the timer can follow. */
  maxBatches: number;
}

export const SWEEP_LIMITS: SweepLimits = { batchSize: 250, maxBatches: 40 };

/**
 * Expires every open session past its expiry, a batch per transaction, until none is left (or `maxBatches`
 * have run). Each row is still a compare-and-set on the version it was read at, and its PAYMENT.CANCELLED
 * callback is written in the same transaction: a session paid concurrently is never expired.
 */
export async function expireDueSessions(ctx: Context, limits: Partial<SweepLimits> = {}): Promise<number> {
  const { batchSize, maxBatches } = { ...SWEEP_LIMITS, ...limits };
  let expired = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const { due, won } = await expireBatch(ctx, batchSize);
    expired += won;
    if (due < batchSize) break;
    // better-sqlite3 answers synchronously, so without this the whole backlog would run in one turn of
    // the event loop and every request would wait for it.
    await nextTurn();
  }
  return expired;
}

async function expireBatch(ctx: Context, batchSize: number): Promise<{ due: number; won: number }> {
  const now = ctx.now();
  const result = await ctx.db.transaction().execute(async (trx) => {
    const due = await findExpiredOpen(trx, now, batchSize);
    const changes = due.map((before) => ({ before, change: decideExpire(before, before.expiryAt ?? now) }));
    return { due: due.length, won: await writeChanges(ctx, trx, changes) };
  });
  changesCommitted(ctx, ...result.won);
  return { due: result.due, won: result.won.length };
}

/** Idempotency records older than 24 h are dead weight: the key may be reused, the answer never replayed. */
export function purgeIdempotencyKeys(ctx: Context): Promise<number> {
  return purgeExpiredKeys(ctx.db, ctx.now());
}
