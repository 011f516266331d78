// Merchant accounts: creation (CLI and start-up seeding) with the merchant's own VA ranges, credential
// checks for access tokens, client secret rotation (which retires every access token issued before), and
// webhook secret rotation with an overlap window.
import { randomUUID } from 'node:crypto';
import type { SeedMerchant } from '../config.ts';
import { callbackApiKeyProblem } from '../domain/merchant.ts';
import { hashSecret, newWebhookSecret, randomToken, verifySecret, NO_SUCH_HASH, type HashCost } from '../security/secrets.ts';
import type { Database } from '../store/schema.ts';
import {
  countMerchants,
  findMerchant,
  insertMerchant,
  pageOfMerchants,
  replaceSecret,
  updateMerchant,
  type Merchant,
} from '../store/merchants.ts';
import type { VaRange } from '../domain/va-number.ts';
import { assignVaRanges, vaRangesOf } from './va-ranges.ts';

export interface NewMerchantCredentials {
  merchant: Merchant;
  /** Shown once; only its hash is stored. */
  clientSecret: string;
}

export interface NewMerchant extends NewMerchantCredentials {
  /** Its VA number range at every bank. */
  vaRanges: VaRange[];
}

/** A callback URL the policy refuses (not absolute http(s); in production http or private addresses). */
export class CallbackUrlError extends Error {}

/**
 * Why a callback URL may not be stored ("must use https in production"), or undefined. The deployment's
 * policy is outside the use cases (callbacks/url-policy.ts, which delivery applies too); the composition
 * root passes it in.
 */
export type CallbackUrlCheck = (url: string) => Promise<string | undefined>;

/** What holds in every deployment: Kasir can only POST to an absolute http(s) URL. */
const anyHttpUrl: CallbackUrlCheck = async (url) => {
  try {
    const { protocol } = new URL(url);
    if (protocol === 'http:' || protocol === 'https:') return undefined;
  } catch {
    // not a URL at all: the same answer as a wrong scheme
  }
  return 'must be an absolute http(s) URL';
};

/** A callback API key that cannot travel in the X-API-Key header (control characters, …). */
export class CallbackApiKeyError extends Error {}

function assertCallbackApiKey(key: string, name = 'The callback API key'): void {
  const problem = callbackApiKeyProblem(key);
  if (problem) throw new CallbackApiKeyError(`${name} ${problem}`);
}

export async function assertCallbackUrl(url: string, check: CallbackUrlCheck = anyHttpUrl): Promise<void> {
  const problem = await check(url);
  if (problem) throw new CallbackUrlError(`The callback URL ${problem}`);
}

export async function createMerchant(
  db: Database,
  options: {
    name: string;
    callbackUrl?: string;
    id?: string;
    secret?: string;
    callbackApiKey?: string;
    webhookSecret?: string;
    /** The secret's hash cost; Kasir's own (SECRET_HASH_COST) unless a test asks for a cheaper one. */
    hashCost?: HashCost;
  },
  now = new Date(),
  checkUrl?: CallbackUrlCheck,
): Promise<NewMerchant> {
  if (options.callbackUrl !== undefined) await assertCallbackUrl(options.callbackUrl, checkUrl);
  if (options.callbackApiKey !== undefined) assertCallbackApiKey(options.callbackApiKey);
  const clientSecret = options.secret ?? randomToken(32);
  const merchant: Merchant = {
    id: options.id ?? randomUUID(),
    name: options.name,
    secretHash: await hashSecret(clientSecret, options.hashCost),
    callbackUrl: options.callbackUrl ?? null,
    callbackApiKey: options.callbackApiKey ?? randomToken(24),
    webhookSecret: options.webhookSecret ?? newWebhookSecret(),
    previousWebhookSecret: null,
    previousWebhookSecretUntil: null,
    createdAt: now,
    credentialsVersion: 1,
  };
  await insertMerchant(db, merchant);
  // Should this fail, the merchant's first VA charge assigns them (usecases/va-ranges.ts).
  return { merchant, clientSecret, vaRanges: await assignVaRanges(db, merchant.id) };
}

/** The merchant whose id and secret these are, or undefined. Always spends the hashing time. */
export async function authenticateMerchant(db: Database, id: string, secret: string): Promise<Merchant | undefined> {
  const merchant = await findMerchant(db, id);
  // Hash even for unknown ids so response time does not reveal which merchant ids exist.
  const ok = await verifySecret(secret, merchant?.secretHash ?? NO_SUCH_HASH);
  return merchant && ok ? merchant : undefined;
}

export type SeedOutcome =
  { kind: 'seeded'; merchant: Merchant } | { kind: 'generated'; credentials: NewMerchantCredentials } | { kind: 'none' };

/**
 * KASIR_MERCHANT_* create or update one merchant at start so a sandbox can be scripted. With none set
 * and an empty database, one merchant is generated and its credentials are shown once.
 */
export async function seedMerchant(db: Database, seed: SeedMerchant, checkUrl?: CallbackUrlCheck): Promise<SeedOutcome> {
  const anySet = Object.values(seed).some((v) => v !== undefined);
  if (!anySet) {
    if ((await countMerchants(db)) > 0) return { kind: 'none' };
    return { kind: 'generated', credentials: await createMerchant(db, { name: 'Sandbox Merchant' }) };
  }
  if (!seed.id || !seed.secret) {
    throw new Error('KASIR_MERCHANT_ID and KASIR_MERCHANT_SECRET must be set together to seed a merchant');
  }
  if (seed.callbackUrl !== undefined) await assertCallbackUrl(seed.callbackUrl, checkUrl);
  if (seed.callbackApiKey !== undefined) assertCallbackApiKey(seed.callbackApiKey, 'KASIR_CALLBACK_API_KEY');
  const existing = await findMerchant(db, seed.id);
  if (!existing) {
    const { merchant } = await createMerchant(
      db,
      {
        name: seed.id,
        id: seed.id,
        secret: seed.secret,
        callbackUrl: seed.callbackUrl,
        callbackApiKey: seed.callbackApiKey,
        webhookSecret: seed.webhookSecret,
      },
      new Date(),
      checkUrl,
    );
    return { kind: 'seeded', merchant };
  }
  // A changed KASIR_MERCHANT_SECRET is a secret change like any other: tokens issued under the old one stop.
  const current = (await verifySecret(seed.secret, existing.secretHash))
    ? existing
    : ((await replaceSecret(db, existing.id, await hashSecret(seed.secret))) ?? existing);
  const updated: Merchant = {
    ...current,
    callbackUrl: seed.callbackUrl ?? existing.callbackUrl,
    callbackApiKey: seed.callbackApiKey ?? existing.callbackApiKey,
    webhookSecret: seed.webhookSecret ?? existing.webhookSecret,
  };
  await updateMerchant(db, updated);
  return { kind: 'seeded', merchant: updated };
}

export class UnknownMerchantError extends Error {}

/** Every merchant, a page at a time, the oldest first (`kasir merchant list`). */
export async function listMerchants(db: Database, page: { page: number; perPage: number }) {
  const [merchants, totalItems] = await Promise.all([
    pageOfMerchants(db, (page.page - 1) * page.perPage, page.perPage),
    countMerchants(db),
  ]);
  return { merchants, totalItems };
}

/** What an operator hands a merchant besides credentials: where its VA numbers lie at every bank. */
export async function describeMerchant(db: Database, id: string): Promise<{ merchant: Merchant; vaRanges: VaRange[] }> {
  const merchant = await findMerchant(db, id);
  if (!merchant) throw new UnknownMerchantError(`No merchant with id ${id}`);
  return { merchant, vaRanges: await vaRangesOf(db, id) };
}

/**
 * A new client secret, shown once. Every access token issued under the old one stops working at once,
 * on every instance: tokens carry the credentials version, and the merchant row is read on each request.
 */
export async function rotateClientSecret(db: Database, id: string): Promise<NewMerchantCredentials> {
  const clientSecret = randomToken(32);
  const merchant = await replaceSecret(db, id, await hashSecret(clientSecret));
  if (!merchant) throw new UnknownMerchantError(`No merchant with id ${id}`);
  return { merchant, clientSecret };
}

/**
 * A new signing secret. The old one keeps signing beside it until now + overlap, so receivers can
 * switch over without dropping a callback; overlap 0 retires it at once.
 */
export async function rotateWebhookSecret(db: Database, id: string, overlapMs: number, now = new Date()): Promise<Merchant> {
  const existing = await findMerchant(db, id);
  if (!existing) throw new UnknownMerchantError(`No merchant with id ${id}`);
  const updated: Merchant = {
    ...existing,
    webhookSecret: newWebhookSecret(),
    previousWebhookSecret: overlapMs > 0 ? existing.webhookSecret : null,
    previousWebhookSecretUntil: overlapMs > 0 ? new Date(now.getTime() + overlapMs) : null,
  };
  await updateMerchant(db, updated);
  return updated;
}

export async function setCallbackUrl(db: Database, id: string, url: string, checkUrl?: CallbackUrlCheck): Promise<Merchant> {
  await assertCallbackUrl(url, checkUrl);
  const existing = await findMerchant(db, id);
  if (!existing) throw new UnknownMerchantError(`No merchant with id ${id}`);
  const updated: Merchant = { ...existing, callbackUrl: url };
  await updateMerchant(db, updated);
  return updated;
}

/** A new callback API key (generated unless given), sent as X-API-Key from the next attempt on. */
export async function setCallbackApiKey(db: Database, id: string, key?: string): Promise<Merchant> {
  if (key !== undefined) assertCallbackApiKey(key);
  const existing = await findMerchant(db, id);
  if (!existing) throw new UnknownMerchantError(`No merchant with id ${id}`);
  const updated: Merchant = { ...existing, callbackApiKey: key ?? randomToken(24) };
  await updateMerchant(db, updated);
  return updated;
}
