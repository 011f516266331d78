// Migration 0011 on a database from before it (migrated to 0009, a card saved in the old `card` column):
// the saved card is still the customer's, with the same token and digits, and still pays by token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { currentSchema, migrate } from '../../../src/store/database.ts';
import { storedCardByToken, storedMethodsOf } from '../../../src/store/customers.ts';
import { DB_KINDS, openTestStore, type TestStore } from '../../helpers/harness.ts';

const CARD = {
  first6: '444000',
  first8: '44400001',
  last4: '0001',
  brand: 'VISA',
  expMonth: '12',
  expYear: '2030',
  fingerprint: 'f'.repeat(32),
  // Saved cards have carried it since they were first kept (0007), so a card saved before 0011 has it too.
  sandboxIssuer: false,
};

describe.each(DB_KINDS)('migration 0011 (saved methods keep their details) on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(kind, { migrate: false });
    const schema = kind === 'postgres' ? await currentSchema(store.db) : undefined;
    await migrate(store.db, schema, '0009_dashboard');
    await sql`INSERT INTO stored_payment_methods (token, merchant_id, customer_id, payment_method, fingerprint, card, created_at)
      VALUES ('pm_saved_before_0011', 'm-1', 'c-1', 'CARD', ${CARD.fingerprint}, ${JSON.stringify(CARD)}, ${Date.UTC(2026, 0, 1)})`.execute(
      store.db,
    );
    await migrate(store.db, schema);
  });
  afterAll(async () => store?.close());

  it('the card saved before reads back the same, by customer and by token', async () => {
    const expected = {
      kind: 'CARD',
      token: 'pm_saved_before_0011',
      customerId: 'c-1',
      createdAt: new Date(Date.UTC(2026, 0, 1)),
      card: CARD,
    };
    expect(await storedMethodsOf(store.db, 'm-1', 'c-1')).toEqual([expected]);
    expect(await storedCardByToken(store.db, 'm-1', 'pm_saved_before_0011')).toEqual(expected);
  });
});
