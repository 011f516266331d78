// Table shapes as Kysely sees them. Timestamps are epoch milliseconds (bigint) on both databases.
import type { Generated, Kysely, Selectable } from 'kysely';

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
  /** Raised whenever the client secret changes; access tokens carry the version they were issued under. */
  credentials_version: number;
}

/**
 * One row per session: a column for everything Kasir queries or changes, and what the merchant sent
 * (customer, orderInformation, metadata, redirect URLs, …) as the JSON text it arrived as, never revived.
 */
export interface PaymentSessionsTable {
  id: string;
  merchant_id: string;
  client_reference_id: string;
  status: string;
  version: number;
  expiry_at: number | null;
  created_at: number;
  updated_at: number;
  amount_value: number;
  currency: string;
  payment_type: string;
  mode: string;
  auto_confirm: number;
  bypass_status_page: number;
  save_for_future_use: number;
  show_saved_payment: number;
  statement_descriptor: string;
  payment_url: string | null;
  /** The chosen method's type, null until one is chosen. */
  method_type: string | null;
  /** The chosen method's options in Kasir's versioned codec (store/codec.ts). */
  method_options: string | null;
  cancelled_at: number | null;
  cancellation_reason: string | null;
  /** How many charges the session has had; the next charge's `seq` is this + 1. */
  charge_count: number;
  customer_id: string | null;
  /** Merchant JSON, verbatim. */
  customer: string | null;
  order_information: string | null;
  metadata: string | null;
  redirect_url: string;
  /** expirationMode, recurringId, initiateFirstAuthorization, splitRoutingConfigurations: echoed, verbatim. */
  echo_extras: string;
  /** The Payment Session Object as JSON text, kept current by every write; null on rows not written since 0.2. */
  wire: string | null;
}

/** One row per charge; `seq` orders a session's charges (1, 2, …). */
export interface ChargesTable {
  id: string;
  session_id: string;
  merchant_id: string;
  client_reference_id: string;
  seq: number;
  status: string;
  amount_value: number;
  currency: string;
  statement_descriptor: string;
  method_type: string;
  /** The method's charge data (VA number, QR content, …) in Kasir's versioned codec. */
  details: string;
  expiry_at: number | null;
  paid_at: number | null;
  failure_code: string | null;
  failure_message: string | null;
  created_at: number;
  updated_at: number;
  /** Refunds not FAILED or CANCELLED, and refunds that succeeded (migration 0007); changed only by refunds. */
  refund_reserved: Generated<number>;
  refunded: Generated<number>;
}

/** A charge row as read back (the refund totals always present). */
export type ChargeRow = Selectable<ChargesTable>;

/** One row per refund; `version` is its compare-and-set key. Merchant JSON as sent. */
export interface RefundsTable {
  id: string;
  merchant_id: string;
  client_reference_id: string;
  payment_session_id: string;
  charge_id: string;
  status: string;
  version: number;
  is_full_amount: number;
  amount_value: number;
  currency: string;
  captured_value: number;
  reason: string;
  description: string | null;
  method: string;
  transfer_destination: string | null;
  payout_destination: string | null;
  route: string;
  destination_type: string | null;
  metadata: string | null;
  failure_code: string | null;
  failure_message: string | null;
  /** Sandbox: when the refund moves on by itself; null otherwise. */
  next_step_at: number | null;
  created_at: number;
  updated_at: number;
}

/** A number an open session holds; unique per merchant and bank, deleted when the session ends. */
export interface VaNumbersTable {
  merchant_id: string;
  channel: string;
  number: string;
  session_id: string;
}

/** A merchant's VA range at one bank: numbers behind `prefix` (domain/va-number.ts); disjoint per bank. */
export interface MerchantVaRangesTable {
  merchant_id: string;
  channel: string;
  /** The merchant's code, the same at every bank, part of `prefix`; the next merchant gets the highest + 1. */
  merchant_code: number;
  prefix: string;
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
  /** What the callback is about: payment_session or refund, and its id. */
  resource_type: string;
  resource_id: string;
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

/** Hits of one bucket (e.g. a client address on the token endpoint) in one fixed window. */
export interface RateLimitsTable {
  bucket: string;
  window_start: number;
  hits: number;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface StoredPaymentMethodsTable {
  token: string;
  merchant_id: string;
  customer_id: string;
  payment_method: string;
  fingerprint: string;
  /**
   * JSON of what Kasir keeps of the method, by payment_method: CARD, domain/card/card-charge.ts#TakenCard
   * (digits Kasir may keep, never the number); EWALLET, store/customers.ts#SavedEwallet.
   */
  details: string;
  created_at: number;
}

/** A dashboard account: a merchant's owner, developer or viewer, or an operator (no merchant). */
export interface DashboardUsersTable {
  id: string;
  merchant_id: string | null;
  email: string;
  role: string;
  password_hash: string;
  created_at: number;
}

/** A signed-in browser: the key is a SHA-256 of the cookie's session id, never the id itself. */
export interface DashboardSessionsTable {
  id_hash: string;
  user_id: string;
  csrf_secret: string;
  merchant_id: string | null;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

export interface AuditLogTable {
  id: string;
  merchant_id: string | null;
  actor_kind: string;
  actor_id: string;
  actor_email: string | null;
  action: string;
  resource_type: string;
  resource_id: string;
  at: number;
  /** Small JSON object, Kasir's own (never a secret). */
  detail: string | null;
}

export interface DB {
  merchants: MerchantsTable;
  payment_sessions: PaymentSessionsTable;
  charges: ChargesTable;
  refunds: RefundsTable;
  va_numbers: VaNumbersTable;
  merchant_va_ranges: MerchantVaRangesTable;
  idempotency_keys: IdempotencyKeysTable;
  callbacks: CallbacksTable;
  callback_attempts: CallbackAttemptsTable;
  stored_payment_methods: StoredPaymentMethodsTable;
  settings: SettingsTable;
  rate_limits: RateLimitsTable;
  dashboard_users: DashboardUsersTable;
  dashboard_sessions: DashboardSessionsTable;
  audit_log: AuditLogTable;
}

export type Database = Kysely<DB>;
