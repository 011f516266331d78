// The dispatcher asks two things of the outbox on every round: which merchants have callbacks due, and a
// merchant's oldest due ones. Under (status, next_attempt_at) both walked every due row — with a backlog
// (a burst of payments, an endpoint down for an hour) every round read the whole backlog to take eight
// rows of it. Under (status, merchant_id, next_attempt_at) the first is a seek per merchant and the
// second reads only the rows it takes (store/callbacks.ts).
import type { Kysely, Migration } from 'kysely';

export const callbackClaims: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex('callbacks_due_by_merchant')
      .on('callbacks')
      .columns(['status', 'merchant_id', 'next_attempt_at'])
      .execute();
    await db.schema.dropIndex('callbacks_due').execute();
  },
};
