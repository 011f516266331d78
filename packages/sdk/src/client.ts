// `new Kasir(...)`: one object per merchant credential, with a method per endpoint Kasir serves (Pivot's v2 API
// and Kasir's callback extensions). Every method resolves to the answer's `data` (lists: `{ data, pagination }`)
// and rejects with KasirApiError or KasirNetworkError.
import { sleep, type RetrySettings } from './retry.js';
import { Transport, type CallOptions } from './transport.js';
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

const SAFE = { idempotent: true, authenticated: true } as const;
/** Not replayed by X-REQUEST-ID on the server: sent once (see retry.ts). */
const ONCE = { idempotent: false, authenticated: true } as const;

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
    create: async (body: CreatePaymentRequest, options?: CallOptions): Promise<PaymentSession> => {
      const answer = await this.transport.call(
        ({ requestId, signal, headers }) =>
          this.api.POST('/v2/payments', { params: { header: { 'x-request-id': requestId } }, body, headers, signal }),
        SAFE,
        options,
      );
      return answer.data;
    },
    get: async (id: string, options?: CallOptions): Promise<PaymentSession> => {
      const answer = await this.transport.call(
        ({ signal, headers }) => this.api.GET('/v2/payments/{id}', { params: { path: { id } }, headers, signal }),
        SAFE,
        options,
      );
      return answer.data;
    },
    list: async (query: ListPaymentsQuery = {}, options?: CallOptions): Promise<Page<PaymentSession>> => {
      const answer = await this.transport.call(
        ({ signal, headers }) => this.api.GET('/v2/payments', { params: { query }, headers, signal }),
        SAFE,
        options,
      );
      return { data: answer.data, pagination: answer.pagination };
    },
    /** POST /v2/payments/{id}/confirm. Not replayed by the server: sent once. */
    confirm: async (id: string, body: ConfirmPaymentRequest, options?: CallOptions): Promise<PaymentSession> => {
      const answer = await this.transport.call(
        ({ signal, headers }) => this.api.POST('/v2/payments/{id}/confirm', { params: { path: { id } }, body, headers, signal }),
        ONCE,
        options,
      );
      return answer.data;
    },
    /** POST /v2/payments/{id}/cancel. Sent once. */
    cancel: async (id: string, body: CancelPaymentRequest, options?: CallOptions): Promise<PaymentSession> => {
      const answer = await this.transport.call(
        ({ signal, headers }) => this.api.POST('/v2/payments/{id}/cancel', { params: { path: { id } }, body, headers, signal }),
        ONCE,
        options,
      );
      return answer.data;
    },
    /** POST /v2/payments/{id}/capture. Idempotent on X-REQUEST-ID: a retried capture answers the first one. */
    capture: async (id: string, body: CaptureRequest, options?: CallOptions): Promise<Capture> => {
      const answer = await this.transport.call(
        ({ requestId, signal, headers }) =>
          this.api.POST('/v2/payments/{id}/capture', {
            params: { path: { id }, header: { 'x-request-id': requestId } },
            body,
            headers,
            signal,
          }),
        SAFE,
        options,
      );
      return answer.data;
    },
    /** POST /v2/payments/simulations (sandbox). Sent once. */
    simulate: async (body: SimulationRequest, options?: CallOptions): Promise<SimulationResult> => {
      const answer = await this.transport.call(
        ({ signal, headers }) => this.api.POST('/v2/payments/simulations', { body, headers, signal }),
        ONCE,
        options,
      );
      return answer.data;
    },
  };

  readonly charges = {
    list: async (query: ListChargesQuery = {}, options?: CallOptions): Promise<Page<Charge>> => {
      const answer = await this.transport.call(
        ({ signal, headers }) => this.api.GET('/v2/charges', { params: { query }, headers, signal }),
        SAFE,
        options,
      );
      return { data: answer.data, pagination: answer.pagination };
    },
  };

  readonly refunds = {
    /** POST /v1/refunds. Idempotent on X-REQUEST-ID, like payments.create. */
    create: async (body: CreateRefundRequest, options?: CallOptions): Promise<Refund> => {
      const answer = await this.transport.call(
        ({ requestId, signal, headers }) =>
          this.api.POST('/v1/refunds', { params: { header: { 'x-request-id': requestId } }, body, headers, signal }),
        SAFE,
        options,
      );
      return answer.data;
    },
    get: async (id: string, options?: CallOptions): Promise<Refund> => {
      const answer = await this.transport.call(
        ({ signal, headers }) => this.api.GET('/v1/refunds/{id}', { params: { path: { id } }, headers, signal }),
        SAFE,
        options,
      );
      return answer.data;
    },
    list: async (query: ListRefundsQuery = {}, options?: CallOptions): Promise<Page<Refund>> => {
      const answer = await this.transport.call(
        ({ signal, headers }) => this.api.GET('/v1/refunds', { params: { query }, headers, signal }),
        SAFE,
        options,
      );
      return { data: answer.data, pagination: answer.pagination };
    },
    /** POST /v1/refunds/simulations (sandbox, Kasir extension). Sent once. */
    simulate: async (body: RefundSimulationRequest, options?: CallOptions): Promise<Refund> => {
      const answer = await this.transport.call(
        ({ signal, headers }) => this.api.POST('/v1/refunds/simulations', { body, headers, signal }),
        ONCE,
        options,
      );
      return answer.data;
    },
  };

  readonly customers = {
    get: async (customerId: string, options?: CallOptions): Promise<Customer> => {
      const answer = await this.transport.call(
        ({ signal, headers }) =>
          this.api.GET('/v1/customers/{customerId}', { params: { path: { customerId } }, headers, signal }),
        SAFE,
        options,
      );
      return answer.data;
    },
  };

  readonly paymentMethodConfigs = {
    get: async (options?: CallOptions): Promise<PaymentMethodConfigs> => {
      const answer = await this.transport.call(
        ({ signal, headers }) => this.api.GET('/v2/payment-method-configs', { headers, signal }),
        SAFE,
        options,
      );
      return answer.data;
    },
  };

  /** Kasir extensions: the callbacks sent to this merchant, with every attempt, and resending one. */
  readonly callbacks = {
    list: async (query: ListCallbacksQuery = {}, options?: CallOptions): Promise<Page<Callback>> => {
      const answer = await this.transport.call(
        ({ signal, headers }) => this.api.GET('/v2/callbacks', { params: { query }, headers, signal }),
        SAFE,
        options,
      );
      return { data: answer.data, pagination: answer.pagination };
    },
    /** POST /v2/callbacks/{id}/resend. Sent once (each call is one more delivery). */
    resend: async (id: string, options?: CallOptions): Promise<Callback> => {
      const answer = await this.transport.call(
        ({ signal, headers }) => this.api.POST('/v2/callbacks/{id}/resend', { params: { path: { id } }, headers, signal }),
        ONCE,
        options,
      );
      return answer.data;
    },
  };

  private get api() {
    return this.transport.api;
  }
}
