// Rate-limit counters every instance shares (fixed windows, one row per bucket and window), and a
// credentials version per merchant: an access token names the version it was issued under, so changing
// the secret retires every token issued before.
import type { Kysely, Migration } from 'kysely';

export const rateLimits: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('rate_limits')
      .addColumn('bucket', 'varchar(200)', (c) => c.notNull())
      .addColumn('window_start', 'bigint', (c) => c.notNull())
      .addColumn('hits', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('rate_limits_pk', ['bucket', 'window_start'])
      .execute();
    // Old windows are deleted by their start.
    await db.schema.createIndex('rate_limits_window').on('rate_limits').column('window_start').execute();

    await db.schema
      .alterTable('merchants')
      .addColumn('credentials_version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
  },
};
