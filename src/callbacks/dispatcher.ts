// The outbox worker. It claims due rows with a lease (one short statement), sends them outside any
// transaction with bounded concurrency, and records each attempt with the row's next state. A process
// that dies mid-send leaves rows DELIVERING with a lease that runs out; whoever polls next takes them
// again — at-least-once delivery, which is why webhook-id stays the same across attempts.
import { randomUUID } from 'node:crypto';
import { Backoff } from '../domain/backoff.ts';
import type { Database } from '../store/schema.ts';
import { claimDueCallbacks, recordAttempt, type CallbackRecord } from '../store/callbacks.ts';
import { findMerchant, type Merchant } from '../store/merchants.ts';
import { nextRetryAt, verdict } from './retry-policy.ts';
import { CallbackSender, type SendResult } from './sender.ts';
import type { UrlPolicy } from './url-policy.ts';

/**
 * Calls `tick` every `ms` until the returned function is called. The default is an unref'd setInterval;
 * tests pass their clock's, so a poll happens when the test moves time rather than after a real wait.
 */
export type Repeat = (ms: number, tick: () => void) => () => void;

export const realRepeat: Repeat = (ms, tick) => {
  const timer = setInterval(tick, ms);
  timer.unref();
  return () => clearInterval(timer);
};

export interface DispatcherOptions {
  db: Database;
  now?: () => Date;
  repeat?: Repeat;
  /** Seconds between attempts; after the last one the callback is FAILED. */
  retrySchedule: readonly number[];
  timeoutMs: number;
  pollIntervalMs: number;
  policy: UrlPolicy;
  /** Sends in flight at once, across all merchants. */
  concurrency?: number;
  log?: { error(obj: object, msg: string): void; warn?(obj: object, msg: string): void };
}

const DEFAULT_CONCURRENCY = 32;
/** Beyond the send's own timeout, time to record the outcome before another worker may take the row. */
const LEASE_MARGIN_MS = 5_000;
/** While claims keep failing (the database is down), polls slow down to at most one per this long. */
const MAX_FAILING_POLL_MS = 10_000;

export class CallbackDispatcher {
  private readonly sender: CallbackSender;
  private readonly now: () => Date;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private running = false;
  private stopPolling: (() => void) | undefined;
  private pumping: Promise<void> | undefined;
  private again = false;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly claimBackoff: Backoff;

  constructor(private readonly options: DispatcherOptions) {
    this.sender = new CallbackSender({ timeoutMs: options.timeoutMs, policy: options.policy });
    this.now = options.now ?? (() => new Date());
    this.concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    this.leaseMs = options.timeoutMs + LEASE_MARGIN_MS;
    this.claimBackoff = new Backoff(options.pollIntervalMs, MAX_FAILING_POLL_MS);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    // A nudge comes after a commit, so the database answers again: only the poll waits out the backoff.
    this.stopPolling = (this.options.repeat ?? realRepeat)(this.options.pollIntervalMs, () => {
      if (this.claimBackoff.due(this.now().getTime())) this.nudge();
    });
    this.nudge();
  }

  /** Look for due callbacks now (after a commit that enqueued some, or a resend). */
  readonly nudge = (): void => {
    if (!this.running) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = this.pump().finally(() => {
      this.pumping = undefined;
    });
  };

  /** Stops claiming, lets the sends in flight finish and record their outcome, then closes the pool. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.stopPolling?.();
    await this.pumping;
    await Promise.allSettled([...this.inFlight]);
    await this.sender.close();
  }

  /** Resolves once nothing is in flight (tests and benchmarks). */
  async idle(): Promise<void> {
    while (this.pumping || this.inFlight.size) {
      await this.pumping;
      await Promise.allSettled([...this.inFlight]);
    }
  }

  private async pump(): Promise<void> {
    try {
      do {
        this.again = false;
        while (this.running && this.inFlight.size < this.concurrency) {
          const now = this.now();
          const claimed = await claimDueCallbacks(
            this.options.db,
            now,
            now.getTime() + this.leaseMs,
            this.concurrency - this.inFlight.size,
          );
          if (claimed.length === 0) break;
          const merchants = await this.merchantsOf(claimed);
          for (const callback of claimed) this.launch(callback, merchants.get(callback.merchantId));
        }
      } while (this.again && this.running);
      this.claimBackoff.succeeded();
    } catch (error) {
      const retryInMs = this.claimBackoff.failed(this.now().getTime());
      this.options.log?.error({ err: error, retryInMs }, 'callback dispatcher could not claim callbacks');
    }
  }

  private async merchantsOf(claimed: CallbackRecord[]): Promise<Map<string, Merchant | undefined>> {
    const ids = [...new Set(claimed.map((c) => c.merchantId))];
    const found = await Promise.all(ids.map((id) => findMerchant(this.options.db, id)));
    return new Map(ids.map((id, i) => [id, found[i]]));
  }

  private launch(callback: CallbackRecord, merchant: Merchant | undefined): void {
    const task = this.deliver(callback, merchant)
      .catch((error) =>
        this.options.log?.error({ err: error, callbackId: callback.id }, 'callback attempt could not be recorded'),
      )
      .finally(() => {
        this.inFlight.delete(task);
        // Refill once half the slots are free rather than one claim per finished send.
        if (this.inFlight.size <= this.concurrency / 2) this.nudge();
      });
    this.inFlight.add(task);
  }

  private async deliver(callback: CallbackRecord, merchant: Merchant | undefined): Promise<void> {
    const attemptedAt = this.now();
    let result: SendResult;
    if (!merchant?.callbackUrl) {
      result = { httpStatus: null, latencyMs: 0, excerpt: null, error: 'the merchant has no callback URL', refused: true };
    } else {
      result = await this.sender.send(
        {
          id: callback.id,
          url: merchant.callbackUrl,
          apiKey: merchant.callbackApiKey,
          secrets: {
            current: merchant.webhookSecret,
            previous:
              merchant.previousWebhookSecret && merchant.previousWebhookSecretUntil
                ? { secret: merchant.previousWebhookSecret, until: merchant.previousWebhookSecretUntil }
                : null,
          },
          body: callback.payload,
        },
        attemptedAt,
      );
    }
    const finishedAt = this.now();
    const attempts = callback.attemptCount + 1;
    const v = verdict(result);
    const retryAt = v === 'retry' ? nextRetryAt(attempts, this.options.retrySchedule, finishedAt) : undefined;
    const status = v === 'delivered' ? 'DELIVERED' : retryAt ? 'PENDING' : 'FAILED';
    await recordAttempt(this.options.db, callback, {
      attempt: {
        id: `cba_${randomUUID()}`,
        callbackId: callback.id,
        attemptedAt,
        httpStatus: result.httpStatus,
        latencyMs: result.latencyMs,
        responseExcerpt: result.excerpt,
        error: result.error,
      },
      status,
      nextAttemptAt: retryAt ?? finishedAt,
      deliveredAt: status === 'DELIVERED' ? finishedAt : null,
    });
  }
}
