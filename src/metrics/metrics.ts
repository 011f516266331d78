// What an operator's Prometheus scrapes at /metrics: request latency by route and status, callback attempts
// by outcome with their latency, the outbox's backlog and the age of its oldest callback (read from the
// database at scrape time), and the process's own figures (prom-client's defaults). One registry per Kasir
// app, so several apps in one process (the tests) keep their own counts.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the callback dispatcher reports of each attempt. */
export interface CallbackAttemptMetrics {
  attempted(outcome: 'delivered' | 'retry' | 'give-up' | 'skipped', seconds: number): void;
}

export class KasirMetrics implements CallbackAttemptMetrics {
  readonly registry = new Registry();
  private readonly requests: Histogram<'route' | 'method' | 'status'>;
  private readonly callbackAttempts: Counter<'outcome'>;
  private readonly callbackLatency: Histogram<'outcome'>;

  /** `backlog` is asked at each scrape; its failure (database down) leaves the gauges at their last value. */
  constructor(backlog: () => Promise<{ pending: number; oldestAgeSeconds: number }>) {
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

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
