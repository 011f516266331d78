// How one environment variable's text is read (integers, flags, choices, URLs, durations), and the one
// error a bad value raises: the section parsers and loadConfig share these so every message reads alike.

export class ConfigError extends Error {}

export type Env = Record<string, string | undefined>;

export function parsePort(raw: string): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be an integer between 0 and 65535, got "${raw}"`);
  }
  return port;
}

export function parsePositiveInt(name: string, raw: string): number {
  if (!/^[1-9]\d*$/.test(raw)) throw new ConfigError(`${name} must be a positive integer, got "${raw}"`);
  return Number(raw);
}

export function parseBool(name: string, raw: string): boolean {
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

export function parseEnum<T extends string>(name: string, raw: string, allowed: readonly T[]): T {
  const known = allowed.find((value) => value === raw);
  if (known === undefined) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return known;
}

export function isHttpUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export function parsePublicUrl(raw: string): string {
  if (!isHttpUrl(raw)) throw new ConfigError(`KASIR_PUBLIC_URL must be an absolute http(s) URL, got "${raw}"`);
  return raw.replace(/\/+$/, '');
}

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };

/** "5m,15m,1h" → [300, 900, 3600] (seconds; fractions allowed for ms). */
export function parseSchedule(raw: string): number[] {
  const parts = raw.split(',').map((p) => p.trim());
  const seconds = parts.map((part) => {
    const [, count, unit] = /^(\d+)(ms|s|m|h|d)$/.exec(part) ?? [];
    const unitSeconds = unit === undefined ? undefined : UNIT_SECONDS[unit];
    if (unitSeconds === undefined) {
      throw new ConfigError(`KASIR_CALLBACK_RETRY_SCHEDULE must be a comma-separated list like 5m,15m,1h; bad entry "${part}"`);
    }
    return Number(count) * unitSeconds;
  });
  if (seconds.length === 0 || seconds.length > 20) {
    throw new ConfigError('KASIR_CALLBACK_RETRY_SCHEDULE must list between 1 and 20 delays');
  }
  return seconds;
}
