// What every `kasir` command shares: its signature, the I/O it writes to, and option parsing helpers.
import type { loadConfig } from '../config.ts';
import type { Store } from '../compose.ts';
import { staticRange, type VaRange } from '../domain/va-number.ts';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env?: Record<string, string | undefined>;
  /** All of standard input (for --password-stdin); the process's own unless a test gives one. */
  readStdin?: () => Promise<string>;
}

export type Command = (args: string[], store: Store, io: CliIo, env: ReturnType<typeof loadConfig>) => Promise<number>;

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
