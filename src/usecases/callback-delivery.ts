// What the callback dispatcher (callbacks/dispatcher.ts) needs from the outbox: which merchants have
// callbacks due, a merchant's due callbacks claimed under a lease, where and how to send them, and the
// attempts recorded with each row's next state. What an outcome means and when to try again is the
// dispatcher's retry policy; these only load and persist.
import { callbackApiKeyProblem } from '../domain/merchant.ts';
import {
  claimDueCallbacks,
  merchantsWithDueCallbacks,
  recordAttempts,
  type AttemptOutcome,
  type CallbackRecord,
} from '../store/callbacks.ts';
import { findMerchant } from '../store/merchants.ts';
import type { Database } from '../store/schema.ts';

export type { AttemptOutcome, CallbackRecord };

/** Where a merchant's callbacks go and what they carry; `problem` says why they cannot go at all. */
export type Recipient =
  | {
      url: string;
      apiKey: string;
      secrets: { current: string; previous: { secret: string; until: Date } | null };
    }
  | { problem: string };

export interface DeliveryStore {
  db: Database;
}

export function merchantsWithDueCallbacksNow(
  ctx: DeliveryStore,
  now: Date,
  options: { exclude: readonly string[]; limit: number },
): Promise<string[]> {
  return merchantsWithDueCallbacks(ctx.db, now, options);
}

/** Up to `limit` due callbacks of one merchant, the oldest first, now DELIVERING until `leaseUntil`. */
export function claimCallbacks(
  ctx: DeliveryStore,
  merchantId: string,
  now: Date,
  leaseUntil: number,
  limit: number,
): Promise<CallbackRecord[]> {
  return claimDueCallbacks(ctx.db, now, leaseUntil, limit, merchantId);
}

export async function recipientOf(ctx: DeliveryStore, merchantId: string): Promise<Recipient> {
  const merchant = await findMerchant(ctx.db, merchantId);
  if (!merchant?.callbackUrl) return { problem: 'the merchant has no callback URL' };
  const keyProblem = callbackApiKeyProblem(merchant.callbackApiKey);
  if (keyProblem) {
    // Sending would fail the same way every time (HTTP cannot carry it): say so once and stop.
    return { problem: `the merchant's callback API key ${keyProblem}; set a valid one (KASIR_CALLBACK_API_KEY), then resend` };
  }
  return {
    url: merchant.callbackUrl,
    apiKey: merchant.callbackApiKey,
    secrets: {
      current: merchant.webhookSecret,
      previous:
        merchant.previousWebhookSecret && merchant.previousWebhookSecretUntil
          ? { secret: merchant.previousWebhookSecret, until: merchant.previousWebhookSecretUntil }
          : null,
    },
  };
}

/** Each attempt with its row's next state, in one transaction, each guarded by the lease it was claimed under. */
export function recordCallbackAttempts(
  ctx: DeliveryStore,
  entries: ReadonlyArray<{ claimed: CallbackRecord; outcome: AttemptOutcome }>,
): Promise<number> {
  return recordAttempts(ctx.db, entries);
}
