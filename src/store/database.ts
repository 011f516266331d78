// Opens the database named by the configuration and brings its schema up to date.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  Kysely,
  Migrator,
  PostgresAdapter,
  PostgresDialect,
  SqliteDialect,
  sql,
  type DatabaseIntrospector,
  type DatabaseMetadata,
  type SchemaMetadata,
  type TableMetadata,
  type Migration,
  type MigrationProvider,
  type PostgresCursor,
  type PostgresPool,
  type PostgresPoolClient,
  type PostgresQueryResult,
} from 'kysely';
import pg from 'pg';
import { DEFAULT_DATABASE_TIMEOUTS, type DatabaseLocation, type DatabaseTimeouts } from '../config-database.ts';
import { isDatabaseUnavailable } from './faults.ts';
import { migrations } from './migrations.ts';
import { readSynchronously, type SynchronousSqlite } from './prepared.ts';
import { GroupCommitSqliteDriver } from './sqlite-driver.ts';
import { cachingReads } from './sqlite-read-cache.ts';
import type { Database, DB } from './schema.ts';
import { memberOf } from '../domain/json.ts';

// int8 columns hold epoch milliseconds and amounts, all well inside Number's safe range.
pg.types.setTypeParser(20, (value: string) => Number(value));

export interface OpenOptions {
  /** PostgreSQL only: run inside this schema (created if missing). Tests use one schema each. */
  schema?: string;
  poolSize?: number;
  /** Bring the schema up to date on open (default). Off only to stage an older database, as the upgrade test does. */
  migrate?: boolean;
  /** PostgreSQL only; DEFAULT_DATABASE_TIMEOUTS unless given. */
  timeouts?: DatabaseTimeouts;
  /** PostgreSQL only: an idle pooled connection was lost (the pool opens a new one when next needed). */
  onConnectionLost?: (error: Error) => void;
}

/** How Kasir's sessions show in pg_stat_activity, unless DATABASE_URL sets application_name itself. */
export const APPLICATION_NAME = 'kasir';

/** A PostgreSQL pool's connections right now, as pg counts them (no query). */
export interface PoolUse {
  max: number;
  open: number;
  idle: number;
  /** Queries waiting for a connection. */
  waiting: number;
}

export interface Store {
  db: Database;
  kind: 'sqlite' | 'postgres';
  /** PostgreSQL only. SQLite has one writing connection, no pool (store/sqlite-driver.ts), and one for reads. */
  poolUse?: () => PoolUse;
  close(): Promise<void>;
}

export async function openStore(database: DatabaseLocation, options: OpenOptions = {}): Promise<Store> {
  if (database.kind === 'postgres') return openPostgres(database.url, { ...options, schema: options.schema ?? database.schema });
  const store = openSqlite(database.path);
  if (options.migrate !== false) await migrate(store.db);
  await keepSavepointJournalsInMemory(store.db);
  return store;
}

/**
 * Each grouped transaction runs in a savepoint (store/sqlite-driver.ts), whose journal of changed pages
 * SQLite writes to a temporary file once it passes 64 KiB; a create's index pages got there, and 500 creates
 * opened about 40 such files and made 60% of their writes in them (CPU per create 1,560–1,635 → 1,330–1,365
 * µs, bench/cpu-per-request.ts). Kept in memory instead (temp_store MEMORY) once the migrations have run: a
 * migration may rewrite a whole table in one transaction, which that journal would then hold in memory, while
 * the service's own transactions each change a bounded number of rows. That journal only rolls a savepoint
 * back inside a live transaction; crash recovery reads the WAL alone, so durability is the same.
 */
async function keepSavepointJournalsInMemory(db: Database): Promise<void> {
  await sql`pragma temp_store = memory`.execute(db);
}

/**
 * How every SQLite connection is opened (the create floor in bench/ opens its file with the same list); the
 * writing connection also keeps its savepoint journals in memory once migrated (keepSavepointJournalsInMemory).
 * WAL with synchronous NORMAL: a commit is durable against a crash of the process, and against power loss
 * once the WAL is synced at checkpoint. The checkpoint runs every 10,000 pages (40 MB of WAL) instead of
 * SQLite's 1,000: a sweeper batch writes a few thousand pages, so at 1,000 every batch paid a checkpoint
 * and two fsyncs, and a page changed by several commits is copied into the database once per checkpoint.
 */
export const SQLITE_PRAGMAS = [
  'journal_mode = WAL',
  'synchronous = NORMAL',
  'wal_autocheckpoint = 10000',
  'busy_timeout = 5000',
  'foreign_keys = ON',
] as const;

function openSqlite(path: string): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  for (const pragma of SQLITE_PRAGMAS) sqlite.pragma(pragma);
  const statements = withStatementCache(sqlite);
  // A second, read-only connection answers reads made outside a transaction: in WAL mode it sees exactly
  // what is committed, never the writer's open group (store/sqlite-driver.ts), and never waits for it.
  // An in-memory database is private to its connection, so there the writer reads too, between groups.
  const reader = path === ':memory:' ? undefined : openReader(path);
  const db = new Kysely<DB>({ dialect: groupCommitting(sqlite, statements, reader) });
  readSynchronously(
    db,
    reader ?? {
      get inTransaction() {
        return sqlite.inTransaction;
      },
      all: (source, parameters) => statements.prepare(source).all(parameters),
    },
  );
  const close = async () => {
    await db.destroy();
    reader?.close();
  };
  return { db, kind: 'sqlite', close };
}

/** The read-only connection: its own statement cache; writes on it fail (SQLITE_READONLY). */
function openReader(path: string): SynchronousSqlite & { close(): void } {
  const sqlite = new BetterSqlite3(path, { readonly: true });
  sqlite.pragma('busy_timeout = 5000');
  const statements = withStatementCache(sqlite);
  return {
    inTransaction: false,
    all: cachingReads(sqlite, (source, parameters) => statements.prepare(source).all(parameters)),
    close: statements.close,
  };
}

/** Kysely's SQLite dialect with Kasir's driver (store/sqlite-driver.ts: group commit, one statement cache). */
function groupCommitting(
  sqlite: BetterSqlite3.Database,
  statements: ReturnType<typeof withStatementCache>,
  reader: SynchronousSqlite | undefined,
): SqliteDialect {
  return new (class extends SqliteDialect {
    override createDriver() {
      return new GroupCommitSqliteDriver(sqlite, statements, reader);
    }
  })({ database: statements });
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
  const timeouts = options.timeouts ?? DEFAULT_DATABASE_TIMEOUTS;
  const connection: pg.PoolConfig = {
    connectionString: url,
    application_name: APPLICATION_NAME,
    connectionTimeoutMillis: timeouts.connectMs,
    // A peer that vanished without a FIN (a dead host, a dropped NAT entry) is noticed by the kernel.
    keepAlive: true,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  };
  if (schema) {
    const admin = new pg.Client({ ...connection, options: undefined });
    admin.on('error', () => {}); // its failure reaches the awaited calls below; the event must not end the process
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      await admin.end();
    }
  }
  if (options.migrate !== false) {
    // Migrations get a connection of their own without the request bounds: one may run long (an index on a
    // big table), and an instance starting beside another waits for that one's migration lock.
    const migrating = new Kysely<DB>({
      dialect: new OwnSchemaPostgresDialect({ pool: guardedPool(new pg.Pool({ ...connection, max: 1 })) }),
    });
    try {
      await migrate(migrating, await currentSchema(migrating));
    } finally {
      await migrating.destroy();
    }
  }
  const max = options.poolSize ?? 10;
  const pool = new pg.Pool({
    ...connection,
    max,
    statement_timeout: timeouts.statementMs,
    query_timeout: timeouts.queryMs,
    idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
  });
  const db = new Kysely<DB>({ dialect: new OwnSchemaPostgresDialect({ pool: guardedPool(pool, options.onConnectionLost) }) });
  const poolUse = () => ({ max, open: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount });
  return { db, kind: 'postgres', poolUse, close: () => db.destroy() };
}

/**
 * Kysely's PostgreSQL introspector (which its migrator asks whether the bookkeeping tables exist) lists the
 * tables of every schema, through catalog functions that fail with "schema … does not exist" when another
 * instance or test run drops its schema meanwhile. Kasir only ever looks at its own schema, so it asks the
 * catalog for the current schema's tables alone.
 */
class OwnSchemaIntrospector implements DatabaseIntrospector {
  constructor(private readonly db: Kysely<unknown>) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<SchemaMetadata>`SELECT current_schema() AS name`.execute(this.db);
    return rows;
  }

  async getTables(): Promise<TableMetadata[]> {
    const { rows } = await sql<{ schema: string; name: string; kind: string }>`
      SELECT n.nspname AS schema, c.relname AS name, c.relkind AS kind
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v')`.execute(this.db);
    return rows.map((row) => ({ name: row.name, schema: row.schema, isView: row.kind === 'v', columns: [] }));
  }

  async getMetadata(): Promise<DatabaseMetadata> {
    return { tables: await this.getTables() };
  }
}

class OwnSchemaPostgresDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new OwnSchemaIntrospector(db);
  }
}

/** A pg pool whose connection losses never end the process, as Kysely takes it. */
function guardedPool(pool: pg.Pool, onConnectionLost?: (error: Error) => void): PostgresPool {
  // An idle client that loses its connection is dropped by the pool, which then emits 'error': unheard,
  // that event would end the process.
  pool.on('error', (error) => onConnectionLost?.(error));
  // A checked-out client's connection error also rejects its query, and pg marks the client unusable so
  // the pool drops it on release; the event itself only needs a listener.
  pool.on('connect', (client) => client.on('error', () => {}));
  return discardingBrokenClients(pool);
}

/**
 * The server reported the error and kept the session (a statement cancelled by statement_timeout, a full
 * disk): the connection is still good. Anything else that says "unavailable" (a FATAL, a lost socket, a
 * query timeout) leaves it unusable or unknown.
 */
const sessionSurvived = (error: Error) => error instanceof pg.DatabaseError && error.severity === 'ERROR';

/**
 * The pool as Kysely sees it, except that a client whose query failed because the database is gone or
 * frozen is destroyed on release instead of being reused: pg keeps a client whose query timed out
 * (query_timeout) as if it were healthy, and the next query on it would wait behind the unanswered one.
 * Later queries on such a client (Kysely's ROLLBACK) fail at once with the first cause.
 */
function discardingBrokenClients(pool: pg.Pool): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      // pg's client as Kysely types it (the same view PostgresDialect takes of a bare pg.Pool).
      const kyselyView: PostgresPoolClient = client;
      let broken: Error | undefined;
      async function run<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
        if (broken) throw broken;
        try {
          return await kyselyView.query<R>(sql, parameters);
        } catch (error) {
          if (error instanceof Error && isDatabaseUnavailable(error) && !sessionSurvived(error)) broken = error;
          throw error;
        }
      }
      function query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
      function query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
      function query<R>(
        sql: string | PostgresCursor<R>,
        parameters: ReadonlyArray<unknown> = [],
      ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
        if (typeof sql !== 'string') throw new Error('Kasir opens no cursors: streaming is not configured');
        return run<R>(sql, parameters);
      }
      return { query, release: (destroy) => client.release(broken ?? destroy) };
    },
    end: () => pool.end(),
  };
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * SQLite commits each schema statement on its own, and every commit appends the schema pages it touched
 * to the WAL, which is only folded into the database at 1,000 pages: a fresh install's migrations left
 * 850 KB of WAL behind. Folded after each migration instead, the WAL never holds more than one.
 */
const sqliteProvider: MigrationProvider = {
  getMigrations: async () =>
    Object.fromEntries(
      Object.entries(migrations).map(([name, migration]): [string, Migration] => [
        name,
        {
          async up(db) {
            await migration.up(db);
            await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
          },
        },
      ]),
    ),
};

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
  const migrator = new Migrator({
    db,
    provider: isPostgres(db) ? provider : sqliteProvider,
    ...(schema && { migrationTableSchema: schema }),
  });
  const { error } = target === undefined ? await migrator.migrateToLatest() : await migrator.migrateTo(target);
  if (error) throw error instanceof Error ? error : new Error(String(error));
}

/** Unique-key violations on either database: the store's way of saying "someone already holds this". */
export function isUniqueViolation(error: unknown): boolean {
  const code = memberOf(error, 'code');
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** Row locks (`FOR UPDATE SKIP LOCKED`) exist only on PostgreSQL; on SQLite a writer has the file to itself. */
export function isPostgres(db: Database): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
