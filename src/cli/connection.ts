// Where a command that talks to a running Kasir connects, and as whom. Each setting is taken from the first
// place that has it: its flag (--base-url, --merchant-id, --merchant-secret), then the environment
// (KASIR_BASE_URL, KASIR_MERCHANT_ID, KASIR_MERCHANT_SECRET), then a profile: the one --profile (or
// KASIR_PROFILE) names, else the profile called "default" if the file has one. The file is
// $KASIR_CONFIG_DIR/profiles.json, else ~/.config/kasir/profiles.json:
//   { "local": { "baseUrl": "http://localhost:3000", "merchantId": "…", "merchantSecret": "…" } }
// The base URL falls back to http://localhost:3000 (what `kasir start` listens on); the credentials have no default.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { Kasir, KasirApiError, KasirNetworkError } from '@kasir/sdk';
import { EXIT, UsageError, type CliRun } from './common.ts';

export interface Connection {
  baseUrl: string;
  merchantId: string;
  merchantSecret: string;
}

export interface ConnectionFlags {
  baseUrl?: string;
  merchantId?: string;
  merchantSecret?: string;
  profile?: string;
}

export const DEFAULT_BASE_URL = 'http://localhost:3000';
type Profile = Partial<Connection>;

/** The connection flags, on every command that talks to a running Kasir. */
export function withConnectionOptions(command: Command): Command {
  return command
    .option('--base-url <url>', `Kasir's base URL (else KASIR_BASE_URL, the profile, ${DEFAULT_BASE_URL})`)
    .option('--merchant-id <id>', 'client id, X-MERCHANT-ID (else KASIR_MERCHANT_ID, the profile)')
    .option('--merchant-secret <secret>', 'client secret, X-MERCHANT-SECRET (else KASIR_MERCHANT_SECRET, the profile)')
    .option('--profile <name>', 'a profile of profiles.json (else KASIR_PROFILE, "default")');
}

export function profilesPath(env: Record<string, string | undefined>): string {
  return env.KASIR_CONFIG_DIR
    ? join(env.KASIR_CONFIG_DIR, 'profiles.json')
    : join(env.HOME ?? homedir(), '.config', 'kasir', 'profiles.json');
}

function readProfiles(path: string): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`${path} is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`${path} must hold an object of profiles by name`);
  }
  return Object.fromEntries(Object.entries(parsed));
}

function profileOf(value: unknown, name: string, path: string): Profile {
  if (typeof value !== 'object' || value === null) throw new UsageError(`profile "${name}" in ${path} must be an object`);
  const fields: Profile = {};
  for (const key of ['baseUrl', 'merchantId', 'merchantSecret'] as const) {
    const field: unknown = Object.getOwnPropertyDescriptor(value, key)?.value;
    if (field === undefined) continue;
    if (typeof field !== 'string') throw new UsageError(`profile "${name}" in ${path}: ${key} must be a string`);
    fields[key] = field;
  }
  return fields;
}

function chosenProfile(flags: ConnectionFlags, env: Record<string, string | undefined>): Profile {
  const named = flags.profile ?? env.KASIR_PROFILE;
  const path = profilesPath(env);
  const profiles = readProfiles(path);
  if (named === undefined) return profiles?.default === undefined ? {} : profileOf(profiles.default, 'default', path);
  const profile = profiles?.[named];
  if (profile === undefined) throw new UsageError(`no profile "${named}" in ${path}`);
  return profileOf(profile, named, path);
}

export function resolveConnection(flags: ConnectionFlags, env: Record<string, string | undefined>): Connection {
  const profile = chosenProfile(flags, env);
  const baseUrl = flags.baseUrl ?? env.KASIR_BASE_URL ?? profile.baseUrl ?? DEFAULT_BASE_URL;
  const merchantId = flags.merchantId ?? env.KASIR_MERCHANT_ID ?? profile.merchantId;
  const merchantSecret = flags.merchantSecret ?? env.KASIR_MERCHANT_SECRET ?? profile.merchantSecret;
  if (!URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) {
    throw new UsageError(`the base URL must be an http(s) URL, got "${baseUrl}"`);
  }
  if (!merchantId || !merchantSecret) {
    throw new UsageError(
      'no merchant credentials: give --merchant-id and --merchant-secret, set KASIR_MERCHANT_ID and KASIR_MERCHANT_SECRET, or use a profile (docs/cli.md)',
    );
  }
  return { baseUrl: baseUrl.replace(/\/+$/, ''), merchantId, merchantSecret };
}

/** The SDK's errors as exit codes: a 4xx is a refusal (1), no answer or a 5xx is "unavailable" (3). */
function sdkFailure(error: unknown): { code: number; message: string } | undefined {
  if (error instanceof KasirApiError) {
    const trace = error.traceId ? ` (traceId ${error.traceId})` : '';
    const details = error.details.map((d) => `\n  ${d.field}: ${d.message}`).join('');
    return {
      code: error.status >= 500 ? EXIT.unavailable : EXIT.refused,
      message: `${error.status} ${error.code}: ${error.message}${trace}${details}`,
    };
  }
  if (error instanceof KasirNetworkError) return { code: EXIT.unavailable, message: `Kasir is unreachable: ${error.message}` };
  return undefined;
}

/** An SDK client for the command's connection; its errors map to exit codes from here on. */
export function kasirClient(run: CliRun, flags: ConnectionFlags): { kasir: Kasir; connection: Connection } {
  const connection = resolveConnection(flags, run.env);
  run.addFailureMapper(sdkFailure);
  // Scripts want an answer quickly: one retry where the SDK deems it safe, 10 s per attempt.
  const kasir = new Kasir({ ...connection, fetch: run.io.fetch, timeoutMs: 10_000, maxRetries: 1 });
  return { kasir, connection };
}
