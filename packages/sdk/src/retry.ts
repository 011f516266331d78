// When a failed attempt is sent again, and after how long. An idempotent call (a GET, the token exchange, or a
// POST Kasir replays by X-REQUEST-ID) is retried on a network error or timeout, 429, 502, 503 and 504, with
// exponential backoff and jitter, never sooner than a Retry-After asks. A call that is not idempotent is
// sent once: once it may have reached the server, sending it again could do the thing twice.

/** Statuses that say "not now" rather than "no": a proxy or the server could not handle the call at this moment. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

export interface RetrySettings {
  /** Attempts after the first one. */
  maxRetries: number;
  /** The first backoff; each later one doubles, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After beyond this is not waited for: the error is thrown instead. */
  maxRetryAfterMs: number;
  /** Waits between attempts; injectable so tests (and callers with their own scheduler) need not sleep. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** [0, 1), for the jitter. */
  random: () => number;
}

/** Retry-After as seconds or an HTTP date, in milliseconds from `now`; null when absent or unreadable. */
export function parseRetryAfter(header: string | null, now: number): number | null {
  if (header === null) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * The wait before retry number `retry` (0 for the first): half of the exponential step plus a random part
 * of the other half, so clients that failed together do not come back together; at least `retryAfterMs`.
 */
export function backoffDelay(retry: number, settings: RetrySettings, retryAfterMs: number | null): number {
  const step = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** retry);
  const jittered = Math.round(step / 2 + (settings.random() * step) / 2);
  return Math.max(jittered, retryAfterMs ?? 0);
}

/** A real wait, ended early (rejecting with the signal's reason) when the caller aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
