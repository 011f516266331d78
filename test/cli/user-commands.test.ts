// `kasir user create`: accounts for each role, a generated password printed once (or read from stdin),
// and clear refusals (exit 2) for what cannot be an account.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { openStore } from '../../src/store/database.ts';
import { checkDashboardCredentials } from '../../src/usecases/dashboard-accounts.ts';

function io(env: Record<string, string>, stdin?: string) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      out: (t: string) => out.push(t),
      err: (t: string) => err.push(t),
      env,
      ...(stdin !== undefined && { readStdin: async () => stdin }),
    },
  };
}

async function withMerchant() {
  const path = join(mkdtempSync(join(tmpdir(), 'kasir-cli-')), 'k.db');
  const env = { DATABASE_URL: `file:${path}` };
  const created = io(env);
  expect(await runCli(['merchant', 'create', '--name', 'Toko', '--json'], created.io)).toBe(0);
  return { path, env, merchantId: JSON.parse(created.out.join('\n')).clientId as string };
}

async function signsIn(path: string, email: string, password: string) {
  const store = await openStore({ kind: 'sqlite', path });
  try {
    return await checkDashboardCredentials(store.db, email, password);
  } finally {
    await store.close();
  }
}

describe('kasir user create', () => {
  it('creates an owner with a generated password, printed once, that signs in', async () => {
    const { path, env, merchantId } = await withMerchant();
    const run = io(env);
    expect(
      await runCli(['user', 'create', '--merchant', merchantId, '--email', 'Owner@Toko.test', '--role', 'owner'], run.io),
    ).toBe(0);
    const printed = run.out.join('\n');
    const password = /Password \(shown once[^)]*\): (\S+)/.exec(printed)?.[1];
    expect(password).toBeDefined();
    const user = await signsIn(path, 'owner@toko.test', password!);
    expect(user).toMatchObject({ role: 'owner', merchantId });
  });

  it('takes the password from stdin and prints none; operators have no merchant', async () => {
    const { path, env } = await withMerchant();
    const run = io(env, 'correct horse battery staple\n');
    expect(
      await runCli(
        ['user', 'create', '--email', 'ops@platform.test', '--role', 'operator', '--password-stdin', '--json'],
        run.io,
      ),
    ).toBe(0);
    const printed = JSON.parse(run.out.join('\n'));
    expect(printed).toMatchObject({ email: 'ops@platform.test', role: 'operator', merchantId: null });
    expect(printed.password).toBeUndefined();
    expect(await signsIn(path, 'ops@platform.test', 'correct horse battery staple')).toMatchObject({ role: 'operator' });
  });

  it('refuses with exit code 2: unknown role or merchant, operator with a merchant, duplicate email, short password', async () => {
    const { env, merchantId } = await withMerchant();
    const cases: [string[], RegExp, string?][] = [
      [['--merchant', merchantId, '--email', 'a@toko.test', '--role', 'admin'], /--role must be/],
      [['--merchant', 'nope', '--email', 'a@toko.test', '--role', 'viewer'], /No merchant with id nope/],
      [['--email', 'a@toko.test', '--role', 'viewer'], /--merchant is required/],
      [['--merchant', merchantId, '--email', 'a@toko.test', '--role', 'operator'], /leave out --merchant/],
      [['--merchant', merchantId, '--email', 'nope', '--role', 'viewer'], /email must be/],
      [['--merchant', merchantId, '--role', 'viewer'], /required option '--email <email>' not specified/],
      [['--merchant', merchantId, '--email', 'b@toko.test', '--role', 'viewer', '--password-stdin'], /at least 12/, 'short\n'],
    ];
    for (const [args, message, stdin] of cases) {
      const run = io(env, stdin);
      expect(await runCli(['user', 'create', ...args], run.io)).toBe(2);
      expect(run.err.join('\n')).toMatch(message);
    }
    expect(
      await runCli(['user', 'create', '--merchant', merchantId, '--email', 'dup@toko.test', '--role', 'viewer'], io(env).io),
    ).toBe(0);
    const dup = io(env);
    expect(
      await runCli(['user', 'create', '--merchant', merchantId, '--email', 'DUP@toko.test', '--role', 'owner'], dup.io),
    ).toBe(2);
    expect(dup.err.join()).toMatch(/already exists/);
  });
});
