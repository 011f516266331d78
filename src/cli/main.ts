// `kasir` — operator commands against the database named by DATABASE_URL (same rules as the server):
// merchants (merchant-commands.ts), a merchant's refunds (refund-commands.ts, read through the same use cases
// as GET /v1/refunds) and dashboard users (user-commands.ts).
import { ConfigError, loadConfig } from '../config.ts';
import { openDatabase } from '../compose.ts';
import { UnknownMerchantError } from '../usecases/merchants.ts';
import type { CliIo, Command } from './common.ts';
import { merchantCommands } from './merchant-commands.ts';
import { refundCommands } from './refund-commands.ts';
import { userCommands } from './user-commands.ts';

export type { CliIo };

const USAGE = `Usage:
  kasir merchant create --name NAME [--callback-url URL] [--json]
  kasir merchant show --id ID [--json]
  kasir merchant rotate-secret --id ID [--json]
  kasir merchant rotate-webhook-secret --id ID [--overlap 24h] [--json]
  kasir merchant set-callback-url --id ID --url URL
  kasir merchant set-callback-api-key --id ID [--key KEY] [--json]   (generated unless --key)
  kasir refunds list --merchant ID [--payment-session-id ID] [--client-reference-id REF]
                     [--status STATUS] [--page N] [--per-page N] [--json]
  kasir refunds get --merchant ID --refund ID [--json]
  kasir user create --merchant ID --email EMAIL --role owner|developer|viewer [--password-stdin] [--json]
  kasir user create --email EMAIL --role operator [--password-stdin] [--json]   (sees every merchant)
  (the password is generated and printed once unless --password-stdin)

Environment: DATABASE_URL (unset → ./data/kasir.db; file:PATH; postgres://…), KASIR_ENV.`;

const commands: Record<string, Command> = { ...merchantCommands, ...refundCommands, ...userCommands };

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
  const store = await openDatabase(config);
  try {
    return await command(argv.slice(2), store, io, config);
  } catch (error) {
    if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`kasir: ${error.message}\n${USAGE}`);
      return 2;
    }
    // Every command that names a merchant by --id answers an unknown one the same way.
    if (error instanceof UnknownMerchantError) {
      io.err(`kasir: ${error.message}`);
      return 1;
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
