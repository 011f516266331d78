// Process entry (`npm start`, dist/server.js): config → compose → listen → workers; graceful shutdown on
// SIGTERM/SIGINT. Everything is wired in compose.ts; this file only talks to the operator.
import { ConfigError } from './config-values.ts';
import { loadConfig, type Config } from './config.ts';
import { StartupError, composeKasir } from './compose.ts';

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
  const kasir = await composeKasir(config).catch((error: unknown) => {
    if (error instanceof StartupError) fail(error.message);
    throw error;
  });
  if (kasir.seeded.kind === 'generated') {
    const { merchant, clientSecret } = kasir.seeded.credentials;
    process.stdout.write(
      [
        'Created a sandbox merchant (shown once; the secret is stored hashed):',
        `  X-MERCHANT-ID:      ${merchant.id}`,
        `  X-MERCHANT-SECRET:  ${clientSecret}`,
        `  Callback API key:   ${merchant.callbackApiKey}`,
        `  Webhook secret:     ${merchant.webhookSecret}`,
        ...(kasir.seededOwner
          ? [
              `Dashboard owner (sign in at ${config.publicUrl}/dashboard; the password is stored hashed):`,
              `  Email:              ${kasir.seededOwner.user.email}`,
              `  Password:           ${kasir.seededOwner.password}`,
            ]
          : []),
        '',
      ].join('\n'),
    );
  }

  const { app } = kasir;
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    await kasir.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await kasir.start();
  app.log.info({ env: config.env, database: config.database.kind, publicUrl: config.publicUrl }, 'kasir is ready');
}

main().catch((error) => {
  process.stderr.write(`kasir: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
