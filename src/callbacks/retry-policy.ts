// What an attempt's outcome means for the callback. Pivot retries on network errors, 5xx, 408 and 429
// and names no other status as retryable, so any other non-2xx (a 3xx we do not follow, 400, 401, 404 …)
// is recorded and marked FAILED at once: the merchant's endpoint answered and said no, and waiting hours
// will not change its mind; a manual resend is there once it is fixed.
import type { SendResult } from './sender.ts';

export type Verdict = 'delivered' | 'retry' | 'give-up';

export function verdict(result: SendResult): Verdict {
  if (result.refused) return 'give-up';
  const status = result.httpStatus;
  if (status === null) return 'retry';
  if (status >= 200 && status < 300) return 'delivered';
  if (status >= 500 || status === 408 || status === 429) return 'retry';
  return 'give-up';
}

/**
 * When the next attempt is due after `attemptsSoFar` attempts in this cycle (this one included), or
 * undefined once the schedule is spent. schedule[i] is the wait (seconds) before retry i + 1.
 */
export function nextRetryAt(attemptsSoFar: number, schedule: readonly number[], now: Date): Date | undefined {
  const wait = schedule[attemptsSoFar - 1];
  if (wait === undefined) return undefined;
  return new Date(now.getTime() + Math.round(wait * 1000));
}
