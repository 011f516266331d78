// Merchant settings that travel on every callback are checked when they are set, not found out at delivery.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallbackApiKeyError, createMerchant, seedMerchant, setCallbackApiKey } from '../../src/usecases/merchants.ts';
import { findMerchant } from '../../src/store/merchants.ts';
import { openTestStore, type TestStore } from '../helpers/harness.ts';

describe('callback API keys', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore('sqlite');
  });
  afterAll(() => store.destroy());

  it.each(['key\r\nX-Injected: 1', 'key\n', 'k\u0000ey', 'k\u007fey', '', 'x'.repeat(256)])(
    'refuses %j wherever it is set',
    async (bad) => {
      await expect(createMerchant(store.db, { name: 'A', callbackApiKey: bad })).rejects.toThrow(CallbackApiKeyError);
      // KASIR_CALLBACK_API_KEY: the process does not start (compose turns this into a one-line start-up error).
      await expect(seedMerchant(store.db, { id: 'seeded', secret: 'seed-secret-123456', callbackApiKey: bad })).rejects.toThrow(
        /KASIR_CALLBACK_API_KEY must/,
      );
      expect(await findMerchant(store.db, 'seeded')).toBeUndefined();
      const { merchant } = await createMerchant(store.db, { name: 'B' });
      await expect(setCallbackApiKey(store.db, merchant.id, bad)).rejects.toThrow(CallbackApiKeyError);
      expect((await findMerchant(store.db, merchant.id))!.callbackApiKey).toBe(merchant.callbackApiKey);
    },
  );

  it('accepts printable keys, spaces inside included', async () => {
    const { merchant } = await createMerchant(store.db, { name: 'C', callbackApiKey: 'Bearer abc.DEF-123_~!' });
    expect(merchant.callbackApiKey).toBe('Bearer abc.DEF-123_~!');
    const seeded = await seedMerchant(store.db, { id: 'seeded-ok', secret: 'seed-secret-123456', callbackApiKey: 'k-1' });
    expect(seeded.kind === 'seeded' && seeded.merchant.callbackApiKey).toBe('k-1');
  });
});
