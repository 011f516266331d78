// X-REQUEST-ID on the two creates that take one (POST /v2/payments, POST /v1/refunds): one rule for both.
// The answer is stored in the transaction that does the work, so a request either did nothing or has its
// answer kept for 24 h. The stored answer is looked for only when the work cannot go ahead (a refusal, or
// the key's row colliding in that transaction): a first attempt, nearly every request, reads nothing for it.
import { createHash } from 'node:crypto';
import { isJsonObject } from '../domain/json.ts';
import { Refusal } from '../domain/refusal.ts';
import { deleteExpiredKey, findStoredResponse, IDEMPOTENCY_TTL_MS } from '../store/idempotency.ts';
import type { Context } from './context.ts';

export interface Idempotency {
  key: string;
  /** Hash of the canonical request body (and, for refunds, the endpoint): same key with another is a conflict. */
  requestHash: string;
}

export function hashRequest(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

/** JSON with sorted keys, so the same body hashes the same whatever the key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isJsonObject(value)) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The answer stored for this key, as the JSON text first sent; undefined when there is none or it is past
 * its 24 h (then removed, so the key can be used again). A stored answer to another request is a conflict.
 */
export async function storedAnswer(ctx: Context, merchantId: string, idempotency: Idempotency): Promise<string | undefined> {
  const stored = await findStoredResponse(ctx.db, merchantId, idempotency.key);
  if (!stored) return undefined;
  if (stored.createdAt.getTime() <= ctx.now().getTime() - IDEMPOTENCY_TTL_MS) {
    await deleteExpiredKey(ctx.db, merchantId, idempotency.key, ctx.now());
    return undefined;
  }
  if (stored.requestHash !== idempotency.requestHash) throw Refusal.idempotencyConflict();
  return stored.body;
}

/**
 * `attempt`'s answer; or, when it is refused and the key has a stored answer, that answer, whatever refuses
 * the request now (a session's expiryAt passed since, its reference held by the very session it created, a
 * refund's amount already taken by itself).
 */
export async function answerOrReplay<T>(
  ctx: Context,
  merchantId: string,
  idempotency: Idempotency | undefined,
  attempt: () => Promise<T>,
  replayOf: (stored: string) => T,
): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    if (!idempotency || !(error instanceof Refusal)) throw error;
    const stored = await storedAnswer(ctx, merchantId, idempotency);
    if (stored === undefined) throw error;
    return replayOf(stored);
  }
}
