import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preparedQuery } from '../../src/store/prepared.ts';
import { DB_KINDS, openTestStore, type TestStore } from '../helpers/harness.ts';

const settingByKey = preparedQuery<{ key: string; prefix: string }, { key: string; value: string }>(['key', 'prefix'], (db, p) =>
  db.selectFrom('settings').select(['key', 'value']).where('key', '=', p.key).where('value', 'like', p.prefix),
);

describe.each(DB_KINDS)('prepared queries on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(kind);
    await store.db
      .insertInto('settings')
      .values([
        { key: 'p-one', value: 'alpha' },
        { key: 'p-two', value: 'beta' },
      ])
      .execute();
  });
  afterAll(async () => store.destroy());

  it('binds each call its own values, in the order the SQL needs them', async () => {
    expect(await settingByKey(store.db, { key: 'p-one', prefix: 'al%' })).toEqual([{ key: 'p-one', value: 'alpha' }]);
    expect(await settingByKey(store.db, { key: 'p-two', prefix: 'be%' })).toEqual([{ key: 'p-two', value: 'beta' }]);
    expect(await settingByKey(store.db, { key: 'p-two', prefix: 'al%' })).toEqual([]);
  });

  it('runs inside a transaction, on its connection', async () => {
    await store.db.transaction().execute(async (trx) => {
      await trx.updateTable('settings').set({ value: 'gamma' }).where('key', '=', 'p-two').execute();
      expect(await settingByKey(trx, { key: 'p-two', prefix: 'ga%' })).toEqual([{ key: 'p-two', value: 'gamma' }]);
    });
  });

  it('binds null, and an UPDATE … RETURNING says which rows it changed (a compare-and-set)', async () => {
    const setIfValue = preparedQuery<{ whereKey: string; whereValue: string; value: string | null }, { key: string }>(
      ['whereKey', 'whereValue', 'value'],
      (db, { whereKey, whereValue, value }) =>
        db
          .updateTable('merchants')
          .set({ callback_url: value })
          .where('id', '=', whereKey)
          .where('name', '=', whereValue)
          .returning('id as key'),
    );
    await store.db
      .insertInto('merchants')
      .values({
        id: 'p-m',
        name: 'P',
        secret_hash: 'x',
        callback_url: 'https://p.example',
        callback_api_key: 'k',
        webhook_secret: 'w',
        created_at: 0,
        credentials_version: 1,
      })
      .execute();
    expect(await setIfValue(store.db, { whereKey: 'p-m', whereValue: 'other', value: null })).toEqual([]);
    expect(await setIfValue(store.db, { whereKey: 'p-m', whereValue: 'P', value: null })).toEqual([{ key: 'p-m' }]);
    const row = await store.db.selectFrom('merchants').select('callback_url').where('id', '=', 'p-m').executeTakeFirstOrThrow();
    expect(row.callback_url).toBeNull();
  });

  it('refuses a parameter the query never binds, rather than silently ignoring it', async () => {
    const careless = preparedQuery<{ key: string; unused: string }, { key: string }>(['key', 'unused'], (db, p) =>
      db.selectFrom('settings').select('key').where('key', '=', p.key),
    );
    await expect(careless(store.db, { key: 'p-one', unused: 'x' })).rejects.toThrow(/never binds unused/);
  });

  it('never shows a read the rows of a transaction another request has open and not yet committed', async () => {
    let reachedCommit: () => void = () => {};
    const atCommit = new Promise<void>((resolve) => (reachedCommit = resolve));
    let letCommit: () => void = () => {};
    const mayCommit = new Promise<void>((resolve) => (letCommit = resolve));
    const writing = store.db.transaction().execute(async (trx) => {
      await trx.insertInto('settings').values({ key: 'p-uncommitted', value: 'delta' }).execute();
      reachedCommit();
      await mayCommit;
    });
    await atCommit;
    // On SQLite both share the one connection: the read must wait for the commit, not run inside it.
    const reading = settingByKey(store.db, { key: 'p-uncommitted', prefix: '%' });
    const seenBeforeCommit = await Promise.race([reading, new Promise((resolve) => setImmediate(() => resolve('waiting')))]);
    expect(seenBeforeCommit === 'waiting' || (Array.isArray(seenBeforeCommit) && seenBeforeCommit.length === 0)).toBe(true);
    letCommit();
    await writing;
    expect(await settingByKey(store.db, { key: 'p-uncommitted', prefix: '%' })).toEqual([
      { key: 'p-uncommitted', value: 'delta' },
    ]);
  });
});
