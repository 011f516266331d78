import { describe, expect, it } from 'vitest';
import { defaultMaxConnections, openFileLimit } from '../src/config-http.ts';
import { ConfigError, parseSchedule } from '../src/config-values.ts';
import { loadConfig } from '../src/config.ts';

describe('configuration', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.database).toEqual({ kind: 'sqlite', path: './data/kasir.db' });
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(c.env).toBe('sandbox');
    expect(c.tokenSecret).toBeUndefined();
    expect(c.callbackRetrySchedule).toEqual([300, 900, 3600, 10800, 21600, 43200]);
    expect(c.databaseTimeouts).toEqual({ connectMs: 5000, statementMs: 5000, queryMs: 8000, idleInTransactionMs: 10000 });
    expect(c.readyTimeoutMs).toBe(1000);
    expect(c.callbackConcurrency).toBe(64);
    expect(c.callbackMerchantConcurrency).toBe(8);
    expect(c.callbackBreakerFailures).toBe(5);
    expect(c.callbackBreakerCooldownMs).toBe(30_000);
    expect(c.sandboxRefundDelayMs).toBe(5000);
    expect(loadConfig({ KASIR_SANDBOX_REFUND_DELAY_MS: '250' }).sandboxRefundDelayMs).toBe(250);
  });

  it('reads the dashboard settings: on by default, 30 idle minutes, 12 hours at most', () => {
    expect(loadConfig({}).dashboard).toEqual({
      enabled: true,
      idleTimeoutMs: 30 * 60_000,
      sessionLifetimeMs: 12 * 3_600_000,
      signInPerAddress: 30,
      signInPerEmail: 10,
    });
    const c = loadConfig({
      KASIR_DASHBOARD: 'false',
      KASIR_DASHBOARD_IDLE_MINUTES: '5',
      KASIR_DASHBOARD_SESSION_HOURS: '1',
      KASIR_DASHBOARD_SIGNIN_LIMIT: '7',
      KASIR_DASHBOARD_SIGNIN_LIMIT_PER_EMAIL: '3',
    });
    expect(c.dashboard).toEqual({
      enabled: false,
      idleTimeoutMs: 300_000,
      sessionLifetimeMs: 3_600_000,
      signInPerAddress: 7,
      signInPerEmail: 3,
    });
    expect(() => loadConfig({ KASIR_DASHBOARD: 'maybe' })).toThrow(ConfigError);
    expect(() => loadConfig({ KASIR_DASHBOARD_IDLE_MINUTES: '0' })).toThrow(ConfigError);
  });

  it('reads KASIR_METRICS_TOKEN: absent by default, refused when short or with spaces', () => {
    expect(loadConfig({}).metricsToken).toBeUndefined();
    expect(loadConfig({ KASIR_METRICS_TOKEN: 'scrape-token-0123456789' }).metricsToken).toBe('scrape-token-0123456789');
    expect(() => loadConfig({ KASIR_METRICS_TOKEN: 'short' })).toThrow(ConfigError);
    expect(() => loadConfig({ KASIR_METRICS_TOKEN: 'has a space 0123456789' })).toThrow(ConfigError);
  });

  it('reads the database time bounds', () => {
    const c = loadConfig({
      KASIR_DB_CONNECT_TIMEOUT_MS: '300',
      KASIR_DB_STATEMENT_TIMEOUT_MS: '400',
      KASIR_DB_QUERY_TIMEOUT_MS: '700',
      KASIR_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '2000',
      KASIR_READY_TIMEOUT_MS: '250',
    });
    expect(c.databaseTimeouts).toEqual({ connectMs: 300, statementMs: 400, queryMs: 700, idleInTransactionMs: 2000 });
    expect(c.readyTimeoutMs).toBe(250);
  });

  it('reads the callback delivery limits; a per-merchant cap above the total is refused', () => {
    const c = loadConfig({
      KASIR_CALLBACK_CONCURRENCY: '16',
      KASIR_CALLBACK_MERCHANT_CONCURRENCY: '2',
      KASIR_CALLBACK_BREAKER_FAILURES: '3',
      KASIR_CALLBACK_BREAKER_COOLDOWN_MS: '5000',
    });
    expect([
      c.callbackConcurrency,
      c.callbackMerchantConcurrency,
      c.callbackBreakerFailures,
      c.callbackBreakerCooldownMs,
    ]).toEqual([16, 2, 3, 5000]);
    // A total below the default per-merchant cap lowers the cap with it.
    expect(loadConfig({ KASIR_CALLBACK_CONCURRENCY: '4' }).callbackMerchantConcurrency).toBe(4);
    expect(() => loadConfig({ KASIR_CALLBACK_CONCURRENCY: '4', KASIR_CALLBACK_MERCHANT_CONCURRENCY: '5' })).toThrow(
      /KASIR_CALLBACK_MERCHANT_CONCURRENCY \(5\) must not exceed KASIR_CALLBACK_CONCURRENCY \(4\)/,
    );
  });

  it('reads DATABASE_URL forms', () => {
    expect(loadConfig({ DATABASE_URL: 'file:/tmp/x.db' }).database).toEqual({ kind: 'sqlite', path: '/tmp/x.db' });
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h:5432/db' }).database).toEqual({
      kind: 'postgres',
      url: 'postgres://u@h:5432/db',
    });
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
  });

  it.each([
    [{ PORT: 'abc' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ KASIR_ENV: 'staging' }, /KASIR_ENV must be one of sandbox, production/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL/],
    [{ KASIR_PUBLIC_URL: 'not a url' }, /KASIR_PUBLIC_URL/],
    [{ KASIR_TOKEN_SECRET: 'short' }, /KASIR_TOKEN_SECRET/],
    [{ KASIR_CALLBACK_RETRY_SCHEDULE: '1s,soon' }, /KASIR_CALLBACK_RETRY_SCHEDULE/],
    [{ KASIR_WEBHOOK_SECRET: 'plain' }, /KASIR_WEBHOOK_SECRET/],
    [{ KASIR_TOKEN_RATE_LIMIT: '0' }, /KASIR_TOKEN_RATE_LIMIT must be a positive integer/],
    [{ KASIR_DB_CONNECT_TIMEOUT_MS: '5s' }, /KASIR_DB_CONNECT_TIMEOUT_MS must be a positive integer/],
    [{ KASIR_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '0' }, /KASIR_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS must be a positive integer/],
    [{ KASIR_READY_TIMEOUT_MS: '-1' }, /KASIR_READY_TIMEOUT_MS must be a positive integer/],
    [{ KASIR_SANDBOX_REFUND_DELAY_MS: '5s' }, /KASIR_SANDBOX_REFUND_DELAY_MS must be a positive integer/],
    [
      { KASIR_DB_QUERY_TIMEOUT_MS: '5000' },
      /KASIR_DB_QUERY_TIMEOUT_MS \(5000\) must be greater than KASIR_DB_STATEMENT_TIMEOUT_MS \(5000\)/,
    ],
    [{ KASIR_TOKEN_RATE_LIMIT_PER_MERCHANT: 'many' }, /KASIR_TOKEN_RATE_LIMIT_PER_MERCHANT must be a positive integer/],
    [{ KASIR_REQUEST_TIMEOUT_MS: '0' }, /KASIR_REQUEST_TIMEOUT_MS must be a positive integer/],
    [{ KASIR_HEADERS_TIMEOUT_MS: '5000', KASIR_REQUEST_TIMEOUT_MS: '1000' }, /KASIR_HEADERS_TIMEOUT_MS must not be longer/],
    [{ KASIR_IDLE_TIMEOUT_MS: '1s' }, /KASIR_IDLE_TIMEOUT_MS/],
    [{ KASIR_KEEP_ALIVE_TIMEOUT_MS: '-5' }, /KASIR_KEEP_ALIVE_TIMEOUT_MS/],
    [{ KASIR_MAX_CONNECTIONS: '0' }, /KASIR_MAX_CONNECTIONS must be a positive integer/],
    [{ KASIR_TRUST_PROXY: 'the-proxy' }, /KASIR_TRUST_PROXY .* bad entry "the-proxy"/],
    [{ KASIR_TRUST_PROXY: '10.0.0.0/33' }, /KASIR_TRUST_PROXY/],
    [{ KASIR_TRUST_PROXY: '127.1' }, /KASIR_TRUST_PROXY/],
    [{ KASIR_CALLBACK_CONCURRENCY: '0' }, /KASIR_CALLBACK_CONCURRENCY must be a positive integer/],
    [{ KASIR_CALLBACK_MERCHANT_CONCURRENCY: 'many' }, /KASIR_CALLBACK_MERCHANT_CONCURRENCY must be a positive integer/],
    [{ KASIR_CALLBACK_BREAKER_FAILURES: '-1' }, /KASIR_CALLBACK_BREAKER_FAILURES must be a positive integer/],
    [{ KASIR_CALLBACK_BREAKER_COOLDOWN_MS: '30s' }, /KASIR_CALLBACK_BREAKER_COOLDOWN_MS must be a positive integer/],
  ])('refuses %o with one clear message', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('bounds every connection by default, and caps connections at half the file limit', () => {
    const c = loadConfig({}, 4096);
    expect(c.http).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      idleTimeoutMs: 30_000,
      maxConnections: 2048,
    });
    expect(loadConfig({}, 1_048_576).http.maxConnections).toBe(10_000);
    expect(defaultMaxConnections(undefined)).toBe(512);
    expect(loadConfig({ KASIR_MAX_CONNECTIONS: '300' }, 1024).http.maxConnections).toBe(300);
    expect(() => loadConfig({ KASIR_MAX_CONNECTIONS: '1024' }, 1024)).toThrow(/below the open-file limit \(1024\)/);
    expect(c.tokenRateLimitPerMinute).toBe(60);
    expect(c.tokenRateLimitPerMerchantPerMinute).toBe(30);
    expect(c.trustProxy).toBe(false);
  });

  it("reads this process's open-file limit where the platform tells", () => {
    const limit = openFileLimit();
    if (process.platform === 'linux') expect(limit).toBeGreaterThan(0);
    expect(loadConfig({}).http.maxConnections).toBeLessThan(limit ?? Infinity);
  });

  it('reads trusted proxies as addresses, ranges and proxy-addr names', () => {
    expect(loadConfig({ KASIR_TRUST_PROXY: '10.0.0.1, 10.1.0.0/16,::1,fd00::/8,loopback' }).trustProxy).toEqual([
      '10.0.0.1',
      '10.1.0.0/16',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
  });

  it('parses retry schedules in seconds', () => {
    expect(parseSchedule('1s,2s,5s')).toEqual([1, 2, 5]);
    expect(parseSchedule('100ms,1m')).toEqual([0.1, 60]);
  });
});
