// Repeated small reads on SQLite's read-only connection (src/store/sqlite-read-cache.ts): answered again
// without asking SQLite while nothing was committed, and never stale once something was, whichever
// connection committed it (this process's writer, or another process on the same file).
import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachingReads, type ReadCacheLimits } from '../../src/store/sqlite-read-cache.ts';
import { findMerchant } from '../../src/store/merchants.ts';
import { findSessionById } from '../../src/store/sessions.ts';
import { seedAutoConfirmBody } from '../helpers/bodies.ts';
import { makeHarness, openTestStore, requestId } from '../helpers/harness.ts';

describe('cached reads on the read-only connection', () => {
  let dir: string;
  let writer: BetterSqlite3.Database;
  let reader: BetterSqlite3.Database;
  /** Another process's connection to the same file. */
  let other: BetterSqlite3.Database;
  let asked: string[];
  let read: ReturnType<typeof cachingReads>;
  /** Cached reads on `reader` that note in `asked` the first parameter of every read SQLite answers. */
  const countingReads = (limits?: ReadCacheLimits) =>
    cachingReads(
      reader,
      (source, parameters) => {
        asked.push(String(parameters[0]));
        return reader.prepare(source).all(parameters);
      },
      limits,
    );

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kasir-read-cache-'));
    const path = join(dir, 'kasir.db');
    writer = new BetterSqlite3(path);
    writer.pragma('journal_mode = WAL');
    writer.exec("create table t (id text primary key, value text); insert into t values ('a', 'one'), ('b', 'two')");
    reader = new BetterSqlite3(path, { readonly: true });
    other = new BetterSqlite3(path);
    asked = [];
    read = countingReads();
  });
  afterEach(() => {
    for (const connection of [writer, reader, other]) connection.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const byId = (id: unknown) => read('select value from t where id = ?', [id]);

  it('answers a repeated read without asking SQLite while nothing is committed', () => {
    expect(byId('a')).toEqual([{ value: 'one' }]);
    expect(byId('a')).toEqual([{ value: 'one' }]);
    expect(byId('b')).toEqual([{ value: 'two' }]);
    expect(byId('a')).toEqual([{ value: 'one' }]);
    expect(asked).toEqual(['a', 'b']);
  });

  it("sees this process's writer's commit on the very next read", () => {
    expect(byId('a')).toEqual([{ value: 'one' }]);
    writer.prepare("update t set value = 'changed' where id = 'a'").run();
    expect(byId('a')).toEqual([{ value: 'changed' }]);
  });

  it("sees another process's commit on the very next read, and a row it deleted is gone", () => {
    expect(byId('a')).toEqual([{ value: 'one' }]);
    expect(byId('b')).toEqual([{ value: 'two' }]);
    other.prepare("update t set value = 'elsewhere' where id = 'a'").run();
    expect(byId('a')).toEqual([{ value: 'elsewhere' }]);
    other.prepare("delete from t where id = 'b'").run();
    expect(byId('b')).toEqual([]);
  });

  it('keeps a transaction that is still open out of view, and shows it once committed', () => {
    expect(byId('a')).toEqual([{ value: 'one' }]);
    writer.exec("begin; update t set value = 'pending' where id = 'a'");
    expect(byId('a')).toEqual([{ value: 'one' }]);
    writer.exec('commit');
    expect(byId('a')).toEqual([{ value: 'pending' }]);
  });

  it('tells 1 from "1" and hands out frozen rows, so no caller can change another\'s answer', () => {
    writer.exec("insert into t values ('1', 'text one')");
    expect(byId('1')).toEqual([{ value: 'text one' }]);
    expect(read('select value from t where rowid = ?', [1])).toEqual([{ value: 'one' }]);
    const [row] = byId('1') as Array<{ value: string }>;
    expect(() => {
      row!.value = 'mutated';
    }).toThrow(TypeError);
    expect(byId('1')).toEqual([{ value: 'text one' }]);
    // The array is the caller's own to reorder (Kysely's migrator sorts the rows it reads).
    writer.exec("insert into t values ('c', 'three')");
    const ordered = () => read('select id from t where id in (?, ?) order by id', ['a', 'c']);
    expect(ordered().reverse()).toEqual([{ id: 'c' }, { id: 'a' }]);
    expect(ordered()).toEqual([{ id: 'a' }, { id: 'c' }]);
  });

  it("keeps answers apart by statement: the same parameters to another query get that query's answer", () => {
    expect(byId('a')).toEqual([{ value: 'one' }]);
    expect(read('select id from t where value = ?', ['a'])).toEqual([]);
    expect(read('select upper(value) as value from t where id = ?', ['a'])).toEqual([{ value: 'ONE' }]);
    expect(byId('a')).toEqual([{ value: 'one' }]);
    expect(asked).toEqual(['a', 'a', 'a']);
  });

  it('keeps at most its limit of answers, whatever statements they came from', () => {
    const limited = countingReads({ entries: 3, rows: 8 });
    const ids = ['a', 'b', 'c'];
    for (const id of ids) limited('select value from t where id = ?', [id]);
    limited('select id from t where id = ?', ['a']);
    expect(asked).toEqual(['a', 'b', 'c', 'a']);
    // The fourth answer found three kept and dropped them all first.
    limited('select value from t where id = ?', ['a']);
    limited('select id from t where id = ?', ['a']);
    expect(asked).toEqual(['a', 'b', 'c', 'a', 'a']);
  });

  it('reads lists and unkeyable parameters afresh every time', () => {
    writer.exec(
      "with recursive n(i) as (select 1 union all select i + 1 from n where i < 20) insert into t select 'row' || i, 'x' from n",
    );
    const all = () => read('select id from t where value = ?', ['x']);
    expect(all()).toHaveLength(20);
    expect(all()).toHaveLength(20);
    expect(asked).toEqual(['x', 'x']);
    read('select value from t where id = ?', [Buffer.from('a')]);
    read('select value from t where id = ?', [Buffer.from('a')]);
    expect(asked).toHaveLength(4);
  });
});

describe('the SQLite store', () => {
  it('revokes at once: a merchant changed by another process reads back changed', async () => {
    const store = await openTestStore('sqlite');
    try {
      await store.db
        .insertInto('merchants')
        .values({
          id: 'm-cache',
          name: 'Cached',
          secret_hash: 'x',
          callback_url: null,
          callback_api_key: 'k',
          webhook_secret: 'w',
          previous_webhook_secret: null,
          previous_webhook_secret_until: null,
          created_at: 0,
          credentials_version: 1,
        })
        .execute();
      expect((await findMerchant(store.db, 'm-cache'))?.credentialsVersion).toBe(1);
      const path = store.databaseUrl.replace(/^file:/, '');
      const other = new BetterSqlite3(path);
      other.prepare("update merchants set credentials_version = 2 where id = 'm-cache'").run();
      other.close();
      expect((await findMerchant(store.db, 'm-cache'))?.credentialsVersion).toBe(2);
    } finally {
      await store.destroy();
    }
  });

  it('decodes a session once while nothing changes, and reads it afresh once another process changed its charge', async () => {
    const h = await makeHarness('sqlite');
    try {
      const created = await h.api('POST', '/v2/payments', seedAutoConfirmBody(), { 'x-request-id': requestId() });
      const id: string = created.body.data.id;
      const first = await findSessionById(h.store.db, id);
      // The page reads its session on every load: the same value comes back, and nobody can change it.
      expect(await findSessionById(h.store.db, id)).toBe(first);
      expect(Object.isFrozen(first) && Object.isFrozen(first?.charges[0])).toBe(true);
      expect(() => {
        (first!.charges as Array<unknown>).pop();
      }).toThrow(TypeError);

      const other = new BetterSqlite3(h.store.databaseUrl.replace(/^file:/, ''));
      other.prepare("update charges set failure_message = 'changed elsewhere' where session_id = ?").run(id);
      other.close();
      const after = await findSessionById(h.store.db, id);
      expect(after).not.toBe(first);
      expect(after?.charges[0]?.failureMessage).toBe('changed elsewhere');
      expect(first?.charges[0]?.failureMessage).toBeUndefined();
    } finally {
      await h.close();
    }
  });
});
