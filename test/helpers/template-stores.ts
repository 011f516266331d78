// Global setup: migrate one SQLite file and one PostgreSQL schema per run, so a test store starts as a copy
// of them instead of running every migration again. Running the migrations cost about 0.2 s per SQLite
// store and 0.5 s per PostgreSQL schema, paid by every harness; a copy costs a few milliseconds (SQLite:
// the file) or one round trip (PostgreSQL: pg_dump's text of the template schema, run under a new name).
// The migrations themselves are still tested: the template is built by them, test/store/migrations/ and
// test/store/upgrade.test.ts migrate their own databases, and `runMigrations` opts a store out of the copy.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { openStore } from '../../src/store/database.ts';

const PG_URL = process.env.KASIR_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Where openTestStore finds the templates (the workers inherit the environment of the run). */
export const SQLITE_TEMPLATE_ENV = 'KASIR_TEST_SQLITE_TEMPLATE';
export const PG_TEMPLATE_ENV = 'KASIR_TEST_PG_TEMPLATE';
/** The template schema's name inside the dump, replaced by each store's own schema name. */
export const PG_TEMPLATE_SCHEMA_ENV = 'KASIR_TEST_PG_TEMPLATE_SCHEMA';

export default async function setup(): Promise<(() => void) | undefined> {
  // Several projects share one run (and one process env): the first setup builds the templates.
  if (process.env[SQLITE_TEMPLATE_ENV]) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'kasir-template-'));

  const sqlitePath = join(dir, 'template.db');
  const sqlite = await openStore({ kind: 'sqlite', path: sqlitePath });
  await sqlite.close();
  // Everything into the main file, so that copying the file alone copies the database.
  const file = new BetterSqlite3(sqlitePath);
  file.pragma('wal_checkpoint(TRUNCATE)');
  file.close();
  process.env[SQLITE_TEMPLATE_ENV] = sqlitePath;

  const pgTemplate = await postgresTemplate(dir);
  if (pgTemplate) {
    process.env[PG_TEMPLATE_ENV] = pgTemplate.dumpPath;
    process.env[PG_TEMPLATE_SCHEMA_ENV] = pgTemplate.schema;
  }
  return () => rmSync(dir, { recursive: true, force: true });
}

/**
 * The migrated schema as SQL (pg_dump: tables, indexes, constraints and the rows migrations insert, the
 * migrator's bookkeeping included). Without PostgreSQL or pg_dump every store migrates itself, as before.
 */
async function postgresTemplate(dir: string): Promise<{ dumpPath: string; schema: string } | undefined> {
  // Named with the run's prefix (test/helpers/pg-schemas.ts), so the run's clean-up drops it too.
  const schema = `${process.env.KASIR_TEST_SCHEMA_PREFIX ?? 'kasir_t_'}template`;
  try {
    const store = await openStore({ kind: 'postgres', url: PG_URL }, { schema, poolSize: 1 });
    await store.close();
    const dump = execFileSync('pg_dump', ['--dbname', PG_URL, '--schema', schema, '--inserts', '--no-owner', '--no-privileges'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // psql meta-commands (\restrict, since PostgreSQL 15.14) are not SQL.
    const sqlText = dump
      .split('\n')
      .filter((line) => !line.startsWith('\\'))
      .join('\n');
    const dumpPath = join(dir, 'template.sql');
    writeFileSync(dumpPath, sqlText);
    return { dumpPath, schema };
  } catch {
    // PostgreSQL absent (off CI) or no pg_dump: openTestStore migrates each schema itself.
    return undefined;
  } finally {
    await dropQuietly(schema);
  }
}

async function dropQuietly(schema: string): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } catch {
    // Nothing to drop.
  } finally {
    await admin.end().catch(() => {});
  }
}
