// The session's wire object (Pivot's Payment Session Object, as GET answers it) kept beside its row, so a
// GET reads one column instead of rebuilding the object from the row and its charges. It is derived data:
// written with every insert and compare-and-set, null for rows written before this migration until their
// next change (readers rebuild those, as they did before).
import type { Kysely, Migration } from 'kysely';

export const sessionWire: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('payment_sessions').addColumn('wire', 'text').execute();
  },
};
