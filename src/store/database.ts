// Opens the database named by the configuration and brings its schema up to date.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type MigrationProvider } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.ts';
import { migrations } from './migrations.ts';
import type { Database, DB } from './schema.ts';

// int8 columns hold epoch milliseconds and amounts, all well inside Number's safe range.
pg.types.setTypeParser(20, (value: string) => Number(value));

export interface OpenOptions {
  /** PostgreSQL only: run inside this schema (created if missing). Tests use one schema each. */
  schema?: string;
  poolSize?: number;
  /** Bring the schema up to date on open (default). Off only to stage an older database, as the upgrade test does. */
  migrate?: boolean;
}

export interface Store {
  db: Database;
  kind: 'sqlite' | 'postgres';
  close(): Promise<void>;
}

export async function openStore(database: Config['database'], options: OpenOptions = {}): Promise<Store> {
  const store =
    database.kind === 'sqlite'
      ? openSqlite(database.path)
      : await openPostgres(database.url, { ...options, schema: options.schema ?? database.schema });
  if (options.migrate !== false) await migrate(store.db, store.kind === 'postgres' ? await currentSchema(store.db) : undefined);
  return store;
}

function openSqlite(path: string): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, kind: 'sqlite', close: () => db.destroy() };
}

/**
 * Kysely's SQLite driver prepares every query afresh; preparing is a large share of a request's cost
 * (measured: ~15% of CPU in create), and the same few dozen statements repeat, so keep them.
 */
function withStatementCache(sqlite: BetterSqlite3.Database, limit = 512) {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare: (source: string) => {
      let statement = cache.get(source);
      if (!statement) {
        statement = sqlite.prepare(source);
        if (cache.size >= limit) cache.delete(cache.keys().next().value!);
        cache.set(source, statement);
      }
      return statement;
    },
  };
}

async function openPostgres(url: string, options: OpenOptions): Promise<Store> {
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`bad schema name ${schema}`);
  if (schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', close: () => db.destroy() };
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function currentSchema(db: Database): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const [row] = rows;
  if (!row) throw new Error('select current_schema() returned no row');
  return row.schema;
}

/**
 * Kysely's migrator looks for its bookkeeping tables in every schema unless told which one; on a
 * PostgreSQL shared by several schemas it must be pinned to ours, or it finds another's and skips.
 */
export async function migrate(db: Database, schema?: string, target?: string): Promise<void> {
  const migrator = new Migrator({ db, provider, ...(schema && { migrationTableSchema: schema }) });
  const { error } = target === undefined ? await migrator.migrateToLatest() : await migrator.migrateTo(target);
  if (error) throw error instanceof Error ? error : new Error(String(error));
}

/** Unique-key violations on either database: the store's way of saying "someone already holds this". */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string } | null;
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}
