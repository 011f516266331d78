// `kasir` — one commander program, a module per command group: `kasir start` (start-command.ts); commands
// that talk to a running Kasir through @kasir/sdk (payment-commands.ts: payments and simulate,
// refund-commands.ts, callback-commands.ts; connection.ts says where and as whom) and its event stream
// (listen-command.ts); operator commands on the database DATABASE_URL names (merchant-commands.ts,
// user-commands.ts). Help goes to stdout
// for every command; exit codes are common.ts#EXIT.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { CliRun, EXIT, type CliIo } from './common.ts';
import { callbackCommands } from './callback-commands.ts';
import { listenCommand } from './listen-command.ts';
import { merchantCommands } from './merchant-commands.ts';
import { paymentCommands } from './payment-commands.ts';
import { refundCommands } from './refund-commands.ts';
import { startCommand } from './start-command.ts';
import { userCommands } from './user-commands.ts';

export type { CliIo };
export { EXIT };

/** The version of the kasir package this CLI belongs to (src/cli and dist/cli both sit two levels down). */
function packageVersion(): string {
  const manifest: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  const version = typeof manifest === 'object' && manifest !== null && 'version' in manifest ? manifest.version : undefined;
  return typeof version === 'string' ? version : 'unknown';
}

function buildProgram(run: CliRun): Command {
  const { io } = run;
  const program = new Command('kasir')
    .description('Kasir, the self-hostable payment-session gateway: run it, manage merchants, watch and drive live sessions')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpCommand('help [command...]', 'print help for a command, e.g. kasir help payments list')
    .showHelpAfterError('(kasir help COMMAND for its options)')
    .configureOutput({
      writeOut: (text) => io.out(text.replace(/\n$/, '')),
      writeErr: (text) => io.err(text.replace(/\n$/, '')),
    })
    .exitOverride()
    .addHelpText(
      'after',
      `
Exit codes: 0 ok; 1 refused (the API said no, or no such merchant/resource); 2 usage error;
3 Kasir unreachable or answered 5xx. Commands that talk to a running Kasir take --base-url,
--merchant-id, --merchant-secret, else KASIR_BASE_URL, KASIR_MERCHANT_ID, KASIR_MERCHANT_SECRET,
else a profile (--profile NAME; docs/cli.md).`,
    );
  startCommand(program, run);
  paymentCommands(program, run);
  refundCommands(program, run);
  callbackCommands(program, run);
  listenCommand(program, run);
  merchantCommands(program, run);
  userCommands(program, run);
  // Sub-commands inherit the output settings and exitOverride: commander copies them when each is created.
  return program;
}

/** `kasir help payments list` is `kasir payments list --help` (commander's help command reads one level). */
function helpArgv(argv: string[]): string[] {
  if (argv.length === 0) return ['--help'];
  if (argv[0] === 'help' && argv.length > 1) return [...argv.slice(1), '--help'];
  return argv;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const run = new CliRun(io);
  const program = buildProgram(run);
  try {
    await program.parseAsync(helpArgv(argv), { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // --help and --version end with code 0; a group named without its command, or any parse error, is usage.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  return run.exitCode;
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
