// PostgreSQL text cannot hold a NUL character (U+0000): a query carrying one fails in the driver, which
// reached merchants as a 500 (callback history filters, resend, a statementDescriptor, a merchant id
// header). It is the one character JavaScript strings carry and PostgreSQL refuses, and no field of the
// API has a use for it, so it is refused here, once for every route, before validation, handlers or the
// database see it: 400 api_validation_error with one detail per field that carries one.
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { FieldProblem } from '../domain/refusal.ts';
import { ApiError } from './errors.ts';

const NUL = '\u0000';
const MESSAGE = 'must not contain a NUL character (U+0000)';
/** A hostile body could hold thousands of bad fields; a few named ones say enough. */
const MAX_DETAILS = 20;

/** Fastify preValidation hook (the body is parsed by then): refuses NUL in params, query, headers and body. */
export function refuseNulCharacters(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  const problems: FieldProblem[] = [];
  const report = (field: string) => {
    if (problems.length < MAX_DETAILS) problems.push({ field, message: `${field} ${MESSAGE}` });
  };
  // Params and query are decoded from the URL, where a NUL can only arrive percent-encoded: a URL without
  // one spares walking them (most requests; a GET's walk was 1% of its CPU).
  if (mayHoldNul(request.raw.url ?? '')) {
    walk(request.params, 'params', report);
    walk(request.query, 'querystring', report);
  }
  const headers = request.headers;
  for (const name in headers) {
    if (holdsNul(headers[name])) report(name.toUpperCase());
  }
  if (request.body !== undefined) walk(request.body, 'body', report);
  if (problems.length === 0) return done();
  done(new ApiError(400, 'api_validation_error', 'The request is invalid', problems));
}

function mayHoldNul(url: string): boolean {
  return url.includes('%00') || url.includes(NUL);
}

function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes(NUL);
  return Array.isArray(value) && value.some((v) => typeof v === 'string' && v.includes(NUL));
}

interface Node {
  value: unknown;
  parent: Node | undefined;
  /** Property name, or array index, under the parent. */
  key: string | number | undefined;
}

/** `a.b[0].c`, the way validation details name fields; built only for a field that is reported. */
function pathOf(node: Node): string {
  const parts: Array<string | number> = [];
  for (let n: Node | undefined = node; n?.key !== undefined; n = n.parent) parts.push(n.key);
  let path = '';
  for (const part of parts.reverse()) path += typeof part === 'number' ? `[${part}]` : path ? `.${part}` : part;
  return path;
}

/**
 * Every string (and key) under `value`. Iterative, with paths built only on a hit: a body may be nested
 * thousands deep (the create route refuses that later, after this has run).
 */
function walk(value: unknown, root: string, report: (field: string) => void): void {
  const stack: Node[] = [{ value, parent: undefined, key: undefined }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const v = node.value;
    if (typeof v === 'string') {
      if (v.includes(NUL)) report(pathOf(node) || root);
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], parent: node, key: i });
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, item] = entries[i]!;
        const child = { value: item, parent: node, key };
        if (key.includes(NUL)) report(pathOf(child));
        stack.push(child);
      }
    }
  }
}
