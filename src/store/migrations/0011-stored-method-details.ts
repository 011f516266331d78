// Saved e-wallets (pivot-api §5.2 saveForFutureUse "CARD/EWALLET"): the saved method's JSON is no longer
// always a card's, so its column says what it holds. payment_method (CARD or EWALLET) tells the shapes apart.
import type { Kysely, Migration } from 'kysely';

export const storedMethodDetails: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('stored_payment_methods').renameColumn('card', 'details').execute();
  },
};
