// Group commit on SQLite (src/store/sqlite-driver.ts): transactions that run close together share one
// COMMIT, yet none is reported committed before that COMMIT has returned, a rolled-back one leaves the
// others intact, and nothing outside a transaction sees a group's rows before they are committed.
import BetterSqlite3 from 'better-sqlite3';
import { readdirSync, readlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preparedQuery } from '../../src/store/prepared.ts';
import { openTestStore, type TestStore } from '../helpers/harness.ts';

const settingByKey = preparedQuery<{ key: string }, { value: string }>(['key'], (db, p) =>
  db.selectFrom('settings').select('value').where('key', '=', p.key),
);

describe('SQLite group commit', () => {
  let store: TestStore;
  /** Another process's view of the file: it sees committed rows only. */
  let outsider: BetterSqlite3.Database;
  beforeAll(async () => {
    store = await openTestStore('sqlite');
    outsider = new BetterSqlite3(fileURLToPath(new URL(store.databaseUrl.replace(/^file:/, 'file://'))), { readonly: true });
  });
  afterAll(async () => {
    outsider.close();
    await store.destroy();
  });

  const committedValue = (key: string) =>
    outsider.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key) as string | undefined;

  it('reports each of many concurrent transactions committed only once another connection sees it', async () => {
    const keys = Array.from({ length: 40 }, (_, i) => `gc-durable-${i}`);
    const seenWhenReported = await Promise.all(
      keys.map(async (key) => {
        await store.db.transaction().execute((trx) => trx.insertInto('settings').values({ key, value: 'v' }).execute());
        return committedValue(key);
      }),
    );
    expect(seenWhenReported).toEqual(keys.map(() => 'v'));
  });

  it('keeps the other transactions of a group when one of them rolls back', async () => {
    const outcomes = await Promise.allSettled(
      ['gc-a', 'gc-b', 'gc-c'].map((key) =>
        store.db.transaction().execute(async (trx) => {
          await trx.insertInto('settings').values({ key, value: 'kept' }).execute();
          if (key === 'gc-b') throw new Error('changed its mind');
        }),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect([committedValue('gc-a'), committedValue('gc-b'), committedValue('gc-c')]).toEqual(['kept', undefined, 'kept']);
  });

  it('never shows a read outside a transaction the rows of a group not yet committed', async () => {
    let reported = false;
    const writing = store.db
      .transaction()
      .execute((trx) => trx.insertInto('settings').values({ key: 'gc-early', value: 'v' }).execute())
      .then(() => (reported = true));
    /** A read that returned the row while another connection could not see it yet. */
    const sawUncommitted: string[] = [];
    // Microtask turns only: the transaction runs and lets go of the connection, and its group's COMMIT
    // waits for the end of the event loop's turn, so these reads fall in that window.
    for (let turn = 0; turn < 200 && !reported; turn++) {
      const prepared = await settingByKey(store.db, { key: 'gc-early' });
      if (prepared.length > 0 && committedValue('gc-early') === undefined) sawUncommitted.push('prepared read');
      const built = await store.db.selectFrom('settings').select('value').where('key', '=', 'gc-early').execute();
      if (built.length > 0 && committedValue('gc-early') === undefined) sawUncommitted.push('query builder read');
    }
    await writing;
    expect(sawUncommitted).toEqual([]);
    expect(await settingByKey(store.db, { key: 'gc-early' })).toEqual([{ value: 'v' }]);
  });

  it('commits the group before a write made outside any transaction', async () => {
    const inGroup = store.db
      .transaction()
      .execute((trx) => trx.insertInto('settings').values({ key: 'gc-first', value: 'v' }).execute());
    await Promise.resolve();
    await store.db.insertInto('settings').values({ key: 'gc-second', value: 'v' }).execute();
    expect(committedValue('gc-second')).toBe('v');
    await inGroup;
    expect(committedValue('gc-first')).toBe('v');
  });

  // SQLite keeps the pages a savepoint changes in a journal of its own, and writes it to a temporary file
  // once it passes 64 KiB, which a create's index pages did: a new file every dozen creates, and 60% of the
  // writes of a burst of them. It is only ever read to roll a savepoint back, never after a crash.
  it("keeps a transaction's savepoint journal in memory: changing many pages opens no temporary file", async () => {
    const keys = Array.from({ length: 120 }, (_, i) => `gc-spill-${i}`);
    await store.db.transaction().execute((trx) =>
      trx
        .insertInto('settings')
        .values(keys.map((key) => ({ key, value: 'a'.repeat(1000) })))
        .execute(),
    );
    const temporaryFiles = () =>
      readdirSync('/proc/self/fd')
        .map((fd) => {
          try {
            return readlinkSync(`/proc/self/fd/${fd}`);
          } catch {
            return '';
          }
        })
        .filter((target) => target.includes('etilqs_'));
    const opened = await store.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('settings')
        .set({ value: 'b'.repeat(1000) })
        .where('key', 'like', 'gc-spill-%')
        .execute();
      return temporaryFiles();
    });
    expect(opened).toEqual([]);
    expect(committedValue('gc-spill-7')).toBe('b'.repeat(1000));
  });
});
