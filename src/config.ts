// Every environment variable Kasir reads, validated once at start into one Config (the database's and the HTTP
// server's sections in config-database.ts and config-http.ts). No other module reads process.env.
import {
  parseDatabaseTimeouts,
  parseDatabaseUrl,
  withSchema,
  type DatabaseLocation,
  type DatabaseTimeouts,
} from './config-database.ts';
import { openFileLimit, parseHttpLimits, parseTrustProxy, type HttpLimits } from './config-http.ts';
import {
  ConfigError,
  isHttpUrl,
  parseBool,
  parseEnum,
  parsePort,
  parsePositiveInt,
  parsePublicUrl,
  parseSchedule,
  type Env,
} from './config-values.ts';

export type KasirEnv = 'sandbox' | 'production';

export interface SeedMerchant {
  id?: string;
  secret?: string;
  callbackUrl?: string;
  callbackApiKey?: string;
  webhookSecret?: string;
}

export interface Config {
  port: number;
  host: string;
  /** schema: PostgreSQL schema to run in (KASIR_DATABASE_SCHEMA; created if missing), default search_path otherwise. */
  database: DatabaseLocation;
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
