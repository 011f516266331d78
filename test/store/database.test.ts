// How Kasir opens PostgreSQL: its sessions carry a name an operator can find in pg_stat_activity (and
// pg_terminate_backend), the configured time bounds are the server's own settings for them, and migrations
// are not held to those bounds. Migrations look only at Kasir's own schema.
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DATABASE_TIMEOUTS } from '../../src/config-database.ts';
import { APPLICATION_NAME } from '../../src/store/database.ts';
import { DB_KINDS, PG_URL, openTestStore, type TestStore } from '../helpers/harness.ts';

describe.runIf(DB_KINDS.includes('postgres'))("Kasir's PostgreSQL sessions", () => {
  let defaults: TestStore;
  let tuned: TestStore;
  beforeAll(async () => {
    defaults = await openTestStore('postgres');
    tuned = await openTestStore('postgres', {
      timeouts: { connectMs: 5_000, statementMs: 1500, queryMs: 2500, idleInTransactionMs: 4000 },
    });
  });
  afterAll(async () => {
    await defaults?.destroy();
    await tuned?.destroy();
  });

  const settings = async (store: TestStore) =>
    (
      await sql<{ name: string; timeout: string; idle: string }>`
        SELECT current_setting('application_name') AS name,
               current_setting('statement_timeout') AS timeout,
               current_setting('idle_in_transaction_session_timeout') AS idle`.execute(store.db)
    ).rows[0];

  it('are named kasir and bounded by the defaults', async () => {
    expect(APPLICATION_NAME).toBe('kasir');
    expect(await settings(defaults)).toEqual({
      name: 'kasir',
      timeout: `${DEFAULT_DATABASE_TIMEOUTS.statementMs / 1000}s`,
      idle: `${DEFAULT_DATABASE_TIMEOUTS.idleInTransactionMs / 1000}s`,
    });
  });

  it('take the configured bounds, and a statement past the timeout is cancelled by the server', async () => {
    expect(await settings(tuned)).toEqual({ name: 'kasir', timeout: '1500ms', idle: '4s' });
    const backend = async () => (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(tuned.db)).rows[0]!.pid;
    const before = await backend();
    await expect(sql`SELECT pg_sleep(2)`.execute(tuned.db)).rejects.toMatchObject({ code: '57014' });
    // The server cancelled the statement, not the session: the same connection serves the next query.
    expect(await backend()).toBe(before);
  });

  it("look at their own schema only: another schema's tables, and that schema vanishing, do not reach the migrator", async () => {
    const other = `kasir_other_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA ${other}`);
      await admin.query(`CREATE TABLE ${other}.kysely_migration (name varchar(255) PRIMARY KEY)`);
      const tables = await defaults.db.introspection.getTables({ withInternalKyselyTables: true });
      const schemas = new Set(tables.map((t) => t.schema));
      const own = (await sql<{ name: string }>`SELECT current_schema() AS name`.execute(defaults.db)).rows[0]!.name;
      expect([...schemas]).toEqual([own]);
      expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['payment_sessions', 'kysely_migration']));
      // Schemas dropped while stores open and migrate: each open still finds its own bookkeeping.
      const churn = (async () => {
        for (let i = 0; i < 20; i++) {
          await admin.query(`CREATE SCHEMA ${other}_${i}; CREATE TABLE ${other}_${i}.t (id int)`);
          await admin.query(`DROP SCHEMA ${other}_${i} CASCADE`);
        }
      })();
      // runMigrations: these opens run the migrator, not a copy of the run's template.
      const migrating = () => openTestStore('postgres', { runMigrations: true });
      const opened = await Promise.all([migrating(), migrating(), migrating()]);
      await churn;
      await Promise.all(opened.map((store) => store.destroy()));
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS ${other} CASCADE`);
      await admin.end();
    }
  });

  it("migrate without the request bounds: an instance waits for another one's migration lock", async () => {
    // Kysely's PostgreSQL migration lock; another instance migrating holds it.
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query('SELECT pg_advisory_lock(3853314791062309107)');
    let opened: TestStore | undefined;
    try {
      const opening = openTestStore('postgres', {
        runMigrations: true,
        // Connecting is not what waits on the lock: a 300 ms connect bound failed the store's first query
        // (before any migration) on a saturated 2-core machine, so only the bounds a wait could hit are short.
        timeouts: { connectMs: 5_000, statementMs: 200, queryMs: 300, idleInTransactionMs: 300 },
      }).then((store) => (opened = store));
      // Held well past every bound on a statement, a query and an idle transaction of the store being opened.
      await sleep(800);
      expect(opened).toBeUndefined();
      await admin.query('SELECT pg_advisory_unlock(3853314791062309107)');
      await opening;
      expect((await sql<{ one: number }>`SELECT 1 AS one`.execute(opened!.db)).rows).toEqual([{ one: 1 }]);
    } finally {
      await admin.end();
      await opened?.destroy();
    }
  });
});
