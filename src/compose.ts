// The one composition root: config → store → context → app (merchant API, callback routes, payment
// page) → workers (expiry sweeper, callback dispatcher). The process (server.ts) and the test harness
// both build the app here, so what the tests exercise is what runs. Only this file (and the use cases)
// may reach the store; it is also where the deployment's policies are handed to the use cases as ports.
import { KasirMetrics } from './metrics/metrics.ts';
import { outboxBacklog } from './usecases/health.ts';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions, type AppSettings } from './app.ts';
import { CallbackDispatcher } from './callbacks/dispatcher.ts';
import { callbackUrlCheck, type UrlPolicy } from './callbacks/url-policy.ts';
import type { Config } from './config.ts';
import { Backoff } from './domain/backoff.ts';
import { CardSecrets, type SessionKeyPairs } from './security/card-secrets.ts';
import { Tokens } from './security/tokens.ts';
import { openStore, type Store } from './store/database.ts';
import { getOrCreateSetting } from './store/settings.ts';
import { makeContext, type Context } from './usecases/context.ts';
import { advanceDueRefunds } from './usecases/advance-refunds.ts';
import { expireDueSessions, purgeIdempotencyKeys } from './usecases/expire-sessions.ts';
import { seedMerchant, type CallbackUrlCheck, type SeedOutcome } from './usecases/merchants.ts';
import { seedDashboardOwner, type NewDashboardUser } from './usecases/dashboard-accounts.ts';

export type { AppSettings, Store };

/** A start-up failure the operator can fix; its message is printed as is. */
export class StartupError extends Error {}

export function openDatabase(
  config: Pick<Config, 'database' | 'databaseTimeouts'>,
  onConnectionLost?: (error: Error) => void,
): Promise<Store> {
  return openStore(config.database, { timeouts: config.databaseTimeouts, onConnectionLost }).catch((error: unknown) => {
    throw new StartupError(`cannot open the database: ${error instanceof Error ? error.message : String(error)}`);
  });
}

/** Which callback URLs merchants may register: the same policy delivery enforces on every connection. */
export function callbackUrlPolicy(config: Pick<Config, 'env' | 'allowPrivateCallbackUrls'>): UrlPolicy {
  return { env: config.env, allowPrivate: config.allowPrivateCallbackUrls };
}

export function callbackUrlPort(config: Pick<Config, 'env' | 'allowPrivateCallbackUrls'>): CallbackUrlCheck {
  return callbackUrlCheck(callbackUrlPolicy(config));
}

/** What tests and the bench's seeding replace: the clock, ids, and where card sessions' key pairs come from. */
export interface ContextOverrides extends Partial<Pick<Context, 'now' | 'newId' | 'randomDigits'>> {
  sessionKeyPairs?: SessionKeyPairs;
}

/**
 * What every use case needs. Without KASIR_TOKEN_SECRET the signing key is generated once and kept in
 * the database, so tokens survive restarts and every instance sharing the database accepts them.
 */
export async function composeContext(
  config: Pick<Config, 'env' | 'publicUrl' | 'tokenSecret'> & Partial<Pick<Config, 'sandboxRefundDelayMs'>>,
  store: Store,
  { sessionKeyPairs, ...overrides }: ContextOverrides = {},
): Promise<Context> {
  const tokenSecret =
    config.tokenSecret ?? (await getOrCreateSetting(store.db, 'token_secret', () => randomBytes(32).toString('base64url')));
  return makeContext({
    db: store.db,
    tokens: new Tokens(tokenSecret),
    cardSecrets: new CardSecrets(tokenSecret, sessionKeyPairs),
    env: config.env,
    publicUrl: config.publicUrl,
    ...(config.sandboxRefundDelayMs !== undefined && { sandboxRefundDelayMs: config.sandboxRefundDelayMs }),
    ...overrides,
  });
}

/**
 * The app's /metrics registry, told by the use cases of each committed change (ctx.metrics) and reading the
 * outbox backlog and the pool's use when scraped.
 */
export function composeMetrics(ctx: Context, store: Pick<Store, 'poolUse'>): KasirMetrics {
  const metrics = new KasirMetrics({
    backlog: () => outboxBacklog(ctx),
    ...(store.poolUse && { poolUse: store.poolUse }),
  });
  ctx.metrics = metrics;
  return metrics;
}

/** The HTTP app, exactly as the process serves it. */
export function composeApp(
  ctx: Context,
  settings: AppSettings,
  logger?: AppOptions['logger'],
  metrics?: KasirMetrics,
): Promise<FastifyInstance> {
  return buildApp({ config: settings, ctx, logger, metrics });
}

export interface Kasir {
  app: FastifyInstance;
  ctx: Context;
  /** Whether start-up created or updated a merchant (the process prints generated credentials once). */
  seeded: SeedOutcome;
  /** On the first start of an empty sandbox with the dashboard on: the generated merchant's owner, printed once. */
  seededOwner?: NewDashboardUser;
  /** Starts the expiry sweeper, listens on config.port, then starts the callback dispatcher. */
  start(): Promise<void>;
  /** Stops taking requests, lets in-flight requests and sends finish, closes the database. */
  stop(): Promise<void>;
}

/** While sweeps keep failing (the database is down), they slow down to at most one per this long. */
const MAX_FAILING_SWEEP_MS = 10_000;

export async function composeKasir(config: Config): Promise<Kasir> {
  // The pool may lose idle connections long before the app (and its logger) exists, and after.
  let connectionLost = (_error: Error) => {};
  const store = await openDatabase(config, (error) => connectionLost(error));
  let ctx: Context;
  let seeded: SeedOutcome;
  let seededOwner: NewDashboardUser | undefined;
  let app: FastifyInstance;
  let metrics: KasirMetrics;
  try {
    ctx = await composeContext(config, store);
    metrics = composeMetrics(ctx, store);
    seeded = await seedMerchant(store.db, config.seedMerchant, callbackUrlPort(config)).catch((error: Error) => {
      throw new StartupError(error.message);
    });
    if (seeded.kind === 'generated' && config.env === 'sandbox' && config.dashboard.enabled) {
      seededOwner = await seedDashboardOwner(store.db, seeded.credentials.merchant.id);
    }
    app = await composeApp(ctx, config, undefined, metrics);
  } catch (error) {
    await store.close();
    throw error;
  }

  connectionLost = (error) => app.log.warn({ err: error }, 'database connection lost; the pool opens a new one when needed');

  const dispatcher = new CallbackDispatcher({
    db: store.db,
    now: ctx.now,
    retrySchedule: config.callbackRetrySchedule,
    timeoutMs: config.callbackTimeoutMs,
    pollIntervalMs: config.callbackPollIntervalMs,
    policy: callbackUrlPolicy(config),
    concurrency: config.callbackConcurrency,
    merchantConcurrency: config.callbackMerchantConcurrency,
    breaker: { failures: config.callbackBreakerFailures, cooldownMs: config.callbackBreakerCooldownMs },
    log: app.log,
    metrics,
  });
  let sweeper: NodeJS.Timeout | undefined;
  /** The sweep in progress, if any: stop() lets it finish its batch before the database closes. */
  let sweeping: Promise<void> | undefined;

  async function sweep(purge: boolean): Promise<void> {
    await expireDueSessions(ctx);
    await advanceDueRefunds(ctx);
    // Idempotency records expire by the day; looking once a minute or so is plenty.
    if (purge) await purgeIdempotencyKeys(ctx);
  }

  function startSweeper(): NodeJS.Timeout {
    let sweeps = 0;
    const backoff = new Backoff(config.sweepIntervalMs, MAX_FAILING_SWEEP_MS);
    const timer = setInterval(() => {
      // One sweep at a time: on a frozen database each tick would otherwise add a hung sweep holding a
      // pooled connection, and requests would find the pool empty.
      if (sweeping || !backoff.due(ctx.now().getTime())) return;
      sweeping = sweep(sweeps++ % 60 === 0)
        .then(
          () => backoff.succeeded(),
          (error: unknown) =>
            app.log.error({ err: error, retryInMs: backoff.failed(ctx.now().getTime()) }, 'expiry sweep failed'),
        )
        .finally(() => (sweeping = undefined));
    }, config.sweepIntervalMs);
    timer.unref();
    return timer;
  }

  return {
    app,
    ctx,
    seeded,
    seededOwner,
    async start() {
      sweeper = startSweeper();
      await app.listen({ port: config.port, host: config.host });
      ctx.onCallbacksEnqueued = dispatcher.nudge;
      dispatcher.start();
    },
    async stop() {
      clearInterval(sweeper);
      await sweeping;
      await app.close();
      // Sends in flight finish and record their outcome; nothing new is claimed.
      await dispatcher.stop();
      await store.close();
    },
  };
}
