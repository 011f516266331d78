// The one place errors become Pivot's wire format: {code, message, error:{type, source, details, traceId}}.
// Handlers throw (a domain Refusal, an ApiError, a validation failure); nothing formats errors itself.
// 5xx bodies never carry internal messages.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Refusal, type FieldProblem } from '../domain/refusal.ts';
import { isDatabaseUnavailable } from '../usecases/health.ts';

/** Seconds a client is asked to wait after a 503: about what a database failover or restart takes. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * The database is unreachable, frozen or out of space: 503 service_unavailable with Retry-After, the real
 * cause in the log at error level (the body never carries it).
 */
export function sendUnavailable(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  request.log.error({ err: error }, 'database unavailable');
  reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  return send(reply, request, 503, 'service_unavailable', 'The service is temporarily unavailable; retry shortly');
}

/**
 * The instance is draining for a restart: a request that still reaches it (pipelined, or on a keep-alive
 * connection) is answered 503 with Retry-After, in the API's envelope or the page's, and `Connection: close`,
 * so the client retries on another instance.
 */
export class ShuttingDown extends Error {
  constructor() {
    super('this instance is shutting down');
  }
}

/** Stops work on requests that arrive once `app.close()` has begun (Fastify's own 503 is not Pivot's envelope). */
export function refuseWhileDraining(app: FastifyInstance): void {
  let draining = false;
  app.addHook('preClose', (done) => {
    draining = true;
    done();
  });
  app.addHook('onRequest', (_request, _reply, done) => done(draining ? new ShuttingDown() : undefined));
}

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details: FieldProblem[] = [],
  ) {
    super(message);
  }

  static credentials(message = 'The access token is missing, invalid or expired'): ApiError {
    return new ApiError(401, 'credentials_invalid', message);
  }
}

const REFUSAL_STATUS: Record<Refusal['kind'], number> = {
  validation: 400,
  state: 422,
  not_found: 404,
  duplicate: 409,
  idempotency: 409,
};

export function errorBody(statusCode: number, code: string, message: string, details: FieldProblem[], traceId: string) {
  return {
    code,
    message,
    error: {
      type: statusCode >= 500 ? ('GATEWAY_ERROR' as const) : ('API_ERROR' as const),
      source: statusCode >= 500 ? ('SYSTEM' as const) : ('UPSTREAM' as const),
      details,
      traceId,
    },
  };
}

interface AjvIssue {
  instancePath: string;
  schemaPath?: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** "/orderInformation/productDetails/0/name" → "orderInformation.productDetails[0].name" */
function fieldName(path: string, context: string): string {
  const parts = path
    .split('/')
    .filter(Boolean)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let out = '';
  for (const part of parts) out += /^\d+$/.test(part) ? `[${part}]` : out ? `.${part}` : part;
  if (context === 'querystring' || context === 'params' || context === 'headers') return out || context;
  return out || 'body';
}

/**
 * Where an anyOf failed, only its first branch speaks: the contract puts the usual case first (create's
 * "amount is required" before "or paymentType MULTIPLE"), and the other branches' complaints would name
 * fields the merchant did nothing wrong with.
 */
function firstBranchOnly(issues: AjvIssue[]): AjvIssue[] {
  const unions = issues.filter((issue) => issue.keyword === 'anyOf' && issue.schemaPath).map((issue) => `${issue.schemaPath}/`);
  if (unions.length === 0) return issues;
  return issues.filter((issue) => {
    if (issue.keyword === 'anyOf') return false;
    const path = issue.schemaPath ?? '';
    return !unions.some((union) => path.startsWith(union) && !path.startsWith(`${union}0/`));
  });
}

/** Header names are reported as Pivot spells them (X-REQUEST-ID); HTTP hands them over lower-cased. */
const headerField = (field: string, context: string) => (context === 'headers' ? field.toUpperCase() : field);

/** One entry per bad field; union branches that repeat the same field collapse into the first message. */
export function validationDetails(issues: AjvIssue[], context: string): FieldProblem[] {
  const byField = new Map<string, string>();
  for (const issue of firstBranchOnly(issues)) {
    let field = fieldName(issue.instancePath, context);
    let message = issue.message ?? 'is invalid';
    if (issue.keyword === 'required') {
      const missing = String(issue.params.missingProperty);
      field = field === 'body' || field === context ? missing : `${field}.${missing}`;
      message = 'is required';
    } else if (issue.keyword === 'enum') {
      message = `must be one of ${(issue.params.allowedValues as unknown[]).join(', ')}`;
    }
    field = headerField(field, context);
    if (!byField.has(field)) byField.set(field, `${field} ${message}`);
  }
  return [...byField.entries()].map(([field, message]) => ({ field, message }));
}

function send(
  reply: FastifyReply,
  request: FastifyRequest,
  status: number,
  code: string,
  message: string,
  details: FieldProblem[] = [],
) {
  // Refused before its body was read (401 before auth, 429, 413): close after answering, or the client
  // could keep trickling the rest of a body Node would read and discard.
  if (!request.raw.complete) reply.header('connection', 'close');
  // A refusal is the merchant's to fix: one line with its code (the logger adds the traceId they quote).
  if (status < 500) request.log.info({ status, code, details: details.map((d) => d.field) }, 'request refused');
  return reply.status(status).send(errorBody(status, code, message, details, String(request.id)));
}

const FRAMEWORK_CODES: Record<number, string> = {
  400: 'api_validation_error',
  401: 'credentials_invalid',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'frequency_above_limit',
};

/** Router-level failures (bad %-encoding in the URL, an over-long path parameter) skip setErrorHandler: same envelope. */
export function frameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  return send(reply, request, status, FRAMEWORK_CODES[status] ?? 'api_validation_error', error.message);
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError & { validation?: AjvIssue[]; validationContext?: string }, request, reply) => {
    if (error instanceof Refusal) {
      return send(reply, request, REFUSAL_STATUS[error.kind], error.code, error.message, error.details);
    }
    if (error instanceof ApiError) return send(reply, request, error.statusCode, error.code, error.message, error.details);
    if (error.validation) {
      const details = validationDetails(error.validation, error.validationContext ?? 'body');
      return send(reply, request, 400, 'api_validation_error', 'The request is invalid', details);
    }
    if (isDatabaseUnavailable(error)) return sendUnavailable(error, request, reply);
    if (error instanceof ShuttingDown) {
      reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      return send(reply, request, 503, 'service_unavailable', 'This instance is restarting; retry shortly');
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // Malformed JSON, wrong content type, body too large …: the framework's message is safe and useful.
      return send(reply, request, status, FRAMEWORK_CODES[status] ?? 'api_validation_error', error.message);
    }
    request.log.error({ err: error }, 'unhandled error');
    return send(reply, request, 500, 'internal_error', 'Something went wrong on our side; quote the traceId if you contact us');
  });

  app.setNotFoundHandler((request, reply) =>
    send(reply, request, 404, 'not_found', `No route ${request.method} ${request.url.split('?')[0]}`),
  );
}
