// The dashboard's Developers screen: credentials and callback settings of one merchant, each change made
// through the same use case as the CLI and written with its audit entry in one transaction.
import { enqueueCallbacks } from '../store/outbox.ts';
import { findMerchant, type Merchant } from '../store/merchants.ts';
import { recordAudit, type AuditActor } from './audit-log.ts';
import type { Context } from './context.ts';
import {
  CallbackUrlError,
  UnknownMerchantError,
  assertCallbackUrl,
  rotateClientSecret,
  rotateWebhookSecret,
  setCallbackApiKey,
  setCallbackUrl,
  type CallbackUrlCheck,
} from './merchants.ts';

export { CallbackUrlError };

/** What the screen shows; the webhook secret itself is shown once, right after a rotation. */
export interface DeveloperSettings {
  clientId: string;
  merchantName: string;
  callbackUrl: string | null;
  callbackApiKey: string;
  previousWebhookSecretUntil: Date | null;
}

function settingsOf(merchant: Merchant, now: Date): DeveloperSettings {
  const until = merchant.previousWebhookSecretUntil;
  return {
    clientId: merchant.id,
    merchantName: merchant.name,
    callbackUrl: merchant.callbackUrl,
    callbackApiKey: merchant.callbackApiKey,
    previousWebhookSecretUntil: until && until > now ? until : null,
  };
}

export async function developerSettings(ctx: Context, merchantId: string): Promise<DeveloperSettings> {
  const merchant = await findMerchant(ctx.db, merchantId);
  if (!merchant) throw new UnknownMerchantError(`No merchant with id ${merchantId}`);
  return settingsOf(merchant, ctx.now());
}

const MERCHANT = (id: string) => ({ type: 'merchant' as const, id });

/** A new client secret, shown once; every access token of the old one stops. */
export async function rotateClientSecretBy(ctx: Context, actor: AuditActor, merchantId: string): Promise<string> {
  return ctx.db.transaction().execute(async (trx) => {
    const { clientSecret } = await rotateClientSecret(trx, merchantId);
    await recordAudit(ctx, trx, { merchantId, actor, action: 'client_secret.rotate', resource: MERCHANT(merchantId) });
    return clientSecret;
  });
}

/** Overlap windows the screen offers: none, an hour, a day, a week. */
export const WEBHOOK_OVERLAPS_MS = [0, 3_600_000, 86_400_000, 7 * 86_400_000] as const;

export async function rotateWebhookSecretBy(
  ctx: Context,
  actor: AuditActor,
  merchantId: string,
  overlapMs: number,
): Promise<Merchant> {
  return ctx.db.transaction().execute(async (trx) => {
    const merchant = await rotateWebhookSecret(trx, merchantId, overlapMs, ctx.now());
    await recordAudit(ctx, trx, {
      merchantId,
      actor,
      action: 'webhook_secret.rotate',
      resource: MERCHANT(merchantId),
      detail: { overlapSeconds: overlapMs / 1000 },
    });
    return merchant;
  });
}

export async function rotateCallbackApiKeyBy(ctx: Context, actor: AuditActor, merchantId: string): Promise<Merchant> {
  return ctx.db.transaction().execute(async (trx) => {
    const merchant = await setCallbackApiKey(trx, merchantId);
    await recordAudit(ctx, trx, { merchantId, actor, action: 'callback_api_key.rotate', resource: MERCHANT(merchantId) });
    return merchant;
  });
}

/** Validated by the deployment's policy (the API's and the CLI's) before the transaction opens. */
export async function setCallbackUrlBy(
  ctx: Context,
  actor: AuditActor,
  merchantId: string,
  url: string,
  check: CallbackUrlCheck,
): Promise<Merchant> {
  await assertCallbackUrl(url, check);
  return ctx.db.transaction().execute(async (trx) => {
    const merchant = await setCallbackUrl(trx, merchantId, url, async () => undefined);
    await recordAudit(ctx, trx, {
      merchantId,
      actor,
      action: 'callback_url.set',
      resource: MERCHANT(merchantId),
      detail: { url },
    });
    return merchant;
  });
}

/** A merchant without a callback URL has nowhere to send a test to. */
export class NoCallbackUrlError extends Error {}

/**
 * A PAYMENT.TEST callback through the outbox (signed, retried and listed like any other), about the merchant
 * itself: its `data` is a sample payment, so a receiver can check its endpoint, key and signature.
 */
export async function sendTestCallback(ctx: Context, actor: AuditActor, merchantId: string): Promise<string> {
  const merchant = await findMerchant(ctx.db, merchantId);
  if (!merchant) throw new UnknownMerchantError(`No merchant with id ${merchantId}`);
  if (!merchant.callbackUrl) throw new NoCallbackUrlError('Set a callback URL first');
  const now = ctx.now();
  const id = ctx.newId();
  const payload = JSON.stringify({
    event: 'PAYMENT.TEST',
    data: {
      id: `test_${id}`,
      clientReferenceId: 'kasir-test-callback',
      amount: { value: 10000, currency: 'IDR' },
      status: 'PAID',
      createdAt: now.toISOString(),
    },
  });
  await ctx.db.transaction().execute(async (trx) => {
    await enqueueCallbacks(trx, [{ id, merchantId, resource: MERCHANT(merchantId), event: 'PAYMENT.TEST', payload }], now);
    await recordAudit(ctx, trx, {
      merchantId,
      actor,
      action: 'callback.test',
      resource: { type: 'callback', id },
    });
  });
  ctx.onCallbacksEnqueued?.();
  return id;
}
