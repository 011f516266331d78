// What every `kasir` command shares: where it writes, its exit codes, how a failure becomes one, opening the
// database for the operator commands, and option parsing helpers.
import type { Command } from 'commander';
import { ConfigError } from '../config-values.ts';
import { loadConfig, type Config } from '../config.ts';
import type { Store } from '../compose.ts';
import { Refusal } from '../domain/refusal.ts';
import { staticRange, type VaRange } from '../domain/va-number.ts';
import type { CallbackUrlCheck } from '../usecases/merchants.ts';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env?: Record<string, string | undefined>;
  /** All of standard input (for --password-stdin); the process's own unless a test gives one. */
  readStdin?: () => Promise<string>;
  /** Resolves when the user asks a long-running command (`kasir listen`) to stop; SIGINT unless a test gives one. */
  interrupted?: Promise<void>;
  /** The fetch API calls go through (tests may wrap it); globalThis.fetch otherwise. */
  fetch?: typeof fetch;
}

/** Exit codes scripts can rely on (docs/cli.md). */
export const EXIT = {
  ok: 0,
  /** Refused: the API answered 4xx (not found, invalid state, …) or the database has no such merchant. */
  refused: 1,
  /** Usage: an unknown command or option, a missing or malformed value, no credentials. */
  usage: 2,
  /** Kasir could not be reached, or answered 5xx; an operator command could not open the database. */
  unavailable: 3,
} as const;

/** A usage mistake found after parsing (a value out of range, credentials missing): exit 2 with its message. */
export class UsageError extends Error {}

/** A refusal: no such merchant, the API said no before anything happened: exit 1 with its message. */
export class RefusedError extends Error {}

/** Kasir or the database cannot be reached: exit 3 with its message. */
export class UnavailableError extends Error {}

export interface FailureMapper {
  /** The exit code and message for an error this mapper knows, undefined otherwise. */
  (error: unknown): { code: number; message: string } | undefined;
}

const knownFailures: FailureMapper = (error) => {
  if (error instanceof UsageError || error instanceof ConfigError) return { code: EXIT.usage, message: error.message };
  if (error instanceof RefusedError) return { code: EXIT.refused, message: error.message };
  if (error instanceof UnavailableError) return { code: EXIT.unavailable, message: error.message };
  if (error instanceof Refusal) return { code: error.kind === 'validation' ? EXIT.usage : EXIT.refused, message: error.message };
  return undefined;
};

/** What a command's action runs with: the I/O, and the exit code it settles on. */
export class CliRun {
  exitCode: number = EXIT.ok;
  private readonly mappers: FailureMapper[] = [knownFailures];

  constructor(readonly io: CliIo) {}

  get env(): Record<string, string | undefined> {
    return this.io.env ?? process.env;
  }

  /** Errors of another layer (the SDK's) that map to exit codes. */
  addFailureMapper(mapper: FailureMapper): void {
    this.mappers.push(mapper);
  }

  /** Wraps an action: its result is the exit code; a known failure prints `kasir: message` and sets its code. */
  action<A extends unknown[]>(handler: (...args: A) => Promise<number>): (...args: A) => Promise<void> {
    return async (...args: A) => {
      try {
        this.exitCode = await handler(...args);
      } catch (error) {
        const known = this.mappers.map((map) => map(error)).find((found) => found !== undefined);
        if (!known) throw error;
        this.io.err(`kasir: ${known.message}`);
        this.exitCode = known.code;
      }
    };
  }

  /** Prints `value` as JSON (--json) or `text()` otherwise. */
  print(json: boolean | undefined, value: unknown, text: () => string): void {
    this.io.out(json ? JSON.stringify(value, null, 2) : text());
  }
}

export interface OperatorSetting {
  store: Store;
  config: Config;
  /** The deployment's callback-URL policy, as the server applies it. */
  callbackUrlCheck: CallbackUrlCheck;
}

/**
 * Operator commands: the database DATABASE_URL names (the server's rules), closed when the command ends. The
 * composition root is loaded here, not at start, so the commands that only talk HTTP start quickly.
 */
export async function withStore<T>(run: CliRun, work: (setting: OperatorSetting) => Promise<T>): Promise<T> {
  const config = loadConfig(run.env);
  const [{ StartupError, callbackUrlPort, openDatabase }, { UnknownMerchantError }] = await Promise.all([
    import('../compose.ts'),
    import('../usecases/merchants.ts'),
  ]);
  const store = await openDatabase(config).catch((error: unknown) => {
    throw error instanceof StartupError ? new UnavailableError(error.message) : error;
  });
  try {
    return await work({ store, config, callbackUrlCheck: callbackUrlPort(config) });
  } catch (error) {
    // Every command that names a merchant by --id answers an unknown one the same way.
    if (error instanceof UnknownMerchantError) throw new RefusedError(error.message);
    throw error;
  } finally {
    await store.close();
  }
}

const DURATION_UNITS_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "24h", "90m", "0s" → milliseconds; undefined when malformed. */
export function parseDuration(raw: string): number | undefined {
  const [, count, unit] = /^(\d{1,6})(s|m|h|d)$/.exec(raw.trim()) ?? [];
  const unitMs = unit === undefined ? undefined : DURATION_UNITS_MS[unit];
  return unitMs === undefined ? undefined : Number(count) * unitMs;
}

/** A merchant's VA ranges as the CLI prints them: the prefix, and the numbers the merchant may ask for. */
export function rangesForPrint(ranges: VaRange[]) {
  return ranges.map((r) => ({ channel: r.channel, prefix: r.prefix, staticRange: staticRange(r) }));
}

export function rangeLines(ranges: VaRange[]): string[] {
  return [
    '  VA numbers: 16 digits behind the prefix. Ask for a fixed virtualAccountNumber inside the static range;',
    '  Kasir generates the others from the rest of the prefix.',
    ...rangesForPrint(ranges).map(
      (r) => `    ${r.channel.padEnd(8)} prefix ${r.prefix.padEnd(10)}  static ${r.staticRange.first}–${r.staticRange.last}`,
    ),
  ];
}

/** A page-size or page number option: a positive integer within `max`. */
export function positive(raw: string | undefined, fallback: number, max: number): number | undefined {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  return /^[1-9]\d*$/.test(raw) && n <= max ? n : undefined;
}

/** --page and --per-page, checked: a usage error names both. */
export function pageOptions(options: { page?: string; perPage?: string }): { page: number; perPage: number } {
  const page = positive(options.page, 1, 1_000_000);
  const perPage = positive(options.perPage, 20, 100);
  if (page === undefined || perPage === undefined) {
    throw new UsageError('--page must be a positive integer and --per-page one from 1 to 100');
  }
  return { page, perPage };
}

/** "n thing(s); page p of q" under a list. */
export function pageFooter(noun: string, pagination: { page: number; totalItems: number; totalPages: number }): string {
  const { page, totalItems, totalPages } = pagination;
  return `${totalItems} ${noun}${totalItems === 1 ? '' : 's'}; page ${page} of ${Math.max(totalPages, 1)}`;
}

/** The options every list command has: --page, --per-page and --json. */
export function withPageOptions(command: Command, noun: string): Command {
  return command
    .option('--page <n>', 'page number (default 1)')
    .option('--per-page <n>', `${noun}s per page, 1–100 (default 20)`)
    .option('--json', 'print JSON: {data, pagination}');
}

/** A page: its JSON, or a line per item and the footer. */
export function printPage<T>(
  run: CliRun,
  json: boolean | undefined,
  page: { data: T[]; pagination: { page: number; totalItems: number; totalPages: number } },
  noun: string,
  line: (item: T) => string,
): void {
  run.print(json, page, () => [...page.data.map(line), pageFooter(noun, page.pagination)].join('\n'));
}
