// The one set of migrations both databases run. Append new ones; never edit a shipped one.
import { sql, type Kysely, type Migration } from 'kysely';
import { OPEN_SESSION_STATUSES } from '../domain/statuses.ts';
import { explicitStorage } from './migrations/0002-explicit-storage.ts';
import { rateLimits } from './migrations/0003-rate-limits.ts';
import { merchantVaRanges } from './migrations/0004-merchant-va-ranges.ts';
import { listIndexes } from './migrations/0005-indexes.ts';
import { sessionWire } from './migrations/0006-session-wire.ts';
import { storedPaymentMethods } from './migrations/0007-stored-payment-methods.ts';
import { refunds } from './migrations/0008-refunds.ts';
import { dashboard } from './migrations/0009-dashboard.ts';
import { dashboardIndexes } from './migrations/0010-dashboard-indexes.ts';
import { storedMethodDetails } from './migrations/0011-stored-method-details.ts';
import { callbackClaims } from './migrations/0012-callback-claims.ts';

const openStatuses = sql.join(OPEN_SESSION_STATUSES.map((s) => sql.lit(s)));

export const migrations: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('merchants')
        .addColumn('id', 'varchar(100)', (c) => c.primaryKey())
        .addColumn('name', 'varchar(255)', (c) => c.notNull())
        .addColumn('secret_hash', 'varchar(255)', (c) => c.notNull())
        .addColumn('callback_url', 'varchar(2048)')
        .addColumn('callback_api_key', 'varchar(255)', (c) => c.notNull())
        .addColumn('webhook_secret', 'varchar(255)', (c) => c.notNull())
        .addColumn('previous_webhook_secret', 'varchar(255)')
        .addColumn('previous_webhook_secret_until', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('payment_sessions')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('merchant_id', 'varchar(100)', (c) => c.notNull().references('merchants.id'))
        .addColumn('client_reference_id', 'varchar(100)', (c) => c.notNull())
        .addColumn('status', 'varchar(32)', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('expiry_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('payment_sessions_merchant_created')
        .on('payment_sessions')
        .columns(['merchant_id', 'created_at', 'id'])
        .execute();
      // One open session per clientReferenceId and merchant: the database, not a read-then-write, decides.
      await db.schema
        .createIndex('payment_sessions_open_reference')
        .on('payment_sessions')
        .columns(['merchant_id', 'client_reference_id'])
        .unique()
        .where(sql.ref('status'), 'in', sql`(${openStatuses})`)
        .execute();
      await db.schema
        .createIndex('payment_sessions_reference')
        .on('payment_sessions')
        .columns(['merchant_id', 'client_reference_id'])
        .execute();
      await db.schema.createIndex('payment_sessions_expiry').on('payment_sessions').columns(['status', 'expiry_at']).execute();

      // A VA number belongs to at most one open session per channel; the row goes when the session ends.
      await db.schema
        .createTable('va_numbers')
        .addColumn('channel', 'varchar(20)', (c) => c.notNull())
        .addColumn('number', 'varchar(32)', (c) => c.notNull())
        .addColumn('session_id', 'varchar(36)', (c) => c.notNull())
        .addPrimaryKeyConstraint('va_numbers_pk', ['channel', 'number'])
        .execute();
      await db.schema.createIndex('va_numbers_session').on('va_numbers').column('session_id').execute();

      await db.schema
        .createTable('idempotency_keys')
        .addColumn('merchant_id', 'varchar(100)', (c) => c.notNull())
        .addColumn('key', 'varchar(64)', (c) => c.notNull())
        .addColumn('request_hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('response_status', 'integer', (c) => c.notNull())
        .addColumn('response_body', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_keys_pk', ['merchant_id', 'key'])
        .execute();

      await db.schema
        .createTable('callbacks')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('merchant_id', 'varchar(100)', (c) => c.notNull())
        .addColumn('session_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('event', 'varchar(40)', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('attempt_count', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
        .addColumn('lease_until', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('delivered_at', 'bigint')
        .execute();
      await db.schema.createIndex('callbacks_due').on('callbacks').columns(['status', 'next_attempt_at']).execute();
      await db.schema.createIndex('callbacks_merchant').on('callbacks').columns(['merchant_id', 'created_at']).execute();

      await db.schema
        .createTable('callback_attempts')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('callback_id', 'varchar(40)', (c) => c.notNull())
        .addColumn('attempted_at', 'bigint', (c) => c.notNull())
        .addColumn('http_status', 'integer')
        .addColumn('latency_ms', 'integer', (c) => c.notNull())
        .addColumn('response_excerpt', 'varchar(512)')
        .addColumn('error', 'varchar(512)')
        .execute();
      await db.schema.createIndex('callback_attempts_callback').on('callback_attempts').column('callback_id').execute();

      await db.schema
        .createTable('settings')
        .addColumn('key', 'varchar(100)', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '0002_explicit_storage': explicitStorage,
  '0003_rate_limits': rateLimits,
  '0004_merchant_va_ranges': merchantVaRanges,
  '0005_indexes': listIndexes,
  '0006_session_wire': sessionWire,
  '0007_stored_payment_methods': storedPaymentMethods,
  '0008_refunds': refunds,
  '0009_dashboard': dashboard,
  '0010_dashboard_indexes': dashboardIndexes,
  '0011_stored_method_details': storedMethodDetails,
  '0012_callback_claims': callbackClaims,
};
