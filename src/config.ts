// Every environment variable Kasir reads, validated once at start. No other module reads process.env.
import { readFileSync } from 'node:fs';
import ipaddr from 'ipaddr.js';

export type KasirEnv = 'sandbox' | 'production';

export interface SeedMerchant {
  id?: string;
  secret?: string;
  callbackUrl?: string;
  callbackApiKey?: string;
  webhookSecret?: string;
}

/**
 * How long a database call may take before Kasir gives up and answers 503 (milliseconds). PostgreSQL
 * applies all four; SQLite only waits for a lock, up to its own busy_timeout.
 */
export interface DatabaseTimeouts {
  /** Opening a connection, and waiting for a free one in the pool (pg connectionTimeoutMillis). */
  connectMs: number;
  /** The server cancels a statement running longer (statement_timeout). */
  statementMs: number;
  /** The client stops waiting for an answer (pg query_timeout): the bound when the server is frozen. */
  queryMs: number;
  /** The server ends a session idle inside a transaction (idle_in_transaction_session_timeout). */
  idleInTransactionMs: number;
}

export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = {
  connectMs: 5000,
  statementMs: 5000,
  queryMs: 8000,
  idleInTransactionMs: 10000,
};

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

export interface Config {
  port: number;
  host: string;
  /** schema: PostgreSQL schema to run in (KASIR_DATABASE_SCHEMA; created if missing), default search_path otherwise. */
  database: { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string; schema?: string };
  publicUrl: string;
  env: KasirEnv;
  /** undefined → generated on first start and persisted in the database */
  tokenSecret?: string;
  seedMerchant: SeedMerchant;
  logLevel: string;
  /** How often the background sweeper looks for sessions past their expiry (and sandbox refunds that are due). */
  sweepIntervalMs: number;
  /** Sandbox only: how long a refund waits before each step it takes by itself (PENDING → … → SUCCESS/FAILED). */
  sandboxRefundDelayMs: number;
  /** Seconds between callback attempts; the last entry is the final retry. */
  callbackRetrySchedule: number[];
  callbackTimeoutMs: number;
  /** Callback URLs on loopback/private networks are refused in production unless this is set. */
  allowPrivateCallbackUrls: boolean;
  callbackPollIntervalMs: number;
  /** Callback sends in flight at once in one process, and for one merchant (so a slow one cannot take all). */
  callbackConcurrency: number;
  callbackMerchantConcurrency: number;
  /** Failed attempts in a row that open a merchant's circuit, and how long it stays open before a probe. */
  callbackBreakerFailures: number;
  callbackBreakerCooldownMs: number;
  /** Access-token requests allowed per minute per client address, whatever merchant id they name. */
  tokenRateLimitPerMinute: number;
  /** Payment-page requests per minute per page token and per client address (then a 429 page). */
  pageRateLimits: { perTokenPerMinute: number; perAddressPerMinute: number };
  databaseTimeouts: DatabaseTimeouts;
  /** /readyz answers 503 when a trivial query takes longer than this. */
  readyTimeoutMs: number;
  /** When set, /metrics answers only `Authorization: Bearer <this>`; unset, anyone who reaches the port may scrape. */
  metricsToken?: string;
  /** Access-token requests allowed per minute per merchant id, from all addresses together. */
  tokenRateLimitPerMerchantPerMinute: number;
  http: HttpLimits;
  /**
   * Addresses (or CIDR ranges, or proxy-addr's names loopback, linklocal, uniquelocal) of reverse proxies
   * whose X-Forwarded-For is believed; false: the client address is the socket's.
   */
  trustProxy: string[] | false;
  dashboard: DashboardSettings;
}

/** The merchant dashboard under /dashboard (issue 11). */
export interface DashboardSettings {
  /** KASIR_DASHBOARD=false removes every /dashboard route. */
  enabled: boolean;
  /** A signed-in session ends after this long without a request… */
  idleTimeoutMs: number;
  /** …and this long after sign-in whatever happens. */
  sessionLifetimeMs: number;
  /** Sign-in attempts per 15 minutes per client address, and per email from all addresses. */
  signInPerAddress: number;
  signInPerEmail: number;
}

export const DASHBOARD_DEFAULTS: DashboardSettings = {
  enabled: true,
  idleTimeoutMs: 30 * 60_000,
  sessionLifetimeMs: 12 * 3_600_000,
  signInPerAddress: 30,
  signInPerEmail: 10,
};

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

const DEFAULT_RETRY_SCHEDULE = '5m,15m,1h,3h,6h,12h';

/** Long enough to watch a refund's PENDING callback arrive before its next one, short enough to wait for. */
export const DEFAULT_SANDBOX_REFUND_DELAY_MS = 5000;

/** Callback delivery defaults, shared with the dispatcher for callers that set none (tests, tools). */
export const CALLBACK_DELIVERY_DEFAULTS = {
  concurrency: 64,
  merchantConcurrency: 8,
  breakerFailures: 5,
  breakerCooldownMs: 30_000,
} as const;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

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

export function loadConfig(env: Env = process.env, fileLimit: number | undefined = openFileLimit()): Config {
  const port = parsePort(env.PORT ?? '3000');
  const kasirEnv = parseEnum('KASIR_ENV', env.KASIR_ENV ?? 'sandbox', ['sandbox', 'production'] as const);
  const publicUrl = parsePublicUrl(env.KASIR_PUBLIC_URL ?? `http://localhost:${port}`);
  const tokenSecret = env.KASIR_TOKEN_SECRET;
  if (tokenSecret !== undefined && tokenSecret.length < 32) {
    throw new ConfigError('KASIR_TOKEN_SECRET must be at least 32 characters long');
  }
  const callbackUrl = env.KASIR_CALLBACK_URL;
  if (callbackUrl !== undefined && !isHttpUrl(callbackUrl)) {
    throw new ConfigError(`KASIR_CALLBACK_URL must be an absolute http(s) URL, got "${callbackUrl}"`);
  }
  const webhookSecret = env.KASIR_WEBHOOK_SECRET;
  if (webhookSecret !== undefined && !/^whsec_[A-Za-z0-9+/]{16,}={0,2}$/.test(webhookSecret)) {
    throw new ConfigError('KASIR_WEBHOOK_SECRET must be a Standard Webhooks secret: "whsec_" followed by base64');
  }
  const logLevel = parseEnum('LOG_LEVEL', env.LOG_LEVEL ?? 'info', LOG_LEVELS);
  const defaults = CALLBACK_DELIVERY_DEFAULTS;
  const callbackConcurrency = parsePositiveInt(
    'KASIR_CALLBACK_CONCURRENCY',
    env.KASIR_CALLBACK_CONCURRENCY ?? String(defaults.concurrency),
  );
  const callbackMerchantConcurrency = parsePositiveInt(
    'KASIR_CALLBACK_MERCHANT_CONCURRENCY',
    env.KASIR_CALLBACK_MERCHANT_CONCURRENCY ?? String(Math.min(defaults.merchantConcurrency, callbackConcurrency)),
  );
  if (callbackMerchantConcurrency > callbackConcurrency) {
    throw new ConfigError(
      `KASIR_CALLBACK_MERCHANT_CONCURRENCY (${callbackMerchantConcurrency}) must not exceed KASIR_CALLBACK_CONCURRENCY (${callbackConcurrency})`,
    );
  }
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    database: withSchema(parseDatabaseUrl(env.DATABASE_URL), env.KASIR_DATABASE_SCHEMA),
    publicUrl,
    env: kasirEnv,
    tokenSecret,
    seedMerchant: {
      id: env.KASIR_MERCHANT_ID,
      secret: env.KASIR_MERCHANT_SECRET,
      callbackUrl,
      callbackApiKey: env.KASIR_CALLBACK_API_KEY,
      webhookSecret,
    },
    logLevel,
    sweepIntervalMs: parsePositiveInt('KASIR_SWEEP_INTERVAL_MS', env.KASIR_SWEEP_INTERVAL_MS ?? '1000'),
    sandboxRefundDelayMs: parsePositiveInt(
      'KASIR_SANDBOX_REFUND_DELAY_MS',
      env.KASIR_SANDBOX_REFUND_DELAY_MS ?? String(DEFAULT_SANDBOX_REFUND_DELAY_MS),
    ),
    callbackRetrySchedule: parseSchedule(env.KASIR_CALLBACK_RETRY_SCHEDULE ?? DEFAULT_RETRY_SCHEDULE),
    callbackTimeoutMs: parsePositiveInt('KASIR_CALLBACK_TIMEOUT_MS', env.KASIR_CALLBACK_TIMEOUT_MS ?? '10000'),
    allowPrivateCallbackUrls: parseBool('KASIR_ALLOW_PRIVATE_CALLBACK_URLS', env.KASIR_ALLOW_PRIVATE_CALLBACK_URLS ?? 'false'),
    callbackPollIntervalMs: parsePositiveInt('KASIR_CALLBACK_POLL_MS', env.KASIR_CALLBACK_POLL_MS ?? '250'),
    callbackConcurrency,
    callbackMerchantConcurrency,
    callbackBreakerFailures: parsePositiveInt(
      'KASIR_CALLBACK_BREAKER_FAILURES',
      env.KASIR_CALLBACK_BREAKER_FAILURES ?? String(defaults.breakerFailures),
    ),
    callbackBreakerCooldownMs: parsePositiveInt(
      'KASIR_CALLBACK_BREAKER_COOLDOWN_MS',
      env.KASIR_CALLBACK_BREAKER_COOLDOWN_MS ?? String(defaults.breakerCooldownMs),
    ),
    tokenRateLimitPerMinute: parsePositiveInt('KASIR_TOKEN_RATE_LIMIT', env.KASIR_TOKEN_RATE_LIMIT ?? '60'),
    pageRateLimits: {
      perTokenPerMinute: parsePositiveInt('KASIR_PAGE_RATE_LIMIT', env.KASIR_PAGE_RATE_LIMIT ?? '120'),
      perAddressPerMinute: parsePositiveInt('KASIR_PAGE_ADDRESS_RATE_LIMIT', env.KASIR_PAGE_ADDRESS_RATE_LIMIT ?? '1200'),
    },
    databaseTimeouts: parseDatabaseTimeouts(env),
    readyTimeoutMs: parsePositiveInt('KASIR_READY_TIMEOUT_MS', env.KASIR_READY_TIMEOUT_MS ?? '1000'),
    tokenRateLimitPerMerchantPerMinute: parsePositiveInt(
      'KASIR_TOKEN_RATE_LIMIT_PER_MERCHANT',
      env.KASIR_TOKEN_RATE_LIMIT_PER_MERCHANT ?? '30',
    ),
    http: parseHttpLimits(env, fileLimit),
    trustProxy: parseTrustProxy(env.KASIR_TRUST_PROXY),
    dashboard: parseDashboard(env),
    ...(env.KASIR_METRICS_TOKEN !== undefined && { metricsToken: parseMetricsToken(env.KASIR_METRICS_TOKEN) }),
  };
}

function parseMetricsToken(token: string): string {
  if (!/^[\x21-\x7e]{16,256}$/.test(token)) {
    throw new ConfigError('KASIR_METRICS_TOKEN must be 16 to 256 printable characters without spaces');
  }
  return token;
}

function parseDashboard(env: Env): DashboardSettings {
  const d = DASHBOARD_DEFAULTS;
  return {
    enabled: parseBool('KASIR_DASHBOARD', env.KASIR_DASHBOARD ?? 'true'),
    idleTimeoutMs:
      parsePositiveInt('KASIR_DASHBOARD_IDLE_MINUTES', env.KASIR_DASHBOARD_IDLE_MINUTES ?? String(d.idleTimeoutMs / 60_000)) *
      60_000,
    sessionLifetimeMs:
      parsePositiveInt(
        'KASIR_DASHBOARD_SESSION_HOURS',
        env.KASIR_DASHBOARD_SESSION_HOURS ?? String(d.sessionLifetimeMs / 3_600_000),
      ) * 3_600_000,
    signInPerAddress: parsePositiveInt(
      'KASIR_DASHBOARD_SIGNIN_LIMIT',
      env.KASIR_DASHBOARD_SIGNIN_LIMIT ?? String(d.signInPerAddress),
    ),
    signInPerEmail: parsePositiveInt(
      'KASIR_DASHBOARD_SIGNIN_LIMIT_PER_EMAIL',
      env.KASIR_DASHBOARD_SIGNIN_LIMIT_PER_EMAIL ?? String(d.signInPerEmail),
    ),
  };
}

function parseDatabaseTimeouts(env: Env): DatabaseTimeouts {
  const read = (name: string, fallback: number) => parsePositiveInt(name, env[name] ?? String(fallback));
  const timeouts = {
    connectMs: read('KASIR_DB_CONNECT_TIMEOUT_MS', DEFAULT_DATABASE_TIMEOUTS.connectMs),
    statementMs: read('KASIR_DB_STATEMENT_TIMEOUT_MS', DEFAULT_DATABASE_TIMEOUTS.statementMs),
    queryMs: read('KASIR_DB_QUERY_TIMEOUT_MS', DEFAULT_DATABASE_TIMEOUTS.queryMs),
    idleInTransactionMs: read('KASIR_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS', DEFAULT_DATABASE_TIMEOUTS.idleInTransactionMs),
  };
  // Otherwise a slow statement is abandoned by the client first: its connection is thrown away while the
  // server keeps running it, instead of the server cancelling it and the connection staying usable.
  if (timeouts.queryMs <= timeouts.statementMs) {
    throw new ConfigError(
      `KASIR_DB_QUERY_TIMEOUT_MS (${timeouts.queryMs}) must be greater than KASIR_DB_STATEMENT_TIMEOUT_MS (${timeouts.statementMs})`,
    );
  }
  return timeouts;
}

function parseHttpLimits(env: Env, fileLimit: number | undefined): HttpLimits {
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

function parseTrustProxy(raw: string | undefined): string[] | false {
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

function parsePort(raw: string): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be an integer between 0 and 65535, got "${raw}"`);
  }
  return port;
}

function parsePositiveInt(name: string, raw: string): number {
  if (!/^[1-9]\d*$/.test(raw)) throw new ConfigError(`${name} must be a positive integer, got "${raw}"`);
  return Number(raw);
}

function parseBool(name: string, raw: string): boolean {
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function parseEnum<T extends string>(name: string, raw: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function isHttpUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function parsePublicUrl(raw: string): string {
  if (!isHttpUrl(raw)) throw new ConfigError(`KASIR_PUBLIC_URL must be an absolute http(s) URL, got "${raw}"`);
  return raw.replace(/\/+$/, '');
}

export function parseDatabaseUrl(raw: string | undefined): Config['database'] {
  if (raw === undefined || raw === '') return { kind: 'sqlite', path: './data/kasir.db' };
  if (raw.startsWith('file:')) {
    const path = raw.slice('file:'.length);
    if (path === '') throw new ConfigError('DATABASE_URL "file:" needs a path, e.g. file:./data/kasir.db');
    return { kind: 'sqlite', path };
  }
  if (/^postgres(ql)?:\/\//.test(raw)) {
    try {
      new URL(raw);
    } catch {
      throw new ConfigError('DATABASE_URL is not a valid postgres:// URL');
    }
    return { kind: 'postgres', url: raw };
  }
  throw new ConfigError('DATABASE_URL must be unset, file:PATH (SQLite) or postgres://… (PostgreSQL)');
}

function withSchema(database: Config['database'], schema: string | undefined): Config['database'] {
  if (schema === undefined || schema === '') return database;
  if (database.kind !== 'postgres') throw new ConfigError('KASIR_DATABASE_SCHEMA only applies to a postgres:// DATABASE_URL');
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new ConfigError(`KASIR_DATABASE_SCHEMA must be a lower-case SQL identifier (a-z, 0-9, _), got "${schema}"`);
  }
  return { ...database, schema };
}

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };

/** "5m,15m,1h" → [300, 900, 3600] (seconds; fractions allowed for ms). */
export function parseSchedule(raw: string): number[] {
  const parts = raw.split(',').map((p) => p.trim());
  const seconds = parts.map((part) => {
    const [, count, unit] = /^(\d+)(ms|s|m|h|d)$/.exec(part) ?? [];
    const unitSeconds = unit === undefined ? undefined : UNIT_SECONDS[unit];
    if (unitSeconds === undefined) {
      throw new ConfigError(`KASIR_CALLBACK_RETRY_SCHEDULE must be a comma-separated list like 5m,15m,1h; bad entry "${part}"`);
    }
    return Number(count) * unitSeconds;
  });
  if (seconds.length === 0 || seconds.length > 20) {
    throw new ConfigError('KASIR_CALLBACK_RETRY_SCHEDULE must list between 1 and 20 delays');
  }
  return seconds;
}
