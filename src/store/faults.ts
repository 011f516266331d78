// Which failures mean "the database is not answering right now" rather than "this request or this code is
// wrong": the app answers the first with 503 and Retry-After, the second stays a 500. One list for both
// drivers, so the API, the page and the background workers agree on what an outage looks like.
import { errorMessage, memberOf } from '../domain/json.ts';

/** Socket-level failures reaching the database server (Node's error codes). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL SQLSTATEs: 08 connection exception, 53 insufficient resources (disk full, out of memory,
 * too many connections), 58 system error (I/O); 57P01–57P03 the server shutting down or starting
 * ("terminating connection due to administrator command" is pg_terminate_backend), 57014 a statement
 * cancelled by statement_timeout, 25P03 a session ended by idle_in_transaction_session_timeout.
 */
const PG_CLASSES = ['08', '53', '58'];
const PG_STATES = new Set(['57P01', '57P02', '57P03', '57014', '25P03']);

/**
 * What node-postgres and pg-pool say, without a code, when the connection is gone or never answers
 * (their messages are their API: pg's own test suite matches them).
 */
const PG_DRIVER_MESSAGES = new Set([
  'Connection terminated unexpectedly',
  'Connection terminated due to connection timeout',
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'Client has encountered a connection error and is not queryable',
]);

/**
 * better-sqlite3 codes (extended ones share the prefix: SQLITE_IOERR_WRITE, SQLITE_BUSY_SNAPSHOT …): I/O
 * errors, a full disk, a lock still held after busy_timeout, a file that cannot be opened or written.
 */
const SQLITE_PREFIXES = ['SQLITE_IOERR', 'SQLITE_FULL', 'SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_CANTOPEN', 'SQLITE_READONLY'];

function looksUnavailable(error: object): boolean {
  const code = memberOf(error, 'code');
  const message = errorMessage(error);
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || PG_STATES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code) && PG_CLASSES.includes(code.slice(0, 2))) return true;
    if (SQLITE_PREFIXES.some((prefix) => code === prefix || code.startsWith(`${prefix}_`))) return true;
  }
  return typeof message === 'string' && PG_DRIVER_MESSAGES.has(message);
}

/**
 * True when `error` (or what it wraps: `cause`, an AggregateError's `errors`) says the database is
 * unreachable, frozen, overloaded or out of space — worth retrying later, not a bug.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  if (looksUnavailable(error)) return true;
  if (isDatabaseUnavailable(memberOf(error, 'cause'), depth + 1)) return true;
  const errors = memberOf(error, 'errors');
  return Array.isArray(errors) && errors.some((inner) => isDatabaseUnavailable(inner, depth + 1));
}
