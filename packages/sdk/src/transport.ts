// One logical call, start to end: the bearer token, the X-REQUEST-ID (the same on every attempt), a timeout per
// attempt, the retry rules of retry.ts, one fresh token after a 401, and the answer's `data` or a typed error.
import createClient, { type Client } from 'openapi-fetch';
import { TokenCache } from './auth.js';
import { apiErrorOf, KasirNetworkError } from './errors.js';
import type { paths } from './generated/openapi.js';
import { isValidRequestId, newRequestId } from './request-id.js';
import { backoffDelay, parseRetryAfter, RETRYABLE_STATUSES, type RetrySettings } from './retry.js';

export interface TransportSettings {
  baseUrl: string;
  merchantId: string;
  merchantSecret: string;
  fetch: typeof fetch;
  timeoutMs: number;
  retry: RetrySettings;
  now: () => number;
}

/** Per call: an X-REQUEST-ID of the caller's (e.g. stored with an order, to retry it after a crash) and a signal to give up. */
export interface CallOptions {
  requestId?: string;
  signal?: AbortSignal;
}

/** What each attempt is sent with: spread it into openapi-fetch's options. */
export interface Attempt {
  signal: AbortSignal;
  headers: Record<string, string>;
}

/** The shape of an openapi-fetch answer: `data` on a 2xx, `error` (the parsed body) otherwise. */
interface Answer<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

export interface CallPolicy {
  /** Safe to send again after it may have reached the server (GET, token exchange, X-REQUEST-ID replay). */
  idempotent: boolean;
  /** Sent with the bearer token (every call but the token exchange). */
  authenticated: boolean;
}

export class Transport {
  readonly api: Client<paths>;
  private readonly tokens: TokenCache;

  constructor(private readonly settings: TransportSettings) {
    this.api = createClient<paths>({ baseUrl: settings.baseUrl, fetch: settings.fetch });
    this.tokens = new TokenCache(() => this.exchange(), settings.now);
  }

  async call<D>(
    send: (attempt: Attempt, requestId: string) => Promise<Answer<D>>,
    policy: CallPolicy,
    options: CallOptions = {},
  ): Promise<D> {
    const requestId = options.requestId ?? newRequestId();
    if (!isValidRequestId(requestId)) throw new TypeError('requestId must be 16–36 letters and digits (Pivot’s X-REQUEST-ID)');
    const { retry } = this.settings;
    let retries = 0;
    let refreshedToken = false;
    for (;;) {
      const token = policy.authenticated ? await this.tokens.get() : null;
      // Times the attempt up to its answer, then stops: an event stream's body is read long after that.
      // (A JSON answer's body is read before `send` resolves, so it is timed too.)
      const timeout = new AbortController();
      const timer = setTimeout(
        () => timeout.abort(new DOMException(`no answer within ${this.settings.timeoutMs} ms`, 'TimeoutError')),
        this.settings.timeoutMs,
      );
      const signal = options.signal ? AbortSignal.any([options.signal, timeout.signal]) : timeout.signal;
      const headers: Record<string, string> = { 'X-REQUEST-ID': requestId };
      if (token !== null) headers.Authorization = `Bearer ${token}`;

      let answer: Answer<D>;
      try {
        answer = await send({ signal, headers }, requestId);
        clearTimeout(timer);
      } catch (cause) {
        clearTimeout(timer);
        // The caller gave up: no retry, and their reason, not ours.
        if (options.signal?.aborted) throw options.signal.reason;
        const timedOut = timeout.signal.aborted;
        // openapi-fetch parses a 2xx body as JSON: a SyntaxError means something answered that is not Kasir
        // (an HTML page at a wrong baseUrl, say), and asking it again will not change that.
        const notJson = cause instanceof SyntaxError;
        if (policy.idempotent && !notJson && retries < retry.maxRetries) {
          await retry.sleep(backoffDelay(retries++, retry, null), options.signal);
          continue;
        }
        const what = timedOut
          ? `no answer within ${this.settings.timeoutMs} ms`
          : notJson
            ? 'the answer was not JSON (is baseUrl a Kasir or Pivot API?)'
            : 'the request failed before an answer came';
        throw new KasirNetworkError(`Kasir: ${what}`, { cause, requestId, timedOut });
      }

      const { response } = answer;
      if (response.ok && answer.data !== undefined) return answer.data;
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.settings.now());
      const error = apiErrorOf(response.status, response.ok ? 'The answer had no body' : answer.error, {
        requestId,
        retryAfterMs,
      });
      // Kasir refuses a bad token before it reads the request, so even a call that is not idempotent may go
      // again, once, with a fresh token (the old one expired, or the secret was rotated).
      if (response.status === 401 && token !== null && !refreshedToken) {
        this.tokens.invalidate(token);
        refreshedToken = true;
        continue;
      }
      if (policy.idempotent && RETRYABLE_STATUSES.has(response.status) && retries < retry.maxRetries) {
        if (retryAfterMs === null || retryAfterMs <= retry.maxRetryAfterMs) {
          await retry.sleep(backoffDelay(retries++, retry, retryAfterMs), options.signal);
          continue;
        }
      }
      throw error;
    }
  }

  /** POST /v1/access-token: nothing changes on the server, so it is retried like a GET. */
  private async exchange() {
    const data = await this.call(
      (attempt) =>
        this.api.POST('/v1/access-token', {
          params: { header: { 'x-merchant-id': this.settings.merchantId, 'x-merchant-secret': this.settings.merchantSecret } },
          body: { grantType: 'client_credentials' },
          ...attempt,
        }),
      { idempotent: true, authenticated: false },
    );
    const expiresInSeconds = Number(data.data.expiresIn);
    if (!Number.isFinite(expiresInSeconds) || expiresInSeconds <= 0) {
      throw new TypeError(`Kasir: the access token's expiresIn is not a number of seconds: ${data.data.expiresIn}`);
    }
    return { accessToken: data.data.accessToken, expiresInSeconds };
  }
}
