// The errors every call rejects with: KasirApiError for an answer in Pivot's error envelope (or any other
// non-2xx answer), KasirNetworkError when no answer came (connection failed, the attempt timed out) or a 2xx
// answer was not JSON.
import type { FieldProblem } from './types.js';

export interface KasirApiErrorInit {
  status: number;
  code: string;
  message: string;
  details: FieldProblem[];
  traceId: string | null;
  type: string | null;
  source: string | null;
  requestId: string;
  retryAfterMs: number | null;
}

/** The server answered with an error: its HTTP status and the envelope's code, details and traceId. */
export class KasirApiError extends Error {
  override readonly name = 'KasirApiError';
  readonly status: number;
  /** Pivot's error code, e.g. `api_validation_error`, `resource_missing`, `invalid_state`; `http_<status>` when the body was not an envelope. */
  readonly code: string;
  /** One entry per bad field on a 400; empty otherwise. */
  readonly details: FieldProblem[];
  /** The server's id for this request, on its log lines too; quote it in a support request. */
  readonly traceId: string | null;
  /** `API_ERROR` or `GATEWAY_ERROR`, when the envelope said. */
  readonly type: string | null;
  /** `UPSTREAM`, `DOWNSTREAM` or `SYSTEM`, when the envelope said. */
  readonly source: string | null;
  /** The X-REQUEST-ID this call was sent with. */
  readonly requestId: string;
  /** What a Retry-After header asked for, in milliseconds. */
  readonly retryAfterMs: number | null;

  constructor(init: KasirApiErrorInit) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
    this.traceId = init.traceId;
    this.type = init.type;
    this.source = init.source;
    this.requestId = init.requestId;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** No answer: the connection failed or the attempt ran past `timeoutMs`. `cause` holds the underlying error. */
export class KasirNetworkError extends Error {
  override readonly name = 'KasirNetworkError';
  readonly requestId: string;
  /** The last attempt ran out of time (the per-attempt `timeoutMs`). */
  readonly timedOut: boolean;

  constructor(message: string, options: { cause: unknown; requestId: string; timedOut: boolean }) {
    super(message, { cause: options.cause });
    this.requestId = options.requestId;
    this.timedOut = options.timedOut;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function fieldProblems(value: unknown): FieldProblem[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) =>
    isRecord(entry) && typeof entry.field === 'string' && typeof entry.message === 'string'
      ? [{ field: entry.field, message: entry.message }]
      : [],
  );
}

/** Reads Pivot's `{code, message, error: {type, source, details, traceId}}` from whatever the body was. */
export function apiErrorOf(
  status: number,
  body: unknown,
  context: { requestId: string; retryAfterMs: number | null },
): KasirApiError {
  const envelope = isRecord(body) ? body : {};
  const error = isRecord(envelope.error) ? envelope.error : {};
  const fallback = typeof body === 'string' && body.trim() ? body.trim().slice(0, 200) : `HTTP ${status}`;
  return new KasirApiError({
    status,
    code: text(envelope.code) ?? `http_${status}`,
    message: text(envelope.message) ?? fallback,
    details: fieldProblems(error.details),
    traceId: text(error.traceId),
    type: text(error.type),
    source: text(error.source),
    ...context,
  });
}
