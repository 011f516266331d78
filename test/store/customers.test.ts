// Saved payment methods (src/store/customers.ts): what savePaymentMethod writes reads back the same, and a
// details column not in the shape it writes is refused naming the row, not handed on as a card or a wallet.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { savePaymentMethod, storedMethodsOf, type StoredPaymentMethod } from '../../src/store/customers.ts';
import { makeHarness, type Harness } from '../helpers/harness.ts';

describe('saved payment methods read back', () => {
  let h: Harness;
  const createdAt = new Date('2026-11-27T10:00:00.000Z');
  const card: StoredPaymentMethod = {
    token: 'tok-card-1',
    customerId: 'cus-1',
    createdAt,
    kind: 'CARD',
    card: {
      first6: '411111',
      first8: '41111111',
      last4: '1111',
      brand: 'VISA',
      expMonth: '12',
      expYear: '2030',
      fingerprint: 'fp-card',
      sandboxIssuer: true,
    },
  };
  const wallet: StoredPaymentMethod = {
    token: 'tok-wallet-1',
    customerId: 'cus-1',
    createdAt: new Date(createdAt.getTime() + 1000),
    kind: 'EWALLET',
    ewallet: { channel: 'OVO', mobileNumber: '+628111111003', accountName: null, fingerprint: 'fp-wallet' },
  };
  beforeAll(async () => {
    h = await makeHarness('sqlite');
    await savePaymentMethod(h.store.db, h.merchant.id, card);
    await savePaymentMethod(h.store.db, h.merchant.id, wallet);
  });
  afterAll(async () => h?.close());

  const damage = (token: string, details: unknown) =>
    h.store.db
      .updateTable('stored_payment_methods')
      .set({ details: JSON.stringify(details) })
      .where('token', '=', token)
      .execute();

  it('as saved', async () => {
    expect(await storedMethodsOf(h.store.db, h.merchant.id, 'cus-1')).toEqual([card, wallet]);
  });

  it('refuses a card or a wallet whose details are not in the shape Kasir writes', async () => {
    const readBack = () => storedMethodsOf(h.store.db, h.merchant.id, 'cus-1');
    if (card.kind !== 'CARD' || wallet.kind !== 'EWALLET') throw new Error('fixtures');
    await damage(card.token, { ...card.card, brand: 'DINERS' });
    await expect(readBack()).rejects.toThrow(/stored_payment_methods\.details of tok-card-1 is not in the shape/);
    await damage(card.token, { ...card.card, fingerprint: undefined });
    await expect(readBack()).rejects.toThrow(/tok-card-1/);
    await damage(card.token, card.card);
    await damage(wallet.token, { ...wallet.ewallet, channel: 'GOPAY' });
    await expect(readBack()).rejects.toThrow(/stored_payment_methods\.details of tok-wallet-1/);
    await damage(wallet.token, wallet.ewallet);
    expect(await readBack()).toEqual([card, wallet]);
  });
});
