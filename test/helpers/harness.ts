// Test harness: a real app on a real database (own SQLite file or own PostgreSQL schema per harness),
// a merchant with a fresh bearer token, and a clock tests can move.
import type { KasirMetrics } from '../../src/metrics/metrics.ts';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { composeApp, composeContext, composeMetrics } from '../../src/compose.ts';
import { recycledSessionKeyPairs } from './session-keys.ts';
import type { DatabaseTimeouts } from '../../src/config-database.ts';
import { DASHBOARD_DEFAULTS, type DashboardSettings, type KasirEnv } from '../../src/config.ts';
import type { HashCost } from '../../src/security/secrets.ts';
import type { Tokens } from '../../src/security/tokens.ts';
import { openStore, type Store } from '../../src/store/database.ts';
import type { Merchant } from '../../src/store/merchants.ts';
import { PG_TEMPLATE_ENV, PG_TEMPLATE_SCHEMA_ENV, SQLITE_TEMPLATE_ENV } from './template-stores.ts';
import type { Context } from '../../src/usecases/context.ts';
import { createDashboardUser } from '../../src/usecases/dashboard-accounts.ts';
import { createMerchant } from '../../src/usecases/merchants.ts';

export type DbKind = 'sqlite' | 'postgres';

/**
 * The tests' merchants and dashboard users hash their secrets at 1/16 of Kasir's scrypt cost (about 1.5 ms
 * instead of 25): the suite makes about a thousand. A hash carries its cost and is checked with it, so
 * verification runs the same code; tests of hashing itself use Kasir's cost.
 */
export const TEST_HASH_COST: HashCost = { N: 1024, r: 8, p: 1 };
export const PG_URL = process.env.KASIR_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const pgUp = await postgresReachable();
if (!pgUp && process.env.CI) {
  throw new Error(`PostgreSQL is not reachable at ${PG_URL}; on CI the PostgreSQL suite must run, not skip`);
}

/** The databases every storage/API suite runs against: both, unless PostgreSQL is absent off-CI. */
export const DB_KINDS: DbKind[] = pgUp ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestStore extends Store {
  /** For PostgreSQL, the schema; for SQLite, the file. Lets a child process open the same database. */
  databaseUrl: string;
  schema?: string;
  destroy(): Promise<void>;
}

export interface TestStoreOptions {
  migrate?: boolean;
  /**
   * Run the migrations on open, as Kasir does, instead of copying the run's migrated template
   * (test/helpers/template-stores.ts): for tests of opening and migrating itself.
   */
  runMigrations?: boolean;
  /** PostgreSQL only: connect here instead of PG_URL (e.g. through a fault-injecting proxy). */
  url?: string;
  timeouts?: DatabaseTimeouts;
  poolSize?: number;
}

export async function openTestStore(kind: DbKind, options: TestStoreOptions = {}): Promise<TestStore> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'kasir-test-'));
    const path = join(dir, 'kasir.db');
    const template = process.env[SQLITE_TEMPLATE_ENV];
    const copied = template !== undefined && options.migrate !== false && !options.runMigrations;
    if (copied) copyFileSync(template, path);
    const store = await openStore({ kind: 'sqlite', path }, { ...options, migrate: copied ? false : options.migrate });
    return {
      ...store,
      databaseUrl: `file:${path}`,
      destroy: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  // Named for this run (test/helpers/pg-schemas.ts drops the run's schemas when it ends).
  const schema = `${process.env.KASIR_TEST_SCHEMA_PREFIX ?? 'kasir_t_'}${randomBytes(6).toString('hex')}`;
  const { url = PG_URL, runMigrations, ...rest } = options;
  // Through PG_URL: a test that connects through a proxy (options.url) stages its schema as before.
  const copied = options.url === undefined && options.migrate !== false && !runMigrations && (await copyPostgresTemplate(schema));
  const store = await openStore({ kind: 'postgres', url }, { schema, poolSize: 20, ...rest, ...(copied && { migrate: false }) });
  return {
    ...store,
    schema,
    databaseUrl: url,
    // The schema stays until the run ends: dropping it now could break another suite's migrator.
    destroy: () => store.close(),
  };
}

let pgTemplate: { sql: string; schema: string } | undefined;

/** Creates `schema` as a copy of the run's migrated template schema; false when there is no template. */
async function copyPostgresTemplate(schema: string): Promise<boolean> {
  const dumpPath = process.env[PG_TEMPLATE_ENV];
  const templateSchema = process.env[PG_TEMPLATE_SCHEMA_ENV];
  if (!dumpPath || !templateSchema) return false;
  pgTemplate ??= { sql: readFileSync(dumpPath, 'utf8'), schema: templateSchema };
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    // The template's name is unique to the run (its prefix is random), so it occurs only as the schema.
    await client.query(pgTemplate.sql.split(pgTemplate.schema).join(schema));
  } finally {
    await client.end();
  }
  return true;
}

/**
 * The app's time: real time plus an offset the test moves. Periodic work (the callback dispatcher's poll)
 * registers with `every` and runs when `advance` carries the clock past its next due time, so a test
 * moves time instead of waiting for it.
 */
export interface TestClock {
  now(): Date;
  advance(ms: number): void;
  every(ms: number, tick: () => void): () => void;
}

export function movableClock(): TestClock {
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  const repeating = new Set<{ ms: number; tick: () => void; dueAt: number }>();
  return {
    now,
    advance: (ms) => {
      offset += ms;
      const at = now().getTime();
      for (const timer of [...repeating]) {
        if (timer.dueAt > at || !repeating.has(timer)) continue;
        timer.dueAt = at + timer.ms;
        timer.tick();
      }
    },
    every: (ms, tick) => {
      const timer = { ms, tick, dueAt: now().getTime() + ms };
      repeating.add(timer);
      return () => void repeating.delete(timer);
    },
  };
}

export interface Harness {
  kind: DbKind;
  app: FastifyInstance;
  ctx: Context;
  store: TestStore;
  clock: TestClock;
  /** The app's /metrics registry, for a dispatcher the test starts to report into. */
  metrics: KasirMetrics;
  merchant: Merchant;
  merchantSecret: string;
  token: string;
  tokens: Tokens;
  /** Calls the app in-process with the merchant's bearer token unless `headers.authorization` is given. */
  api(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
  /** A second merchant with its own token, for "never sees another merchant's sessions" tests. */
  otherMerchant(): Promise<{ merchant: Merchant; token: string }>;
  close(): Promise<void>;
}

export interface ApiResponse {
  status: number;
  body: any;
  headers: Record<string, unknown>;
}

export interface HarnessOptions {
  env?: KasirEnv;
  /** The merchants' secret hash cost: TEST_HASH_COST unless a test times secret checks against Kasir's own. */
  hashCost?: HashCost;
  publicUrl?: string;
  /** Seconds the payment page's status page waits before returning the shopper. */
  statusRedirectSeconds?: number;
  callbackUrl?: string;
  /** Access-token exchanges per minute per client address; tests default to effectively unlimited. */
  tokenRateLimitPerMinute?: number;
  /** Payment-page requests per minute per token and per address; tests default to effectively unlimited. */
  pageRateLimits?: { perTokenPerMinute: number; perAddressPerMinute: number };
  /** Access-token exchanges per minute per merchant id; tests default to effectively unlimited. */
  tokenRateLimitPerMerchantPerMinute?: number;
  /** Proxies whose X-Forwarded-For is believed (KASIR_TRUST_PROXY). */
  trustProxy?: string[];
  /** A database the test prepared itself (e.g. one upgraded from an older release). */
  store?: TestStore;
  /** Where the app's log lines go (JSON, one per line, `logLevel` and above); silent otherwise. */
  logStream?: { write(line: string): void };
  /** Default warn. */
  logLevel?: string;
  readyTimeoutMs?: number;
  metricsToken?: string;
  /** The token signing key; instances sharing a database and a key accept each other's tokens. */
  tokenSecret?: string;
  /** The dashboard's settings; sign-in limits default to effectively unlimited. */
  dashboard?: Partial<DashboardSettings>;
  /** Card sessions' RSA key pairs: a few per worker, in turn (test/helpers/session-keys.ts), or Kasir's own fresh ones. */
  sessionKeys?: 'recycled' | 'fresh';
}

export async function makeHarness(kind: DbKind, options: HarnessOptions = {}): Promise<Harness> {
  const store = options.store ?? (await openTestStore(kind));
  const clock = movableClock();
  const env = options.env ?? 'sandbox';
  const publicUrl = options.publicUrl ?? 'http://kasir.test';
  const tokenSecret = options.tokenSecret ?? randomBytes(32).toString('hex');
  const ctx = await composeContext({ env, publicUrl, tokenSecret }, store, {
    now: clock.now,
    ...(options.sessionKeys !== 'fresh' && { sessionKeyPairs: recycledSessionKeyPairs }),
  });
  const tokens = ctx.tokens;
  const metrics = composeMetrics(ctx, store);
  const app = await composeApp(
    ctx,
    {
      env,
      publicUrl,
      logLevel: 'silent',
      tokenRateLimitPerMinute: options.tokenRateLimitPerMinute ?? 1_000_000,
      pageRateLimits: options.pageRateLimits ?? { perTokenPerMinute: 1_000_000, perAddressPerMinute: 1_000_000 },
      tokenRateLimitPerMerchantPerMinute: options.tokenRateLimitPerMerchantPerMinute ?? 1_000_000,
      trustProxy: options.trustProxy ?? false,
      statusRedirectSeconds: options.statusRedirectSeconds,
      readyTimeoutMs: options.readyTimeoutMs,
      metricsToken: options.metricsToken,
      dashboard: { ...DASHBOARD_DEFAULTS, signInPerAddress: 1_000_000, signInPerEmail: 1_000_000, ...options.dashboard },
    },
    options.logStream ? { level: options.logLevel ?? 'warn', stream: options.logStream } : false,
    metrics,
  );
  await app.ready();
  const hashCost = options.hashCost ?? TEST_HASH_COST;
  const { merchant, clientSecret } = await createMerchant(store.db, {
    name: 'Toko Test',
    callbackUrl: options.callbackUrl,
    hashCost,
  });
  const token = await tokens.issueAccessToken(merchant.id, clock.now());

  const api: Harness['api'] = async (method, url, body, headers = {}) => {
    const res = await app.inject({
      method: method as never,
      url,
      headers: { authorization: `Bearer ${token}`, ...headers },
      ...(body !== undefined && { payload: body as never }),
    });
    let parsed: unknown = res.body;
    try {
      parsed = JSON.parse(res.body);
    } catch {
      /* not JSON: keep text */
    }
    return { status: res.statusCode, body: parsed, headers: res.headers };
  };

  return {
    kind,
    app,
    ctx,
    store,
    clock,
    metrics,
    merchant,
    merchantSecret: clientSecret,
    token,
    tokens,
    api,
    otherMerchant: async () => {
      const other = await createMerchant(store.db, { name: 'Other Shop', hashCost });
      return { merchant: other.merchant, token: await tokens.issueAccessToken(other.merchant.id, clock.now()) };
    },
    close: async () => {
      await app.close();
      await store.destroy();
    },
  };
}

/**
 * A dashboard user whose password is hashed at TEST_HASH_COST: at Kasir's own cost each creation and each
 * sign-in took about 40 ms of a core, some 200 of them in a run. No test of these times them.
 */
export const createTestDashboardUser: typeof createDashboardUser = (db, options, now) =>
  createDashboardUser(db, { hashCost: TEST_HASH_COST, ...options }, now);

let counter = 0;
/** A unique alphanumeric X-REQUEST-ID. */
export function requestId(): string {
  return `req${Date.now().toString(36)}${(counter++).toString(36)}${randomBytes(6).toString('hex')}`.slice(0, 36);
}

export function uniqueReference(): string {
  return `ref${Date.now().toString(36)}${randomBytes(5).toString('hex')}`;
}
