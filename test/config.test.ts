import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseSchedule } from '../src/config.ts';

describe('configuration', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.database).toEqual({ kind: 'sqlite', path: './data/kasir.db' });
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(c.env).toBe('sandbox');
    expect(c.tokenSecret).toBeUndefined();
    expect(c.callbackRetrySchedule).toEqual([300, 900, 3600, 10800, 21600, 43200]);
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
  ])('refuses %o with one clear message', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('parses retry schedules in seconds', () => {
    expect(parseSchedule('1s,2s,5s')).toEqual([1, 2, 5]);
    expect(parseSchedule('100ms,1m')).toEqual([0.1, 60]);
  });
});
