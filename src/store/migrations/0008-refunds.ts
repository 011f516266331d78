// Refunds (pivot-api §5.10): a row per refund, changed by compare-and-set on `version` like a session, and
// two totals on each charge — what refunds hold (reserved) and what they returned (refunded) — written
// under the session's version, so the sum of refunds never passes what the charge paid.
import { sql, type Kysely, type Migration } from 'kysely';

export const refunds: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .alterTable('charges')
      .addColumn('refund_reserved', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable('charges')
      .addColumn('refunded', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();

    await db.schema
      .createTable('refunds')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('merchant_id', 'varchar(100)', (c) => c.notNull().references('merchants.id'))
      .addColumn('client_reference_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('payment_session_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('charge_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('status', 'varchar(32)', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('is_full_amount', 'integer', (c) => c.notNull())
      .addColumn('amount_value', 'bigint', (c) => c.notNull())
      .addColumn('currency', 'varchar(3)', (c) => c.notNull())
      .addColumn('captured_value', 'bigint', (c) => c.notNull())
      .addColumn('reason', 'varchar(40)', (c) => c.notNull())
      .addColumn('description', 'varchar(255)')
      .addColumn('method', 'varchar(20)', (c) => c.notNull())
      // Merchant JSON, verbatim: the destination as sent, and the one a transfer uses (sent, or the customer's).
      .addColumn('transfer_destination', 'text')
      .addColumn('payout_destination', 'text')
      .addColumn('route', 'varchar(10)', (c) => c.notNull())
      .addColumn('destination_type', 'varchar(10)')
      .addColumn('metadata', 'text')
      .addColumn('failure_code', 'varchar(40)')
      .addColumn('failure_message', 'varchar(255)')
      .addColumn('next_step_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    // A clientReferenceId names one refund of the merchant: the database, not a read-then-write, decides.
    await db.schema
      .createIndex('refunds_reference')
      .on('refunds')
      .columns(['merchant_id', 'client_reference_id'])
      .unique()
      .execute();
    // One index per list filter, then the list's order (as 0005 does for sessions).
    await db.schema.createIndex('refunds_merchant_created').on('refunds').columns(['merchant_id', 'created_at', 'id']).execute();
    await db.schema
      .createIndex('refunds_session_created')
      .on('refunds')
      .columns(['merchant_id', 'payment_session_id', 'created_at', 'id'])
      .execute();
    await db.schema
      .createIndex('refunds_status_created')
      .on('refunds')
      .columns(['merchant_id', 'status', 'created_at', 'id'])
      .execute();
    // The sandbox sweeper's "open and due": production rows have no next_step_at and never match.
    await db.schema
      .createIndex('refunds_due')
      .on('refunds')
      .columns(['next_step_at'])
      .where(sql.ref('next_step_at'), 'is not', null)
      .execute();
  },
};
