// Every list filter gets an index that holds the filter's columns followed by the list's order
// (newest first), so a page is read straight off the index and a count touches only the index. Before,
// a filter matched a merchant-wide index and SQLite's planner (which has no statistics unless someone
// runs ANALYZE) walked every one of the merchant's rows in date order to find a page: 76–100 ms at
// 100,000 sessions. An index that only extends an older one replaces it.
import type { Kysely, Migration } from 'kysely';

const INDEXES: Array<{ table: string; name: string; columns: string[]; replaces?: string }> = [
  {
    table: 'payment_sessions',
    name: 'payment_sessions_reference_created',
    columns: ['merchant_id', 'client_reference_id', 'created_at', 'id'],
    replaces: 'payment_sessions_reference',
  },
  // expiry_at last: "open and not past its expiry" is decided inside the index, counts never read a row.
  {
    table: 'payment_sessions',
    name: 'payment_sessions_status_created',
    columns: ['merchant_id', 'status', 'created_at', 'id', 'expiry_at'],
  },
  {
    table: 'charges',
    name: 'charges_merchant_created_seq',
    columns: ['merchant_id', 'created_at', 'seq', 'id'],
    replaces: 'charges_merchant_created',
  },
  {
    table: 'charges',
    name: 'charges_reference_created',
    columns: ['merchant_id', 'client_reference_id', 'created_at', 'seq', 'id'],
    replaces: 'charges_reference',
  },
  {
    table: 'callbacks',
    name: 'callbacks_merchant_created',
    columns: ['merchant_id', 'created_at', 'id'],
    replaces: 'callbacks_merchant',
  },
  {
    table: 'callbacks',
    name: 'callbacks_resource_created',
    columns: ['merchant_id', 'resource_type', 'resource_id', 'created_at', 'id'],
    replaces: 'callbacks_resource',
  },
  { table: 'callbacks', name: 'callbacks_event_created', columns: ['merchant_id', 'event', 'created_at', 'id'] },
  { table: 'callbacks', name: 'callbacks_status_created', columns: ['merchant_id', 'status', 'created_at', 'id'] },
];

export const listIndexes: Migration = {
  async up(db: Kysely<any>) {
    for (const index of INDEXES) {
      await db.schema.createIndex(index.name).on(index.table).columns(index.columns).execute();
      if (index.replaces) await db.schema.dropIndex(index.replaces).execute();
    }
  },
};
