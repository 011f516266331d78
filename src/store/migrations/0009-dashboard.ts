// The dashboard (issue 11): its users (a merchant's owner/developer/viewer, or a platform operator with no
// merchant), its sign-in sessions in the database so every instance shares them (only a hash of the
// session id is stored, so a database read does not hand out live sessions), and the audit log of who
// did what to which resource, from the dashboard or the API.
import type { Kysely, Migration } from 'kysely';

export const dashboard: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('dashboard_users')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      // Null only for operators, who see every merchant.
      .addColumn('merchant_id', 'varchar(100)', (c) => c.references('merchants.id'))
      .addColumn('email', 'varchar(254)', (c) => c.notNull())
      .addColumn('role', 'varchar(16)', (c) => c.notNull())
      .addColumn('password_hash', 'varchar(255)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    // An email signs in to one account: the database, not a read-then-write, decides.
    await db.schema.createIndex('dashboard_users_email').on('dashboard_users').column('email').unique().execute();
    await db.schema.createIndex('dashboard_users_merchant').on('dashboard_users').column('merchant_id').execute();

    await db.schema
      .createTable('dashboard_sessions')
      .addColumn('id_hash', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('dashboard_users.id'))
      .addColumn('csrf_secret', 'varchar(64)', (c) => c.notNull())
      // The merchant an operator is looking at; a merchant user's own merchant otherwise.
      .addColumn('merchant_id', 'varchar(100)')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('dashboard_sessions_expires').on('dashboard_sessions').column('expires_at').execute();
    await db.schema.createIndex('dashboard_sessions_user').on('dashboard_sessions').column('user_id').execute();

    await db.schema
      .createTable('audit_log')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('merchant_id', 'varchar(100)')
      .addColumn('actor_kind', 'varchar(8)', (c) => c.notNull())
      // A user's id and email (kept as it was then), or the API client's id.
      .addColumn('actor_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('actor_email', 'varchar(254)')
      .addColumn('action', 'varchar(64)', (c) => c.notNull())
      .addColumn('resource_type', 'varchar(32)', (c) => c.notNull())
      .addColumn('resource_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('detail', 'text')
      .execute();
    // The audit screen: one merchant's newest first (ids are time-ordered, so they break ties in order).
    await db.schema.createIndex('audit_log_merchant_at').on('audit_log').columns(['merchant_id', 'at', 'id']).execute();
    await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at', 'id']).execute();
  },
};
