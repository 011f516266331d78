// Merchant secrets are stored as scrypt hashes and compared in constant time; credentials are random.
import { randomBytes, randomInt, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );

/** scrypt's cost parameters; every hash carries the ones it was made with, and is checked with them. */
export interface HashCost {
  N: number;
  r: number;
  p: number;
}

/** What Kasir hashes secrets and passwords with: 16 MiB and about 25 ms of one core per hash. */
export const SECRET_HASH_COST: HashCost = { N: 16384, r: 8, p: 1 };

/**
 * What a check runs against when there is no stored hash (an unknown merchant id or email): a hash at
 * Kasir's own cost that no secret matches, so a miss takes as long as a wrong secret.
 */
export const NO_SUCH_HASH = `scrypt$${SECRET_HASH_COST.N}$${SECRET_HASH_COST.r}$${SECRET_HASH_COST.p}$${'A'.repeat(22)}==$${'A'.repeat(43)}=`;

export async function hashSecret(secret: string, cost: HashCost = SECRET_HASH_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(secret, salt, 32, cost);
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scrypt(secret, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(actual, expected);
}

/** Constant-time comparison of two strings of possibly different length. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  // Compare equal-length buffers so the time does not reveal where they differ; the length check comes after.
  const padded = Buffer.alloc(left.length);
  right.copy(padded, 0, 0, Math.min(right.length, left.length));
  return timingSafeEqual(left, padded) && left.length === right.length;
}

export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export function randomDigits(count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String(randomInt(10));
  return out;
}
