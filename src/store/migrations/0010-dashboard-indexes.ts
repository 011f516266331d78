// The dashboard's payment search filters by things a session keeps inside JSON text — the customer's
// email (merchant JSON, stored as sent) and the chosen bank or wallet (Kasir's versioned method options)
// — and by method type. Each gets an index that holds the filter, then the list's order (newest first), as
// 0005 does for the API's lists. The JSON ones are expression indexes, so no write path changes: a query
// must use the very expression below (DASHBOARD_EXPRESSIONS) for the planner to match it.
//
// PostgreSQL parses the text inside kasir_json_text, which answers null instead of failing on text it
// cannot parse as jsonb (a lone UTF-16 surrogate escape is valid JSON to JavaScript, not to PostgreSQL):
// an index must never make an insert of what Kasir accepts fail. SQLite's json_extract takes every JSON
// text Kasir writes.
import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

/** The indexed expressions, per database, as SQL text over payment_sessions' columns. */
export const DASHBOARD_EXPRESSIONS = {
  sqlite: {
    customerEmail: `lower(json_extract(customer, '$.email'))`,
    methodChannel: `json_extract(method_options, '$.body.channel')`,
  },
  postgres: {
    customerEmail: `lower(kasir_json_text(customer, '{email}'))`,
    methodChannel: `kasir_json_text(method_options, '{body,channel}')`,
  },
} as const;

export const dashboardIndexes: Migration = {
  async up(db: Kysely<any>) {
    const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
    if (postgres) {
      await sql`
        create or replace function kasir_json_text(doc text, path text[]) returns text
        language plpgsql immutable parallel safe as $$
        begin
          return doc::jsonb #>> path;
        exception when invalid_text_representation or untranslatable_character then
          return null;
        end $$`.execute(db);
    }
    const expressions = DASHBOARD_EXPRESSIONS[postgres ? 'postgres' : 'sqlite'];
    await sql`create index payment_sessions_email_created on payment_sessions
      (merchant_id, (${sql.raw(expressions.customerEmail)}), created_at, id)`.execute(db);
    await sql`create index payment_sessions_channel_created on payment_sessions
      (merchant_id, (${sql.raw(expressions.methodChannel)}), created_at, id)`.execute(db);
    await db.schema
      .createIndex('payment_sessions_method_created')
      .on('payment_sessions')
      .columns(['merchant_id', 'method_type', 'created_at', 'id'])
      .execute();
  },
};
