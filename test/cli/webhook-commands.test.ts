// kasir merchant rotate-webhook-secret / set-callback-url / set-callback-api-key, and the callback URL policy
// of merchant create.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { openStore } from '../../src/store/database.ts';
import { findMerchant } from '../../src/store/merchants.ts';

function run(env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), env } };
}

const dbEnv = () => ({ DATABASE_URL: `file:${join(mkdtempSync(join(tmpdir(), 'kasir-cbcli-')), 'k.db')}` });

async function created(env: Record<string, string>) {
  const r = run(env);
  expect(await runCli(['merchant', 'create', '--name', 'Toko', '--json'], r.io)).toBe(0);
  return JSON.parse(r.out.join('\n')) as { clientId: string; webhookSecret: string };
}

describe('kasir merchant rotate-webhook-secret', () => {
  it('prints a new secret and keeps the old one signing until the overlap ends', async () => {
    const env = dbEnv();
    const m = await created(env);
    const r = run(env);
    const before = Date.now();
    expect(await runCli(['merchant', 'rotate-webhook-secret', '--id', m.clientId, '--overlap', '2h', '--json'], r.io)).toBe(0);
    const printed = JSON.parse(r.out.join('\n'));
    expect(printed.webhookSecret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(printed.webhookSecret).not.toBe(m.webhookSecret);
    const until = Date.parse(printed.previousWebhookSecretUntil);
    expect(until - before).toBeGreaterThanOrEqual(2 * 3600_000 - 1000);
    expect(until - before).toBeLessThan(2 * 3600_000 + 5000);
    const path = env.DATABASE_URL.slice('file:'.length);
    const store = await openStore({ kind: 'sqlite', path });
    try {
      const stored = (await findMerchant(store.db, m.clientId))!;
      expect(stored.webhookSecret).toBe(printed.webhookSecret);
      expect(stored.previousWebhookSecret).toBe(m.webhookSecret);
    } finally {
      await store.close();
    }
    const zero = run(env);
    expect(await runCli(['merchant', 'rotate-webhook-secret', '--id', m.clientId, '--overlap', '0s', '--json'], zero.io)).toBe(0);
    expect(JSON.parse(zero.out.join('\n')).previousWebhookSecretUntil).toBeNull();
  });

  it('defaults to a 24h overlap and refuses bad input', async () => {
    const env = dbEnv();
    const m = await created(env);
    const r = run(env);
    expect(await runCli(['merchant', 'rotate-webhook-secret', '--id', m.clientId], r.io)).toBe(0);
    expect(r.out.join('\n')).toMatch(/previous secret also signs/);
    expect(await runCli(['merchant', 'rotate-webhook-secret'], run(env).io)).toBe(2);
    expect(await runCli(['merchant', 'rotate-webhook-secret', '--id', m.clientId, '--overlap', 'soon'], run(env).io)).toBe(2);
    const unknown = run(env);
    expect(await runCli(['merchant', 'rotate-webhook-secret', '--id', 'nobody'], unknown.io)).toBe(1);
    expect(unknown.err.join('\n')).toMatch(/No merchant/);
  });
});

describe('kasir merchant set-callback-url', () => {
  it('sets the URL, and in production refuses http and private addresses unless allowed', async () => {
    const env = dbEnv();
    const m = await created(env);
    expect(
      await runCli(['merchant', 'set-callback-url', '--id', m.clientId, '--url', 'http://127.0.0.1:8080/cb'], run(env).io),
    ).toBe(0);
    const prod = { ...env, KASIR_ENV: 'production' };
    const http = run(prod);
    expect(await runCli(['merchant', 'set-callback-url', '--id', m.clientId, '--url', 'http://shop.example/cb'], http.io)).toBe(
      2,
    );
    expect(http.err.join('\n')).toMatch(/https/);
    const priv = run(prod);
    expect(await runCli(['merchant', 'set-callback-url', '--id', m.clientId, '--url', 'https://10.0.0.5/cb'], priv.io)).toBe(2);
    expect(priv.err.join('\n')).toMatch(/private/);
    const allowed = { ...prod, KASIR_ALLOW_PRIVATE_CALLBACK_URLS: 'true' };
    expect(
      await runCli(['merchant', 'set-callback-url', '--id', m.clientId, '--url', 'https://10.0.0.5/cb'], run(allowed).io),
    ).toBe(0);
    expect(await runCli(['merchant', 'create', '--name', 'P', '--callback-url', 'http://shop.example/cb'], run(prod).io)).toBe(2);
    expect(await runCli(['merchant', 'set-callback-url', '--id', m.clientId], run(env).io)).toBe(2);
  });
});

describe('kasir merchant set-callback-api-key', () => {
  const storedKey = async (env: Record<string, string>, id: string) => {
    const store = await openStore({ kind: 'sqlite', path: env.DATABASE_URL!.slice('file:'.length) });
    try {
      return (await findMerchant(store.db, id))!.callbackApiKey;
    } finally {
      await store.close();
    }
  };

  it('sets the given key, or generates one', async () => {
    const env = dbEnv();
    const m = await created(env);
    const given = run(env);
    expect(
      await runCli(['merchant', 'set-callback-api-key', '--id', m.clientId, '--key', 'shop-key-2026', '--json'], given.io),
    ).toBe(0);
    expect(JSON.parse(given.out.join('\n'))).toEqual({ clientId: m.clientId, callbackApiKey: 'shop-key-2026' });
    expect(await storedKey(env, m.clientId)).toBe('shop-key-2026');
    const generated = run(env);
    expect(await runCli(['merchant', 'set-callback-api-key', '--id', m.clientId], generated.io)).toBe(0);
    const key = await storedKey(env, m.clientId);
    expect(key).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(generated.out.join('\n')).toContain(key);
  });

  it.each([
    ['a CR/LF (header injection)', 'key\r\nX-Evil: 1'],
    ['a NUL', 'key\u0000'],
    ['a tab', 'key\tkey'],
    ['a trailing space', 'key '],
    ['non-ASCII', 'kéy'],
  ])('refuses a key with %s (exit 2) and keeps the old one', async (_name, bad) => {
    const env = dbEnv();
    const m = await created(env);
    const before = await storedKey(env, m.clientId);
    const r = run(env);
    expect(await runCli(['merchant', 'set-callback-api-key', '--id', m.clientId, '--key', bad], r.io)).toBe(2);
    expect(r.err.join('\n')).toMatch(/callback API key must/);
    expect(await storedKey(env, m.clientId)).toBe(before);
  });

  it('answers 1 for an unknown merchant and 2 without --id', async () => {
    const env = dbEnv();
    expect(await runCli(['merchant', 'set-callback-api-key', '--id', 'nobody'], run(env).io)).toBe(1);
    expect(await runCli(['merchant', 'set-callback-api-key'], run(env).io)).toBe(2);
  });
});
