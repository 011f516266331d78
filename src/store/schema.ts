// Table shapes as Kysely sees them. Timestamps are epoch milliseconds (bigint) on both databases.
import type { Kysely } from 'kysely';

export interface MerchantsTable {
  id: string;
  name: string;
  secret_hash: string;
  callback_url: string | null;
  callback_api_key: string;
  webhook_secret: string;
  previous_webhook_secret: string | null;
  previous_webhook_secret_until: number | null;
  created_at: number;
}

export interface PaymentSessionsTable {
  id: string;
  merchant_id: string;
  client_reference_id: string;
  status: string;
  version: number;
  expiry_at: number | null;
  created_at: number;
  updated_at: number;
  /** The whole domain session as JSON; the columns above are copies kept for querying. */
  body: string;
}

export interface VaNumbersTable {
  channel: string;
  number: string;
  session_id: string;
}

export interface IdempotencyKeysTable {
  merchant_id: string;
  key: string;
  request_hash: string;
  response_status: number;
  response_body: string;
  created_at: number;
}

export interface CallbacksTable {
  id: string;
  merchant_id: string;
  session_id: string;
  event: string;
  payload: string;
  status: string;
  attempt_count: number;
  next_attempt_at: number;
  lease_until: number | null;
  created_at: number;
  updated_at: number;
  delivered_at: number | null;
}

export interface CallbackAttemptsTable {
  id: string;
  callback_id: string;
  attempted_at: number;
  http_status: number | null;
  latency_ms: number;
  response_excerpt: string | null;
  error: string | null;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface DB {
  merchants: MerchantsTable;
  payment_sessions: PaymentSessionsTable;
  va_numbers: VaNumbersTable;
  idempotency_keys: IdempotencyKeysTable;
  callbacks: CallbacksTable;
  callback_attempts: CallbackAttemptsTable;
  settings: SettingsTable;
}

export type Database = Kysely<DB>;
