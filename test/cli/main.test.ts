import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { openStore } from '../../src/store/database.ts';
import { VA_CHANNELS } from '../../src/domain/payment-methods.ts';
import { authenticateMerchant } from '../../src/usecases/merchants.ts';
import { vaRangeOf } from '../../src/usecases/va-ranges.ts';

function io(env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), env } };
}

describe('kasir merchant create', () => {
  it('prints working credentials as JSON and stores the secret hashed', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kasir-cli-')), 'k.db');
    const run = io({ DATABASE_URL: `file:${path}` });
    const code = await runCli(
      ['merchant', 'create', '--name', 'Toko Satu', '--callback-url', 'https://toko.example/cb', '--json'],
      run.io,
    );
    expect(code).toBe(0);
    const printed = JSON.parse(run.out.join('\n'));
    expect(printed).toMatchObject({ callbackUrl: 'https://toko.example/cb' });
    expect(printed.clientSecret.length).toBeGreaterThanOrEqual(32);
    expect(printed.webhookSecret).toMatch(/^whsec_/);
    const store = await openStore({ kind: 'sqlite', path });
    try {
      expect(await authenticateMerchant(store.db, printed.clientId, printed.clientSecret)).toBeDefined();
      expect(await authenticateMerchant(store.db, printed.clientId, 'wrong')).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('refuses a missing name and a bad callback URL with exit code 2', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kasir-cli-')), 'k.db');
    const a = io({ DATABASE_URL: `file:${path}` });
    expect(await runCli(['merchant', 'create'], a.io)).toBe(2);
    expect(a.err.join()).toMatch(/required option '--name <name>' not specified/);
    const b = io({ DATABASE_URL: `file:${path}` });
    expect(await runCli(['merchant', 'create', '--name', 'X', '--callback-url', 'ftp://x'], b.io)).toBe(2);
    const c = io({ DATABASE_URL: `file:${path}` });
    expect(await runCli(['merchant', 'destroy'], c.io)).toBe(2);
    expect(c.err.join()).toMatch(/unknown command 'destroy'/);
  });
});

describe('kasir merchant rotate-secret', () => {
  it('prints a new secret that works, and the old one stops', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kasir-cli-')), 'k.db');
    const created = io({ DATABASE_URL: `file:${path}` });
    expect(await runCli(['merchant', 'create', '--name', 'Toko', '--json'], created.io)).toBe(0);
    const { clientId, clientSecret } = JSON.parse(created.out.join('\n'));

    const rotated = io({ DATABASE_URL: `file:${path}` });
    expect(await runCli(['merchant', 'rotate-secret', '--id', clientId, '--json'], rotated.io)).toBe(0);
    const printed = JSON.parse(rotated.out.join('\n'));
    expect(printed.clientId).toBe(clientId);
    expect(printed.clientSecret).not.toBe(clientSecret);
    const store = await openStore({ kind: 'sqlite', path });
    try {
      expect(await authenticateMerchant(store.db, clientId, printed.clientSecret)).toMatchObject({ credentialsVersion: 2 });
      expect(await authenticateMerchant(store.db, clientId, clientSecret)).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('refuses a missing id (2) and an unknown one (1)', async () => {
    const env = { DATABASE_URL: `file:${join(mkdtempSync(join(tmpdir(), 'kasir-cli-')), 'k.db')}` };
    expect(await runCli(['merchant', 'rotate-secret'], io(env).io)).toBe(2);
    const unknown = io(env);
    expect(await runCli(['merchant', 'rotate-secret', '--id', 'nobody'], unknown.io)).toBe(1);
    expect(unknown.err.join('\n')).toMatch(/No merchant with id nobody/);
  });
});

describe('kasir merchant show', () => {
  it("prints a merchant's VA ranges, the ones create printed and Kasir enforces, disjoint from another merchant's", async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kasir-cli-')), 'k.db');
    const env = { DATABASE_URL: `file:${path}` };
    const created = [];
    for (const name of ['Toko Satu', 'Toko Dua']) {
      const run = io(env);
      expect(await runCli(['merchant', 'create', '--name', name, '--json'], run.io)).toBe(0);
      created.push(JSON.parse(run.out.join('\n')));
    }
    const [one, two] = created;
    const shown = io(env);
    expect(await runCli(['merchant', 'show', '--id', one.clientId, '--json'], shown.io)).toBe(0);
    const printed = JSON.parse(shown.out.join('\n'));
    expect(printed).toMatchObject({ clientId: one.clientId, name: 'Toko Satu', vaRanges: one.vaRanges });
    expect(printed.vaRanges.map((r: { channel: string }) => r.channel)).toEqual([...VA_CHANNELS]);
    const bca = printed.vaRanges.find((r: { channel: string }) => r.channel === 'BCA');
    expect(bca.staticRange.first).toMatch(new RegExp(`^${bca.prefix}0\\d+$`));
    expect(bca.staticRange.first).toHaveLength(16);
    for (const [i, range] of printed.vaRanges.entries()) expect(range.prefix).not.toBe(two.vaRanges[i].prefix);

    const store = await openStore({ kind: 'sqlite', path });
    try {
      expect(await vaRangeOf(store.db, one.clientId, 'BCA')).toEqual({ channel: 'BCA', prefix: bca.prefix });
    } finally {
      await store.close();
    }

    const text = io(env);
    expect(await runCli(['merchant', 'show', '--id', two.clientId], text.io)).toBe(0);
    expect(text.out.join('\n')).toContain(`${two.vaRanges[0].staticRange.first}–${two.vaRanges[0].staticRange.last}`);
    const unknown = io(env);
    expect(await runCli(['merchant', 'show', '--id', 'nobody'], unknown.io)).toBe(1);
    expect(unknown.err.join()).toMatch(/No merchant with id nobody/);
  });
});

describe('kasir merchant list', () => {
  it('lists merchants the oldest first, a page at a time, never their secrets', async () => {
    const env = { DATABASE_URL: `file:${join(mkdtempSync(join(tmpdir(), 'kasir-cli-')), 'k.db')}` };
    const ids: string[] = [];
    for (const name of ['Toko Satu', 'Toko Dua', 'Toko Tiga']) {
      const run = io(env);
      expect(await runCli(['merchant', 'create', '--name', name, '--json'], run.io)).toBe(0);
      ids.push(JSON.parse(run.out.join('\n')).clientId);
    }
    const json = io(env);
    expect(await runCli(['merchant', 'list', '--per-page', '2', '--page', '2', '--json'], json.io)).toBe(0);
    const printed = JSON.parse(json.out.join('\n'));
    expect(printed).toEqual({
      data: [{ clientId: ids[2], name: 'Toko Tiga', callbackUrl: null, createdAt: expect.any(String) }],
      pagination: { page: 2, perPage: 2, totalItems: 3, totalPages: 2 },
    });
    const text = io(env);
    expect(await runCli(['merchant', 'list'], text.io)).toBe(0);
    const lines = text.out.join('\n').split('\n');
    expect(lines.map((l) => l.split('  ')[0])).toEqual([...ids, '3 merchants; page 1 of 1']);
    expect(text.out.join('\n')).not.toMatch(/whsec_|secret/i);
    expect(await runCli(['merchant', 'list', '--per-page', '0'], io(env).io)).toBe(2);
  });
});
