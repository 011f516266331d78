// The outbox worker. It claims due rows with a lease (one short statement per merchant), sends them
// outside any transaction with bounded concurrency, and records each attempt with the row's next state.
// A process that dies mid-send leaves rows DELIVERING with a lease that runs out; whoever polls next takes
// them again — at-least-once delivery, which is why webhook-id stays the same across attempts.
//
// Fairness: slots are shared out per merchant, never by "the N oldest rows" (which may all be one
// merchant's). Each merchant has at most `merchantConcurrency` sends in flight here, and a circuit breaker
// (circuit-breaker.ts): while a merchant's circuit is open its due callbacks are not sent but recorded as
// skipped attempts that count against the retry schedule, so a dead endpoint neither holds slots nor keeps
// callbacks pending forever. A skipped callback's next attempt is never before the circuit lets a probe
// through, so one outage spends at most one step of a callback's schedule.
import type { CallbackAttemptMetrics } from '../metrics/metrics.ts';
import { newRecordId } from '../usecases/context.ts';
import { CALLBACK_DELIVERY_DEFAULTS } from '../config.ts';
import { Backoff } from '../domain/backoff.ts';
import {
  claimCallbacks,
  merchantsWithDueCallbacksNow,
  recipientOf,
  recordCallbackAttempts,
  type AttemptOutcome,
  type CallbackRecord,
  type DeliveryStore,
  type Recipient,
} from '../usecases/callback-delivery.ts';
import { CircuitBreakers, type BreakerSettings, type BreakerState } from './circuit-breaker.ts';
import { nextRetryAt, verdict } from './retry-policy.ts';
import { CallbackSender, type SendResult } from './sender.ts';
import type { UrlPolicy } from './url-policy.ts';
import { WriteBatch } from './write-batch.ts';

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
  db: DeliveryStore['db'];
  now?: () => Date;
  repeat?: Repeat;
  /** Seconds between attempts; after the last one the callback is FAILED. */
  retrySchedule: readonly number[];
  timeoutMs: number;
  pollIntervalMs: number;
  policy: UrlPolicy;
  /** Sends in flight at once in this process, across all merchants. */
  concurrency?: number;
  /** Sends in flight at once in this process for one merchant. */
  merchantConcurrency?: number;
  breaker?: BreakerSettings;
  log?: { error(obj: object, msg: string): void; warn?(obj: object, msg: string): void; info?(obj: object, msg: string): void };
  /** Each attempt's outcome and latency, for /metrics. */
  metrics?: CallbackAttemptMetrics;
}

/** Beyond the send's own timeout, time to record the outcome before another worker may take the row. */
const LEASE_MARGIN_MS = 5_000;
/** While claims keep failing (the database is down), polls slow down to at most one per this long. */
const MAX_FAILING_POLL_MS = 10_000;
/** Due callbacks of a merchant whose circuit is open, skipped (recorded, not sent) per statement. */
const SKIP_BATCH = 200;

export class CallbackDispatcher {
  private readonly sender: CallbackSender;
  private readonly store: DeliveryStore;
  private readonly now: () => Date;
  private readonly concurrency: number;
  private readonly merchantConcurrency: number;
  private readonly breakers: CircuitBreakers;
  private readonly leaseMs: number;
  private running = false;
  private stopPolling: (() => void) | undefined;
  private pumping: Promise<void> | undefined;
  private again = false;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly claimBackoff: Backoff;
  private readonly inFlightByMerchant = new Map<string, number>();
  /** Attempts finishing together are recorded in one transaction. */
  private readonly attempts = new WriteBatch<{ claimed: CallbackRecord; outcome: AttemptOutcome }>((entries) =>
    recordCallbackAttempts(this.store, entries),
  );
  private roundScheduled = false;

  constructor(private readonly options: DispatcherOptions) {
    const defaults = CALLBACK_DELIVERY_DEFAULTS;
    this.concurrency = options.concurrency ?? defaults.concurrency;
    this.merchantConcurrency = Math.min(options.merchantConcurrency ?? defaults.merchantConcurrency, this.concurrency);
    this.sender = new CallbackSender({
      timeoutMs: options.timeoutMs,
      policy: options.policy,
      connectionsPerOrigin: this.concurrency,
    });
    this.store = { db: options.db };
    this.now = options.now ?? (() => new Date());
    this.breakers = new CircuitBreakers(
      options.breaker ?? { failures: defaults.breakerFailures, cooldownMs: defaults.breakerCooldownMs },
    );
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
    // Commits arrive in bursts (every request served in one turn of the event loop nudges): one round
    // after the turn claims all of them, where a round per nudge claimed one callback per statement.
    if (this.roundScheduled) return;
    this.roundScheduled = true;
    this.pumping = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => {
        this.roundScheduled = false;
        return this.pump();
      })
      .finally(() => {
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
        while (this.running && (await this.round())) {
          // another pass: a merchant may have had more due than its free slots took
        }
      } while (this.again && this.running);
      this.claimBackoff.succeeded();
    } catch (error) {
      const retryInMs = this.claimBackoff.failed(this.now().getTime());
      this.options.log?.error({ err: error, retryInMs }, 'callback dispatcher could not claim callbacks');
    }
  }

  /**
   * One pass over the merchants with callbacks due, the longest-waiting first: each takes what its free
   * slots allow, or has its due callbacks skipped while its circuit is open. True if anything was taken.
   */
  private async round(): Promise<boolean> {
    const now = this.now();
    let free = this.concurrency - this.inFlight.size;
    const limit = free + this.breakers.openCount(now);
    if (limit <= 0) return false;
    const merchants = await merchantsWithDueCallbacksNow(this.store, now, { exclude: this.merchantsWithoutRoom(now), limit });
    let progress = false;
    for (const merchantId of merchants) {
      if (!this.running) break;
      const state = this.breakers.state(merchantId, now);
      if (state.kind === 'open') {
        if (await this.skipWhileOpen(merchantId, state, now)) progress = true;
        continue;
      }
      const take = Math.min(free, this.roomOf(merchantId, state));
      if (take <= 0) continue;
      const claimed = await claimCallbacks(this.store, merchantId, now, now.getTime() + this.leaseMs, take);
      if (claimed.length === 0) continue;
      const recipient = await recipientOf(this.store, merchantId);
      for (const callback of claimed) this.launch(callback, recipient);
      free -= claimed.length;
      progress = true;
    }
    return progress;
  }

  /** Free send slots of this merchant: its cap while closed, one probe at a time while half-open. */
  private roomOf(merchantId: string, state: BreakerState): number {
    const busy = this.inFlightByMerchant.get(merchantId) ?? 0;
    if (state.kind === 'half-open') return busy === 0 ? 1 : 0;
    if (state.kind === 'open') return 0;
    return this.merchantConcurrency - busy;
  }

  /** Merchants the claim should pass over: no free slot, and no open circuit whose callbacks need skipping. */
  private merchantsWithoutRoom(now: Date): string[] {
    const full: string[] = [];
    for (const merchantId of this.inFlightByMerchant.keys()) {
      const state = this.breakers.state(merchantId, now);
      if (state.kind !== 'open' && this.roomOf(merchantId, state) <= 0) full.push(merchantId);
    }
    return full;
  }

  private async skipWhileOpen(merchantId: string, state: BreakerState & { kind: 'open' }, now: Date): Promise<boolean> {
    const claimed = await claimCallbacks(this.store, merchantId, now, now.getTime() + this.leaseMs, SKIP_BATCH);
    if (claimed.length === 0) return false;
    for (let i = 0; i < claimed.length; i++) this.options.metrics?.attempted('skipped', 0);
    const skipped: SendResult = {
      httpStatus: null,
      latencyMs: 0,
      excerpt: null,
      error: `not sent: the last ${state.failures} attempts to this endpoint failed; it is tried again from ${state.until.toISOString()}`,
      refused: false,
    };
    await recordCallbackAttempts(
      this.store,
      claimed.map((callback) => ({ claimed: callback, outcome: this.outcomeOf(callback, skipped, now, now, state.until) })),
    );
    return true;
  }

  private launch(callback: CallbackRecord, recipient: Recipient): void {
    const merchantId = callback.merchantId;
    this.inFlightByMerchant.set(merchantId, (this.inFlightByMerchant.get(merchantId) ?? 0) + 1);
    const task = this.deliver(callback, recipient)
      .catch((error) =>
        this.options.log?.error({ err: error, callbackId: callback.id }, 'callback attempt could not be recorded'),
      )
      .finally(() => {
        this.inFlight.delete(task);
        const busy = (this.inFlightByMerchant.get(merchantId) ?? 1) - 1;
        if (busy > 0) this.inFlightByMerchant.set(merchantId, busy);
        else this.inFlightByMerchant.delete(merchantId);
        // Refill once half the slots (of all, or of this merchant) are free rather than one claim per send.
        if (this.inFlight.size <= this.concurrency / 2 || busy <= this.merchantConcurrency / 2) this.nudge();
      });
    this.inFlight.add(task);
  }

  private async deliver(callback: CallbackRecord, recipient: Recipient): Promise<void> {
    const attemptedAt = this.now();
    const result: SendResult =
      'problem' in recipient
        ? { httpStatus: null, latencyMs: 0, excerpt: null, error: recipient.problem, refused: true }
        : await this.sender.send({ id: callback.id, ...recipient, body: callback.payload }, attemptedAt);
    const finishedAt = this.now();
    const outcome = this.outcomeOf(callback, result, attemptedAt, finishedAt);
    // What became of the callback, not of the answer alone: a 5xx on the schedule's last attempt is a give-up.
    const reported = outcome.status === 'DELIVERED' ? 'delivered' : outcome.status === 'PENDING' ? 'retry' : 'give-up';
    this.options.metrics?.attempted(reported, result.latencyMs / 1000);
    // One line per attempt: what an operator greps for when a merchant asks where their callback went.
    this.options.log?.info?.(
      {
        callbackId: callback.id,
        merchantId: callback.merchantId,
        event: callback.event,
        attempt: callback.attemptCount + 1,
        httpStatus: result.httpStatus,
        latencyMs: result.latencyMs,
        outcome: reported,
        ...(result.error !== null && { error: result.error }),
      },
      'callback attempt',
    );
    if (!result.refused) {
      // Only the endpoint's health counts: an answer of any kind closes the circuit, silence or "later" opens it.
      if (verdict(result) === 'retry') this.breakers.failed(callback.merchantId, finishedAt);
      else this.breakers.succeeded(callback.merchantId);
    }
    await this.attempts.add({ claimed: callback, outcome });
  }

  /** The attempt as history keeps it, and the row's next state under the retry schedule. */
  private outcomeOf(
    callback: CallbackRecord,
    result: SendResult,
    attemptedAt: Date,
    finishedAt: Date,
    notBefore?: Date,
  ): AttemptOutcome {
    const v = verdict(result);
    let retryAt = v === 'retry' ? nextRetryAt(callback.attemptCount + 1, this.options.retrySchedule, finishedAt) : undefined;
    if (retryAt && notBefore && retryAt < notBefore) retryAt = notBefore;
    const status = v === 'delivered' ? 'DELIVERED' : retryAt ? 'PENDING' : 'FAILED';
    return {
      attempt: {
        id: `cba_${newRecordId()}`,
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
    };
  }
}
