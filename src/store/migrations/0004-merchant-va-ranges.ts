// VA numbers were one pool across merchants: any merchant could learn whether a number was held anywhere
// and take one another merchant reuses. From here every merchant has its own range at every bank
// (domain/va-number.ts), and a reservation belongs to a merchant. Merchants that exist get their codes in
// the order they were created; open sessions keep their numbers and their reservations, now recorded
// under their own merchant, even where a number lies outside its merchant's new range.
import { sql, type Kysely, type Migration } from 'kysely';
import { rangesOfMerchantCode } from '../../domain/va-number.ts';

export const merchantVaRanges: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('merchant_va_ranges')
      .addColumn('merchant_id', 'varchar(100)', (c) => c.notNull().references('merchants.id'))
      .addColumn('channel', 'varchar(20)', (c) => c.notNull())
      .addColumn('merchant_code', 'integer', (c) => c.notNull())
      .addColumn('prefix', 'varchar(23)', (c) => c.notNull())
      .addPrimaryKeyConstraint('merchant_va_ranges_pk', ['merchant_id', 'channel'])
      .execute();
    // Two merchants never share a range: the database, not a read-then-write, decides.
    await db.schema
      .createIndex('merchant_va_ranges_prefix')
      .on('merchant_va_ranges')
      .columns(['channel', 'prefix'])
      .unique()
      .execute();

    const merchants: Array<{ id: string }> = await db
      .selectFrom('merchants')
      .select('id')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    for (const [i, merchant] of merchants.entries()) {
      const code = i + 1;
      await db
        .insertInto('merchant_va_ranges')
        .values(
          rangesOfMerchantCode(code).map((r) => ({
            merchant_id: merchant.id,
            channel: r.channel,
            merchant_code: code,
            prefix: r.prefix,
          })),
        )
        .execute();
    }

    // SQLite cannot change a primary key in place: the table is rebuilt, on both databases alike.
    await db.schema
      .createTable('va_numbers_by_merchant')
      .addColumn('merchant_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('channel', 'varchar(20)', (c) => c.notNull())
      .addColumn('number', 'varchar(32)', (c) => c.notNull())
      .addColumn('session_id', 'varchar(36)', (c) => c.notNull())
      .addPrimaryKeyConstraint('va_numbers_merchant_pk', ['merchant_id', 'channel', 'number'])
      .execute();
    await db
      .insertInto('va_numbers_by_merchant')
      .columns(['merchant_id', 'channel', 'number', 'session_id'])
      .expression(
        db
          .selectFrom('va_numbers as v')
          .innerJoin('payment_sessions as s', 's.id', 'v.session_id')
          .select([sql.ref('s.merchant_id').as('merchant_id'), 'v.channel', 'v.number', 'v.session_id']),
      )
      .execute();
    await db.schema.dropTable('va_numbers').execute();
    await db.schema.alterTable('va_numbers_by_merchant').renameTo('va_numbers').execute();
    await db.schema.createIndex('va_numbers_session').on('va_numbers').column('session_id').execute();
  },
};
