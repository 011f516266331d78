// Who is calling the merchant API: client credentials become an access token (POST /v1/access-token),
// and an access token becomes the merchant every /v2 route acts for.
import { ACCESS_TOKEN_SECONDS } from '../security/tokens.ts';
import { findMerchant, type Merchant } from '../store/merchants.ts';
import type { Context } from './context.ts';
import { authenticateMerchant } from './merchants.ts';

export type { Merchant };

export interface IssuedAccessToken {
  accessToken: string;
  expiresInSeconds: number;
}

/** A bearer token for the merchant whose id and secret these are, or undefined when they are wrong. */
export async function exchangeClientCredentials(
  ctx: Context,
  id: string,
  secret: string,
): Promise<IssuedAccessToken | undefined> {
  const merchant = await authenticateMerchant(ctx.db, id, secret);
  if (!merchant) return undefined;
  return {
    accessToken: await ctx.tokens.issueAccessToken(merchant.id, ctx.now(), merchant.credentialsVersion),
    expiresInSeconds: ACCESS_TOKEN_SECONDS,
  };
}

/**
 * The merchant a valid, unexpired access token was issued to; undefined for any other token, and for one
 * issued before the merchant's secret last changed (the row read here anyway carries the version).
 */
export async function merchantOfAccessToken(ctx: Context, accessToken: string): Promise<Merchant | undefined> {
  const holder = await ctx.tokens.accessTokenHolder(accessToken, ctx.now());
  if (!holder) return undefined;
  const merchant = await findMerchant(ctx.db, holder.merchantId);
  return merchant?.credentialsVersion === holder.credentialsVersion ? merchant : undefined;
}
