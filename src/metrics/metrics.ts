// What an operator's Prometheus scrapes at /metrics: request latency by route and status, sessions created
// and their status changes, refunds by status, callback attempts by outcome with their latency, the outbox's
// backlog and the age of its oldest callback (read from the database at scrape time), the PostgreSQL pool's
// connections, and the process's own figures (prom-client's defaults). One registry per Kasir app, so
// several apps in one process (the tests) keep their own counts.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Mode, PaymentMethodType, RefundStatus, SessionStatus } from '../domain/statuses.ts';
import type { ChangeMetrics } from '../usecases/context.ts';

/** What the callback dispatcher reports of each attempt. */
export interface CallbackAttemptMetrics {
  attempted(outcome: 'delivered' | 'retry' | 'give-up' | 'skipped', seconds: number): void;
}

/** Where the scrape-time figures come from. Neither is asked anything per request. */
export interface MetricsSources {
  /** Asked at each scrape (one query); its failure (database down) leaves the gauges at their last value. */
  backlog: () => Promise<{ pending: number; oldestAgeSeconds: number }>;
  /** PostgreSQL's pool, read from pg's counters without a query; absent on SQLite (one connection, no pool). */
  poolUse?: () => { max: number; open: number; idle: number; waiting: number };
}

export class KasirMetrics implements CallbackAttemptMetrics, ChangeMetrics {
  readonly registry = new Registry();
  private readonly requests: Histogram<'route' | 'method' | 'status'>;
  private readonly callbackAttempts: Counter<'outcome'>;
  private readonly callbackLatency: Histogram<'outcome'>;
  private readonly sessionsCreated: Counter<'method' | 'mode'>;
  private readonly sessionTransitions: Counter<'method' | 'from' | 'to'>;
  private readonly refunds: Counter<'status'>;

  constructor({ backlog, poolUse }: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Histogram({
      name: 'kasir_http_request_duration_seconds',
      help: 'HTTP requests by route (its pattern, not the URL), method and status code',
      labelNames: ['route', 'method', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.callbackAttempts = new Counter({
      name: 'kasir_callback_attempts_total',
      help: 'Callback attempts by outcome: delivered, retry (will be tried again), give-up (FAILED), skipped (circuit open)',
      labelNames: ['outcome'],
      registers,
    });
    this.callbackLatency = new Histogram({
      name: 'kasir_callback_attempt_duration_seconds',
      help: "How long the merchant's endpoint took to answer a callback, by outcome",
      labelNames: ['outcome'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.sessionsCreated = new Counter({
      name: 'kasir_sessions_created_total',
      help: 'Payment sessions created, by payment method type (NONE when the shopper picks it later) and mode',
      labelNames: ['method', 'mode'],
      registers,
    });
    this.sessionTransitions = new Counter({
      name: 'kasir_session_transitions_total',
      help: "Payment sessions' status changes once committed, by payment method type and from/to status",
      labelNames: ['method', 'from', 'to'],
      registers,
    });
    this.refunds = new Counter({
      name: 'kasir_refunds_total',
      help: 'Refunds that reached a status (created at, or moved to), by that status',
      labelNames: ['status'],
      registers,
    });
    if (poolUse) registerPoolGauges(registers, poolUse);
    // Each gauge reads the backlog when it is scraped (prom-client collects the metrics concurrently).
    new Gauge({
      name: 'kasir_outbox_pending',
      help: 'Callbacks waiting to be delivered',
      registers,
      async collect() {
        const now = await backlog().catch(() => undefined);
        if (now) this.set(now.pending);
      },
    });
    new Gauge({
      name: 'kasir_outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest callback waiting to be delivered (0 when none waits)',
      registers,
      async collect() {
        const now = await backlog().catch(() => undefined);
        if (now) this.set(now.oldestAgeSeconds);
      },
    });
  }

  request(route: string, method: string, status: number, seconds: number): void {
    this.requests.observe({ route, method, status: String(status) }, seconds);
  }

  attempted(outcome: 'delivered' | 'retry' | 'give-up' | 'skipped', seconds: number): void {
    this.callbackAttempts.inc({ outcome });
    if (outcome !== 'skipped') this.callbackLatency.observe({ outcome }, seconds);
  }

  sessionCreated(method: PaymentMethodType | 'NONE', mode: Mode): void {
    this.sessionsCreated.inc({ method, mode });
  }

  sessionTransitioned(method: PaymentMethodType | 'NONE', from: SessionStatus, to: SessionStatus): void {
    this.sessionTransitions.inc({ method, from, to });
  }

  refundReached(status: RefundStatus): void {
    this.refunds.inc({ status });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** The pool's figures as pg keeps them, read at scrape time. */
function registerPoolGauges(registers: Registry[], poolUse: NonNullable<MetricsSources['poolUse']>): void {
  new Gauge({
    name: 'kasir_db_pool_max_connections',
    help: 'PostgreSQL: connections the pool may open',
    registers,
    collect() {
      this.set(poolUse().max);
    },
  });
  new Gauge({
    name: 'kasir_db_pool_connections',
    help: 'PostgreSQL: open pool connections, by state (in_use: checked out by a query or transaction; idle)',
    labelNames: ['state'],
    registers,
    collect() {
      const { open, idle } = poolUse();
      this.set({ state: 'in_use' }, open - idle);
      this.set({ state: 'idle' }, idle);
    },
  });
  new Gauge({
    name: 'kasir_db_pool_waiting_queries',
    help: 'PostgreSQL: queries waiting for a free pool connection',
    registers,
    collect() {
      this.set(poolUse().waiting);
    },
  });
}
