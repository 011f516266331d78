// The program itself: help on stdout for every command (three ways to ask), --version from package.json,
// and the exit code of a usage error.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/main.ts';
import { kasir } from './helpers.ts';

const env = { DATABASE_URL: 'file:/nonexistent/never-opened.db' };

describe('kasir', () => {
  it('prints its version from package.json', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    for (const flag of ['--version', '-V']) expect(await kasir([flag], env)).toEqual({ code: 0, out: version, err: '' });
  });

  it('prints help on stdout for the program and for every command, asked any of three ways', async () => {
    const bare = await kasir([], env);
    expect(bare.code).toBe(0);
    for (const group of ['start', 'payments', 'simulate', 'refunds', 'callbacks', 'listen', 'merchant', 'user']) {
      expect(bare.out).toMatch(new RegExp(`^  ${group}\\b`, 'm'));
    }
    expect(bare.out).toMatch(/Exit codes: 0 ok; 1 refused/);
    const commands = [
      ['payments', 'list'],
      ['payments', 'get'],
      ['simulate', 'pay'],
      ['simulate', 'fail'],
      ['simulate', 'expire'],
      ['refunds', 'list'],
      ['refunds', 'get'],
      ['callbacks', 'list'],
      ['callbacks', 'resend'],
      ['listen'],
      ['start'],
      ['merchant', 'create'],
      ['merchant', 'list'],
      ['merchant', 'show'],
      ['merchant', 'rotate-secret'],
      ['merchant', 'rotate-webhook-secret'],
      ['merchant', 'set-callback-url'],
      ['merchant', 'set-callback-api-key'],
      ['user', 'create'],
    ];
    for (const command of commands) {
      const usage = new RegExp(`^Usage: kasir ${command.join(' ')} `);
      for (const argv of [
        ['help', ...command],
        [...command, '--help'],
        [...command, '-h'],
      ]) {
        const help = await kasir(argv, env);
        expect(help.code, argv.join(' ')).toBe(0);
        expect(help.err, argv.join(' ')).toBe('');
        expect(help.out, argv.join(' ')).toMatch(usage);
      }
    }
    const listen = await kasir(['help', 'listen'], env);
    expect(listen.out).toMatch(/--forward-to <url>/);
    expect(listen.out).toMatch(/--base-url <url>/);
  });

  it('answers a usage error with exit code 2 and says what was wrong on stderr', async () => {
    const cases: [string[], RegExp][] = [
      [['destroy'], /unknown command 'destroy'/],
      [['payments'], /Usage: kasir payments/],
      [['payments', 'list', '--bogus'], /unknown option '--bogus'/],
      [['payments', 'get'], /missing required argument 'id'/],
      [['payments', 'list', '--status', 'DONE'], /Allowed choices are/],
      [['payments', 'list', '--per-page', '101'], /--per-page one from 1 to 100/],
      [['merchant', 'rotate-webhook-secret', '--id', 'x', '--overlap', 'soon'], /--overlap must be a duration/],
    ];
    for (const [argv, message] of cases) {
      const run = await kasir(argv, { ...env, KASIR_MERCHANT_ID: 'm', KASIR_MERCHANT_SECRET: 's' });
      expect(run.code, argv.join(' ')).toBe(EXIT.usage);
      expect(run.err, argv.join(' ')).toMatch(message);
      expect(run.out, argv.join(' ')).toBe('');
    }
  });

  it('exits 3 when an operator command cannot open the database', async () => {
    const run = await kasir(['merchant', 'list'], {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/kasir',
      KASIR_DB_CONNECT_TIMEOUT_MS: '1000',
    });
    expect(run.code).toBe(EXIT.unavailable);
    expect(run.err).toMatch(/^kasir: cannot open the database/);
  });
});
