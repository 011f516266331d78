// How every bench starts the Kasir it measures: a sandbox on its own SQLite file, quiet, with one seeded
// merchant the bench signs in as.
import type { MerchantCredentials } from './merchant-client.ts';

export function benchServiceEnv(databasePath: string, merchant: MerchantCredentials): Record<string, string> {
  return {
    DATABASE_URL: `file:${databasePath}`,
    KASIR_ENV: 'sandbox',
    LOG_LEVEL: 'warn',
    KASIR_MERCHANT_ID: merchant.id,
    KASIR_MERCHANT_SECRET: merchant.secret,
  };
}

/** The benches measure throughput, not the per-token and per-address page limits. */
export const UNLIMITED_PAGE_RATES = {
  KASIR_PAGE_RATE_LIMIT: '1000000000',
  KASIR_PAGE_ADDRESS_RATE_LIMIT: '1000000000',
};
