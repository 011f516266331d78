// Saved cards (pivot-api §5.2 saveForFutureUse, §5.11 storedPaymentMethods): a random token per customer
// and card, mapping to what Kasir may keep of the card (first6/first8/last4, brand, expiry, keyed
// fingerprint) — never the number. One token per card and customer: saving the same card again keeps it.
import type { Kysely, Migration } from 'kysely';

export const storedPaymentMethods: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('stored_payment_methods')
      .addColumn('token', 'varchar(100)', (c) => c.primaryKey())
      .addColumn('merchant_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('customer_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('payment_method', 'varchar(20)', (c) => c.notNull())
      .addColumn('fingerprint', 'varchar(100)', (c) => c.notNull())
      .addColumn('card', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('stored_payment_methods_customer_card')
      .on('stored_payment_methods')
      .columns(['merchant_id', 'customer_id', 'fingerprint'])
      .unique()
      .execute();
  },
};
