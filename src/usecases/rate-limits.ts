// Fixed-window rate limits counted in the database: every instance sharing it counts against the same
// limit. A bucket seen over its limit is refused from memory until its window ends, so a flood costs one
// query per bucket and window on each instance, not one per request.
import { addHit, deleteWindowsBefore } from '../store/rate-limits.ts';
import type { Context } from './context.ts';

export interface RateLimit {
  /** Hits allowed per window. */
  limit: number;
  windowMs: number;
}

/** Windows longer than this are not offered; rows older than it are dead for every limit. */
const LONGEST_WINDOW_MS = 3_600_000;
/** How often an instance deletes dead windows. */
const PURGE_EVERY_MS = 60_000;
/** Buckets remembered as over their limit; a flood of distinct buckets cannot grow memory past this. */
const REMEMBERED_LIMIT = 10_000;

export class RateLimiter {
  private readonly overUntil = new Map<string, number>();
  private nextPurgeAt = 0;

  /**
   * Counts one hit against `bucket`: undefined while within the limit, otherwise the seconds until the
   * window ends (for Retry-After).
   */
  async hit(ctx: Context, bucket: string, { limit, windowMs }: RateLimit): Promise<number | undefined> {
    if (windowMs > LONGEST_WINDOW_MS) throw new RangeError(`rate-limit windows are at most ${LONGEST_WINDOW_MS} ms`);
    const now = ctx.now().getTime();
    const knownOver = this.overUntil.get(bucket);
    if (knownOver !== undefined && knownOver > now) return secondsUntil(knownOver, now);
    await this.purgeNowAndThen(ctx, now);

    const windowStart = now - (now % windowMs);
    const windowEnd = windowStart + windowMs;
    const hits = await addHit(ctx.db, bucket, windowStart);
    if (hits <= limit) return undefined;
    if (this.overUntil.size >= REMEMBERED_LIMIT) this.overUntil.clear();
    this.overUntil.set(bucket, windowEnd);
    return secondsUntil(windowEnd, now);
  }

  private async purgeNowAndThen(ctx: Context, now: number): Promise<void> {
    if (now < this.nextPurgeAt) return;
    this.nextPurgeAt = now + PURGE_EVERY_MS;
    for (const [bucket, until] of this.overUntil) if (until <= now) this.overUntil.delete(bucket);
    await deleteWindowsBefore(ctx.db, now - LONGEST_WINDOW_MS);
  }
}

const secondsUntil = (at: number, now: number) => Math.max(1, Math.ceil((at - now) / 1000));
