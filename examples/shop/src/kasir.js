// @ts-check
// The shop's settings from the environment, and the @kasir/sdk client built from them. Everything the shop
// needs to talk to Kasir (or Pivot) is here, checked once at start so a typo stops the process with one
// clear line instead of failing at the first payment.
import { Kasir } from '@kasir/sdk';

/**
 * @typedef {object} ShopConfig
 * @property {string} kasirBaseUrl        KASIR_BASE_URL: the gateway's API, e.g. http://127.0.0.1:3000
 * @property {string} merchantId          KASIR_MERCHANT_ID
 * @property {string} merchantSecret      KASIR_MERCHANT_SECRET
 * @property {string | undefined} webhookSecret   KASIR_WEBHOOK_SECRET (whsec_…): checks webhook-signature
 * @property {string | undefined} callbackApiKey  KASIR_CALLBACK_API_KEY: checks X-API-Key
 * @property {URL} publicUrl              SHOP_PUBLIC_URL: where shoppers and Kasir reach this shop
 * @property {number} port                PORT (default 4000)
 * @property {string} host                HOST (default 127.0.0.1)
 */

export class ShopConfigError extends Error {}

/**
 * @param {Record<string, string | undefined>} env
 * @returns {ShopConfig}
 */
export function shopConfigFromEnv(env) {
  /** @param {string} name */
  const required = (name) => {
    const value = env[name]?.trim();
    if (!value) throw new ShopConfigError(`${name} is required`);
    return value;
  };
  /** @param {string} name */
  const optional = (name) => env[name]?.trim() || undefined;
  /** @param {string} name */
  const httpUrl = (name) => {
    const raw = required(name);
    const url = URL.canParse(raw) ? new URL(raw) : undefined;
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
      throw new ShopConfigError(`${name} must be an absolute http(s) URL, got ${JSON.stringify(raw)}`);
    return url;
  };

  const webhookSecret = optional('KASIR_WEBHOOK_SECRET');
  const callbackApiKey = optional('KASIR_CALLBACK_API_KEY');
  // Without either, any request to the callback route could mark an order paid.
  if (!webhookSecret && !callbackApiKey)
    throw new ShopConfigError('set KASIR_WEBHOOK_SECRET (preferred) or KASIR_CALLBACK_API_KEY, or both');
  if (webhookSecret && !webhookSecret.startsWith('whsec_'))
    throw new ShopConfigError('KASIR_WEBHOOK_SECRET must start with whsec_');

  const port = Number(optional('PORT') ?? '4000');
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ShopConfigError('PORT must be 0–65535');
  const publicUrl = httpUrl('SHOP_PUBLIC_URL');
  if (publicUrl.pathname !== '/' || publicUrl.search || publicUrl.hash)
    throw new ShopConfigError('SHOP_PUBLIC_URL must be an origin only, like http://127.0.0.1:4000');

  return {
    kasirBaseUrl: httpUrl('KASIR_BASE_URL').toString().replace(/\/$/, ''),
    merchantId: required('KASIR_MERCHANT_ID'),
    merchantSecret: required('KASIR_MERCHANT_SECRET'),
    webhookSecret,
    callbackApiKey,
    publicUrl,
    port,
    host: optional('HOST') ?? '127.0.0.1',
  };
}

/**
 * The SDK client: it exchanges the merchant id and secret for a bearer token, caches and refreshes it, and
 * retries failed calls with the same X-REQUEST-ID.
 * @param {Pick<ShopConfig, 'kasirBaseUrl' | 'merchantId' | 'merchantSecret'>} config
 */
export function kasirClient(config) {
  return new Kasir({ baseUrl: config.kasirBaseUrl, merchantId: config.merchantId, merchantSecret: config.merchantSecret });
}
