// Process entry: config → database → app → background workers; graceful shutdown on SIGTERM/SIGINT.
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { buildApp } from './app.ts';
import { pagePlugin } from './page/plugin.ts';
import { Tokens } from './security/tokens.ts';
import { openStore } from './store/database.ts';
import { getOrCreateSetting } from './store/settings.ts';
import { makeContext } from './usecases/context.ts';
import { expireDueSessions, purgeIdempotencyKeys } from './usecases/expire-sessions.ts';
import { seedMerchant } from './usecases/merchants.ts';
import { CallbackDispatcher } from './callbacks/dispatcher.ts';

function fail(message: string): never {
  process.stderr.write(`kasir: ${message}\n`);
  process.exit(1);
}

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const store = await openStore(config.database).catch((error: Error) => fail(`cannot open the database: ${error.message}`));
  const tokenSecret = config.tokenSecret ?? (await getOrCreateSetting(store.db, 'token_secret', () => randomBytes(32).toString('base64url')));
  const ctx = makeContext({ db: store.db, tokens: new Tokens(tokenSecret), env: config.env, publicUrl: config.publicUrl });

  const urlPolicy = { env: config.env, allowPrivate: config.allowPrivateCallbackUrls };
  const seeded = await seedMerchant(store.db, config.seedMerchant, urlPolicy).catch((error: Error) => fail(error.message));
  if (seeded.kind === 'generated') {
    const { merchant, clientSecret } = seeded.credentials;
    process.stdout.write(
      [
        'Created a sandbox merchant (shown once; the secret is stored hashed):',
        `  X-MERCHANT-ID:      ${merchant.id}`,
        `  X-MERCHANT-SECRET:  ${clientSecret}`,
        `  Callback API key:   ${merchant.callbackApiKey}`,
        `  Webhook secret:     ${merchant.webhookSecret}`,
        '',
      ].join('\n'),
    );
  }

  const app = await buildApp({ config, ctx, plugins: [pagePlugin(ctx, config)] });
  let sweeps = 0;
  const sweeper = setInterval(() => {
    expireDueSessions(ctx).catch((error) => app.log.error({ err: error }, 'expiry sweep failed'));
    // Idempotency records expire by the day; looking once a minute or so is plenty.
    if (sweeps++ % 60 === 0) purgeIdempotencyKeys(ctx).catch((error) => app.log.error({ err: error }, 'idempotency purge failed'));
  }, config.sweepIntervalMs);
  sweeper.unref();
  const dispatcher = new CallbackDispatcher({
    db: store.db,
    now: ctx.now,
    retrySchedule: config.callbackRetrySchedule,
    timeoutMs: config.callbackTimeoutMs,
    pollIntervalMs: config.callbackPollIntervalMs,
    policy: urlPolicy,
    log: app.log,
  });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    clearInterval(sweeper);
    await app.close();
    // Sends in flight finish and record their outcome; nothing new is claimed.
    await dispatcher.stop();
    await store.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  ctx.onCallbacksEnqueued = dispatcher.nudge;
  dispatcher.start();
  app.log.info({ env: config.env, database: config.database.kind, publicUrl: config.publicUrl }, 'kasir is ready');
}

main().catch((error) => {
  process.stderr.write(`kasir: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
