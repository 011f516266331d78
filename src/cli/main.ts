// `kasir` — operator commands against the database named by DATABASE_URL (same rules as the server).
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import { openStore, type Store } from '../store/database.ts';
import { createMerchant } from '../usecases/merchants.ts';

const USAGE = `Usage:
  kasir merchant create --name NAME [--callback-url URL] [--json]

Environment: DATABASE_URL (unset → ./data/kasir.db; file:PATH; postgres://…), KASIR_ENV.`;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env?: Record<string, string | undefined>;
}

type Command = (args: string[], store: Store, io: CliIo, env: ReturnType<typeof loadConfig>) => Promise<number>;

const commands: Record<string, Command> = {
  'merchant create': async (args, store, io) => {
    const { values } = parseArgs({
      args,
      options: { name: { type: 'string' }, 'callback-url': { type: 'string' }, json: { type: 'boolean', default: false } },
      strict: true,
    });
    if (!values.name || values.name.trim() === '' || values.name.length > 255) {
      io.err('kasir: --name is required (1–255 characters)');
      return 2;
    }
    const callbackUrl = values['callback-url'];
    if (callbackUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(callbackUrl)) {
      io.err('kasir: --callback-url must be an absolute http(s) URL');
      return 2;
    }
    const { merchant, clientSecret } = await createMerchant(store.db, { name: values.name.trim(), callbackUrl });
    const result = {
      clientId: merchant.id,
      clientSecret,
      callbackApiKey: merchant.callbackApiKey,
      webhookSecret: merchant.webhookSecret,
      callbackUrl: merchant.callbackUrl,
    };
    if (values.json) io.out(JSON.stringify(result, null, 2));
    else {
      io.out(
        [
          `Merchant "${merchant.name}" created. The client secret is shown once; only its hash is stored.`,
          `  Client ID (X-MERCHANT-ID):         ${result.clientId}`,
          `  Client secret (X-MERCHANT-SECRET): ${result.clientSecret}`,
          `  Callback API key (X-API-Key):      ${result.callbackApiKey}`,
          `  Webhook signing secret:            ${result.webhookSecret}`,
        ].join('\n'),
      );
    }
    return 0;
  },
};

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const key = argv.slice(0, 2).join(' ');
  const command = commands[key];
  if (!command) {
    io.err(USAGE);
    return argv.length === 0 || argv[0] === '--help' ? 0 : 2;
  }
  let config;
  try {
    config = loadConfig(io.env ?? process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`kasir: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const store = await openStore(config.database);
  try {
    return await command(argv.slice(2), store, io, config);
  } catch (error) {
    if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`kasir: ${error.message}\n${USAGE}`);
      return 2;
    }
    throw error;
  } finally {
    await store.close();
  }
}

/** Entry used by bin/kasir.js. */
export function main(argv = process.argv.slice(2)): void {
  runCli(argv, { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) }).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`kasir: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
