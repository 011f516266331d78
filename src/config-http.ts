// What one client connection may hold (timeouts, the connection cap from the file limit) and which
// reverse proxies' X-Forwarded-For is believed.
import { readFileSync } from 'node:fs';
import ipaddr from 'ipaddr.js';
import { ConfigError, parsePositiveInt, type Env } from './config-values.ts';

/**
 * What one client connection may hold. Every route gets the same bounds, before authentication too: a
 * client that sends its headers or body slowly, or sits idle, gives its connection back in bounded time.
 */
export interface HttpLimits {
  /** Time to receive a request's headers. */
  headersTimeoutMs: number;
  /** Time to receive a whole request, body included. */
  requestTimeoutMs: number;
  /** Idle time allowed between requests on a kept-alive connection. */
  keepAliveTimeoutMs: number;
  /** A connection with no traffic either way for this long is closed (a stalled client, a stalled reader). */
  idleTimeoutMs: number;
  /** Connections served at once; further ones are closed on arrival, so the process keeps file handles. */
  maxConnections: number;
}

/** The timeouts' defaults; the connection cap's comes from the file limit (defaultMaxConnections). */
export const HTTP_TIMEOUT_DEFAULTS = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  idleTimeoutMs: 30_000,
} satisfies Partial<HttpLimits>;

/** The process's open-file limit (soft), where the platform tells (Linux: /proc/self/limits). */
export function openFileLimit(): number | undefined {
  try {
    const line = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return line?.[1] === undefined ? undefined : Number(line[1]);
  } catch {
    return undefined;
  }
}

/**
 * Half the file limit, so listening sockets never take the handles the database, callbacks and logs
 * need; at most 10,000 (beyond that, memory per connection matters more than handles); 512 where the
 * limit cannot be read.
 */
export function defaultMaxConnections(fileLimit: number | undefined): number {
  if (fileLimit === undefined) return 512;
  return Math.max(1, Math.min(10_000, Math.floor(fileLimit / 2)));
}

export function parseHttpLimits(env: Env, fileLimit: number | undefined): HttpLimits {
  const limits: HttpLimits = {
    headersTimeoutMs: parsePositiveInt(
      'KASIR_HEADERS_TIMEOUT_MS',
      env.KASIR_HEADERS_TIMEOUT_MS ?? String(HTTP_TIMEOUT_DEFAULTS.headersTimeoutMs),
    ),
    requestTimeoutMs: parsePositiveInt(
      'KASIR_REQUEST_TIMEOUT_MS',
      env.KASIR_REQUEST_TIMEOUT_MS ?? String(HTTP_TIMEOUT_DEFAULTS.requestTimeoutMs),
    ),
    keepAliveTimeoutMs: parsePositiveInt(
      'KASIR_KEEP_ALIVE_TIMEOUT_MS',
      env.KASIR_KEEP_ALIVE_TIMEOUT_MS ?? String(HTTP_TIMEOUT_DEFAULTS.keepAliveTimeoutMs),
    ),
    idleTimeoutMs: parsePositiveInt(
      'KASIR_IDLE_TIMEOUT_MS',
      env.KASIR_IDLE_TIMEOUT_MS ?? String(HTTP_TIMEOUT_DEFAULTS.idleTimeoutMs),
    ),
    maxConnections:
      env.KASIR_MAX_CONNECTIONS === undefined
        ? defaultMaxConnections(fileLimit)
        : parsePositiveInt('KASIR_MAX_CONNECTIONS', env.KASIR_MAX_CONNECTIONS),
  };
  // Node refuses a headers timeout longer than the request timeout; say so in our words.
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new ConfigError('KASIR_HEADERS_TIMEOUT_MS must not be longer than KASIR_REQUEST_TIMEOUT_MS');
  }
  if (fileLimit !== undefined && limits.maxConnections >= fileLimit) {
    throw new ConfigError(`KASIR_MAX_CONNECTIONS must be below the open-file limit (${fileLimit}), got ${limits.maxConnections}`);
  }
  return limits;
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

export function parseTrustProxy(raw: string | undefined): string[] | false {
  if (raw === undefined || raw.trim() === '') return false;
  const entries = raw.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    const valid =
      PROXY_NAMES.includes(entry) ||
      (entry.includes('/')
        ? ipaddr.IPv4.isValidCIDRFourPartDecimal(entry) || ipaddr.IPv6.isValidCIDR(entry)
        : ipaddr.IPv4.isValidFourPartDecimal(entry) || ipaddr.IPv6.isValid(entry));
    if (!valid) {
      throw new ConfigError(
        `KASIR_TRUST_PROXY must list proxy addresses or CIDR ranges (or loopback, linklocal, uniquelocal), bad entry "${entry}"`,
      );
    }
  }
  return entries;
}
