// `new Kasir(...)`: one object per merchant credential, with a method per endpoint Kasir serves (Pivot's v2 API
// and Kasir's callback extensions). Every method resolves to the answer's `data` (lists: `{ data, pagination }`)
// and rejects with KasirApiError or KasirNetworkError.
import { KasirNetworkError } from './errors.js';
import { EventStream, streamRequest, type StreamEventsOptions } from './events.js';
import { newRequestId } from './request-id.js';
import { sleep, type RetrySettings } from './retry.js';
import { Transport, type Attempt, type CallOptions, type CallPolicy } from './transport.js';
import type {
  CancelPaymentRequest,
  Callback,
  Capture,
  CaptureRequest,
  Charge,
  ConfirmPaymentRequest,
  CreatePaymentRequest,
  CreateRefundRequest,
  Customer,
  ListCallbacksQuery,
  ListChargesQuery,
  ListPaymentsQuery,
  ListRefundsQuery,
  Page,
  PaymentMethodConfigs,
  PaymentSession,
  Refund,
  RefundSimulationRequest,
  SimulationRequest,
  SimulationResult,
} from './types.js';

export interface KasirOptions {
  /** A Kasir (`http://127.0.0.1:3000`) or Pivot itself: the same wire. */
  baseUrl: string;
  /** Exchanged for a bearer token (X-MERCHANT-ID / X-MERCHANT-SECRET), cached and refreshed. */
  merchantId: string;
  merchantSecret: string;
  /** Defaults to the platform's fetch (Node 20+, Deno, Bun, edge runtimes). */
  fetch?: typeof fetch;
  /** Per attempt, in milliseconds; default 30 000. */
  timeoutMs?: number;
  /** Attempts after the first for calls that are safe to repeat; default 2. */
  maxRetries?: number;
  /** Backoff tuning, and the wait itself (inject one to schedule retries yourself, or in tests). */
  retry?: Partial<Omit<RetrySettings, 'maxRetries'>>;
  /** The clock the token cache reads, in epoch milliseconds; default Date.now. */
  now?: () => number;
}

const SAFE: CallPolicy = { idempotent: true, authenticated: true };
/** Not replayed by X-REQUEST-ID on the server: sent once (see retry.ts). */
const ONCE: CallPolicy = { idempotent: false, authenticated: true };

/** An openapi-fetch answer whose success body is Pivot's `{code, message, data}` (lists: and `pagination`). */
type Sent<Body> = (attempt: Attempt, requestId: string) => Promise<{ data?: Body; error?: unknown; response: Response }>;

export class Kasir {
  private readonly transport: Transport;

  constructor(options: KasirOptions) {
    if (!options.baseUrl) throw new TypeError('Kasir: baseUrl is required');
    if (!options.merchantId || !options.merchantSecret) throw new TypeError('Kasir: merchantId and merchantSecret are required');
    const platformFetch: typeof fetch = (input, init) => globalThis.fetch(input, init);
    this.transport = new Transport({
      baseUrl: options.baseUrl,
      merchantId: options.merchantId,
      merchantSecret: options.merchantSecret,
      fetch: options.fetch ?? platformFetch,
      timeoutMs: options.timeoutMs ?? 30_000,
      now: options.now ?? Date.now,
      retry: {
        maxRetries: options.maxRetries ?? 2,
        baseDelayMs: options.retry?.baseDelayMs ?? 500,
        maxDelayMs: options.retry?.maxDelayMs ?? 8_000,
        maxRetryAfterMs: options.retry?.maxRetryAfterMs ?? 60_000,
        sleep: options.retry?.sleep ?? sleep,
        random: options.retry?.random ?? Math.random,
      },
    });
  }

  readonly payments = {
    /** POST /v2/payments. Idempotent on X-REQUEST-ID: a retry (or a second call with the same `requestId`) replays the first answer. */
    create: (body: CreatePaymentRequest, options?: CallOptions): Promise<PaymentSession> =>
      this.one(SAFE, options, (attempt, requestId) =>
        this.api.POST('/v2/payments', { params: { header: { 'x-request-id': requestId } }, body, ...attempt }),
      ),
    get: (id: string, options?: CallOptions): Promise<PaymentSession> =>
      this.one(SAFE, options, (attempt) => this.api.GET('/v2/payments/{id}', { params: { path: { id } }, ...attempt })),
    list: (query: ListPaymentsQuery = {}, options?: CallOptions): Promise<Page<PaymentSession>> =>
      this.page(options, (attempt) => this.api.GET('/v2/payments', { params: { query }, ...attempt })),
    /** POST /v2/payments/{id}/confirm. Not replayed by the server: sent once. */
    confirm: (id: string, body: ConfirmPaymentRequest, options?: CallOptions): Promise<PaymentSession> =>
      this.one(ONCE, options, (attempt) =>
        this.api.POST('/v2/payments/{id}/confirm', { params: { path: { id } }, body, ...attempt }),
      ),
    /** POST /v2/payments/{id}/cancel. Sent once. */
    cancel: (id: string, body: CancelPaymentRequest, options?: CallOptions): Promise<PaymentSession> =>
      this.one(ONCE, options, (attempt) =>
        this.api.POST('/v2/payments/{id}/cancel', { params: { path: { id } }, body, ...attempt }),
      ),
    /** POST /v2/payments/{id}/capture. Idempotent on X-REQUEST-ID: a retried capture answers the first one. */
    capture: (id: string, body: CaptureRequest, options?: CallOptions): Promise<Capture> =>
      this.one(SAFE, options, (attempt, requestId) =>
        this.api.POST('/v2/payments/{id}/capture', {
          params: { path: { id }, header: { 'x-request-id': requestId } },
          body,
          ...attempt,
        }),
      ),
    /** POST /v2/payments/simulations (sandbox). Sent once. */
    simulate: (body: SimulationRequest, options?: CallOptions): Promise<SimulationResult> =>
      this.one(ONCE, options, (attempt) => this.api.POST('/v2/payments/simulations', { body, ...attempt })),
  };

  readonly charges = {
    list: (query: ListChargesQuery = {}, options?: CallOptions): Promise<Page<Charge>> =>
      this.page(options, (attempt) => this.api.GET('/v2/charges', { params: { query }, ...attempt })),
  };

  readonly refunds = {
    /** POST /v1/refunds. Idempotent on X-REQUEST-ID, like payments.create. */
    create: (body: CreateRefundRequest, options?: CallOptions): Promise<Refund> =>
      this.one(SAFE, options, (attempt, requestId) =>
        this.api.POST('/v1/refunds', { params: { header: { 'x-request-id': requestId } }, body, ...attempt }),
      ),
    get: (id: string, options?: CallOptions): Promise<Refund> =>
      this.one(SAFE, options, (attempt) => this.api.GET('/v1/refunds/{id}', { params: { path: { id } }, ...attempt })),
    list: (query: ListRefundsQuery = {}, options?: CallOptions): Promise<Page<Refund>> =>
      this.page(options, (attempt) => this.api.GET('/v1/refunds', { params: { query }, ...attempt })),
    /** POST /v1/refunds/simulations (sandbox, Kasir extension). Sent once. */
    simulate: (body: RefundSimulationRequest, options?: CallOptions): Promise<Refund> =>
      this.one(ONCE, options, (attempt) => this.api.POST('/v1/refunds/simulations', { body, ...attempt })),
  };

  readonly customers = {
    get: (customerId: string, options?: CallOptions): Promise<Customer> =>
      this.one(SAFE, options, (attempt) =>
        this.api.GET('/v1/customers/{customerId}', { params: { path: { customerId } }, ...attempt }),
      ),
  };

  readonly paymentMethodConfigs = {
    get: (options?: CallOptions): Promise<PaymentMethodConfigs> =>
      this.one(SAFE, options, (attempt) => this.api.GET('/v2/payment-method-configs', { ...attempt })),
  };

  /** Kasir extensions: the callbacks sent to this merchant, with every attempt, and resending one. */
  readonly callbacks = {
    list: (query: ListCallbacksQuery = {}, options?: CallOptions): Promise<Page<Callback>> =>
      this.page(options, (attempt) => this.api.GET('/v2/callbacks', { params: { query }, ...attempt })),
    /** POST /v2/callbacks/{id}/resend. Sent once (each call is one more delivery). */
    resend: (id: string, options?: CallOptions): Promise<Callback> =>
      this.one(ONCE, options, (attempt) => this.api.POST('/v2/callbacks/{id}/resend', { params: { path: { id } }, ...attempt })),
  };

  /** Kasir extension: the merchant's callbacks as they are written (Server-Sent Events). */
  readonly events = {
    /**
     * GET /v2/events/stream: resolves once the server accepted the stream (rejecting like any call when it did
     * not), to an EventStream to iterate with `for await`. See EventStream for reconnecting after a drop.
     */
    stream: async (options: StreamEventsOptions = {}): Promise<EventStream> => {
      const { query, header } = streamRequest(options);
      const requestId = newRequestId();
      const body = await this.transport.call(
        (attempt) =>
          this.api.GET('/v2/events/stream', {
            params: { query, header },
            parseAs: 'stream',
            signal: attempt.signal,
            headers: { ...attempt.headers, Accept: 'text/event-stream' },
          }),
        SAFE,
        { requestId, ...(options.signal && { signal: options.signal }) },
      );
      if (!body)
        throw new KasirNetworkError('Kasir: the event stream answered without a body', {
          cause: null,
          requestId,
          timedOut: false,
        });
      return new EventStream(body, requestId, options.signal, options.lastEventId ?? options.after);
    },
  };

  private get api() {
    return this.transport.api;
  }

  /** The envelope's `data`. */
  private async one<T>(policy: CallPolicy, options: CallOptions | undefined, send: Sent<{ data: T }>): Promise<T> {
    return (await this.transport.call(send, policy, options)).data;
  }

  /** A list: its `data` and `pagination`. Lists are GETs, so always safe to retry. */
  private async page<T>(options: CallOptions | undefined, send: Sent<Page<T>>): Promise<Page<T>> {
    const { data, pagination } = await this.transport.call(send, SAFE, options);
    return { data, pagination };
  }
}
