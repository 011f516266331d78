// `kasir merchant …` (operator, on the database): create, list and show merchants, rotate their credentials,
// set their callback URL and key.
import type { Command } from 'commander';
import { pagination } from '../usecases/pagination.ts';
import {
  EXIT,
  UsageError,
  printPage,
  withPageOptions,
  pageOptions,
  parseDuration,
  rangeLines,
  rangesForPrint,
  withStore,
  type CliRun,
} from './common.ts';

interface Json {
  json?: boolean;
}

/** The merchants' use cases, loaded when a command runs (withStore says why). */
const merchants = () => import('../usecases/merchants.ts');

/** A use case's refusal of a value the operator typed is a usage error naming the option. */
async function asUsage<T>(option: string, work: () => Promise<T>): Promise<T> {
  const { CallbackApiKeyError, CallbackUrlError } = await merchants();
  try {
    return await work();
  } catch (error) {
    if (error instanceof CallbackUrlError || error instanceof CallbackApiKeyError) {
      throw new UsageError(`${option}: ${error.message}`);
    }
    throw error;
  }
}

export function merchantCommands(program: Command, run: CliRun): void {
  const merchant = program.command('merchant').description('Merchants, on the database DATABASE_URL names (operator)');

  merchant
    .command('create')
    .description('Create a merchant and print its credentials (the client secret is shown once)')
    .requiredOption('--name <name>', 'display name, 1–255 characters')
    .option('--callback-url <url>', 'where its callbacks go')
    .option('--json', 'print JSON')
    .action(
      run.action(async (options: Json & { name: string; callbackUrl?: string }) => {
        const name = options.name.trim();
        if (name === '' || name.length > 255) throw new UsageError('--name must be 1–255 characters');
        const { createMerchant } = await merchants();
        const created = await withStore(run, ({ store, callbackUrlCheck }) =>
          asUsage('--callback-url', () =>
            createMerchant(store.db, { name, callbackUrl: options.callbackUrl }, new Date(), callbackUrlCheck),
          ),
        );
        const { merchant: m, clientSecret, vaRanges } = created;
        const result = {
          clientId: m.id,
          clientSecret,
          callbackApiKey: m.callbackApiKey,
          webhookSecret: m.webhookSecret,
          callbackUrl: m.callbackUrl,
          vaRanges: rangesForPrint(vaRanges),
        };
        run.print(options.json, result, () =>
          [
            `Merchant "${m.name}" created. The client secret is shown once; only its hash is stored.`,
            `  Client ID (X-MERCHANT-ID):         ${result.clientId}`,
            `  Client secret (X-MERCHANT-SECRET): ${result.clientSecret}`,
            `  Callback API key (X-API-Key):      ${result.callbackApiKey}`,
            `  Webhook signing secret:            ${result.webhookSecret}`,
            ...rangeLines(vaRanges),
          ].join('\n'),
        );
        return EXIT.ok;
      }),
    );

  withPageOptions(merchant.command('list'), 'merchant')
    .description('List merchants, the oldest first (never their secrets)')
    .action(
      run.action(async (options: Json & { page?: string; perPage?: string }) => {
        const page = pageOptions(options);
        const { listMerchants } = await merchants();
        const listed = await withStore(run, ({ store }) => listMerchants(store.db, page));
        const data = listed.merchants.map((m) => ({
          clientId: m.id,
          name: m.name,
          callbackUrl: m.callbackUrl,
          createdAt: m.createdAt.toISOString(),
        }));
        const pages = pagination(page, listed.totalItems);
        printPage(run, options.json, { data, pagination: pages }, 'merchant', (m) =>
          [m.clientId, m.createdAt, m.name, m.callbackUrl ?? '(no callback URL)'].join('  '),
        );
        return EXIT.ok;
      }),
    );

  merchant
    .command('show')
    .description('Print a merchant: id, name, callback URL and VA ranges (never the secrets)')
    .requiredOption('--id <id>', 'client id (X-MERCHANT-ID)')
    .option('--json', 'print JSON')
    .action(
      run.action(async (options: Json & { id: string }) => {
        const { describeMerchant } = await merchants();
        const { merchant: m, vaRanges } = await withStore(run, ({ store }) => describeMerchant(store.db, options.id));
        const result = {
          clientId: m.id,
          name: m.name,
          callbackUrl: m.callbackUrl,
          createdAt: m.createdAt.toISOString(),
          vaRanges: rangesForPrint(vaRanges),
        };
        run.print(options.json, result, () =>
          [
            `Merchant "${m.name}"`,
            `  Client ID (X-MERCHANT-ID): ${m.id}`,
            `  Callback URL:              ${m.callbackUrl ?? '(none)'}`,
            ...rangeLines(vaRanges),
          ].join('\n'),
        );
        return EXIT.ok;
      }),
    );

  merchant
    .command('rotate-secret')
    .description('Print a new client secret; access tokens issued under the old one stop working at once')
    .requiredOption('--id <id>', 'client id')
    .option('--json', 'print JSON')
    .action(
      run.action(async (options: Json & { id: string }) => {
        const { rotateClientSecret } = await merchants();
        const rotated = await withStore(run, ({ store }) => rotateClientSecret(store.db, options.id));
        const result = { clientId: rotated.merchant.id, clientSecret: rotated.clientSecret };
        run.print(options.json, result, () =>
          [
            `Client secret of "${rotated.merchant.name}" rotated. It is shown once; only its hash is stored.`,
            `  Client secret (X-MERCHANT-SECRET): ${result.clientSecret}`,
            '  Access tokens issued under the previous secret no longer work.',
          ].join('\n'),
        );
        return EXIT.ok;
      }),
    );

  merchant
    .command('rotate-webhook-secret')
    .description('Rotate the webhook signing secret; both sign during the overlap')
    .requiredOption('--id <id>', 'client id')
    .option('--overlap <duration>', 'how long the previous secret also signs, e.g. 24h, 90m, 0s', '24h')
    .option('--json', 'print JSON')
    .action(
      run.action(async (options: Json & { id: string; overlap: string }) => {
        const overlapMs = parseDuration(options.overlap);
        if (overlapMs === undefined) throw new UsageError('--overlap must be a duration like 24h, 90m or 0s');
        const { rotateWebhookSecret } = await merchants();
        const m = await withStore(run, ({ store }) => rotateWebhookSecret(store.db, options.id, overlapMs));
        const result = {
          clientId: m.id,
          webhookSecret: m.webhookSecret,
          previousWebhookSecretUntil: m.previousWebhookSecretUntil?.toISOString() ?? null,
        };
        run.print(options.json, result, () =>
          [
            `Webhook signing secret of "${m.name}" rotated.`,
            `  New webhook signing secret: ${result.webhookSecret}`,
            result.previousWebhookSecretUntil
              ? `  The previous secret also signs every callback until ${result.previousWebhookSecretUntil}.`
              : '  The previous secret no longer signs.',
          ].join('\n'),
        );
        return EXIT.ok;
      }),
    );

  merchant
    .command('set-callback-url')
    .description("Change a merchant's callback URL")
    .requiredOption('--id <id>', 'client id')
    .requiredOption('--url <url>', 'the new callback URL')
    .option('--json', 'print JSON')
    .action(
      run.action(async (options: Json & { id: string; url: string }) => {
        const { setCallbackUrl } = await merchants();
        const m = await withStore(run, ({ store, callbackUrlCheck }) =>
          asUsage('--url', () => setCallbackUrl(store.db, options.id, options.url, callbackUrlCheck)),
        );
        run.print(
          options.json,
          { clientId: m.id, callbackUrl: m.callbackUrl },
          () => `Callback URL of merchant ${m.id} set to ${m.callbackUrl}`,
        );
        return EXIT.ok;
      }),
    );

  merchant
    .command('set-callback-api-key')
    .description("Set a merchant's callback API key (X-API-Key), generated unless --key")
    .requiredOption('--id <id>', 'client id')
    .option('--key <key>', 'the key (printable ASCII)')
    .option('--json', 'print JSON')
    .action(
      run.action(async (options: Json & { id: string; key?: string }) => {
        const { setCallbackApiKey } = await merchants();
        const m = await withStore(run, ({ store }) =>
          asUsage('--key', () => setCallbackApiKey(store.db, options.id, options.key)),
        );
        run.print(
          options.json,
          { clientId: m.id, callbackApiKey: m.callbackApiKey },
          () => `Callback API key (X-API-Key) of merchant ${m.id}: ${m.callbackApiKey}`,
        );
        return EXIT.ok;
      }),
    );
}
