// Hot reads compiled once. Building and compiling a Kysely query costs more than SQLite takes to answer it
// (profiled: about a third of a GET's CPU went to Kysely's builders and compiler), so the queries a
// request runs every time are built once per dialect with stand-in parameters, and each call swaps in its
// own values. The SQL stays Kysely's, typed by the builder: only the build-and-compile step is skipped.
import { CompiledQuery, type Compilable } from 'kysely';
import type { Database } from './schema.ts';

/** An SQLite connection that answers synchronously (better-sqlite3), with its statement cache. */
export interface SynchronousSqlite {
  readonly inTransaction: boolean;
  all(sql: string, parameters: unknown[]): unknown[];
}

/**
 * SQLite stores whose prepared reads may skip Kysely's executor, which queues every query for the writing
 * connection behind a lock, through promises and its plugin pipeline. A better-sqlite3 read answers
 * synchronously, on the read-only connection (store/database.ts), which sees committed rows only; an
 * in-memory database has no second connection, so its reads run on the writer when no transaction is open
 * on it and otherwise wait their turn through Kysely, or they would read uncommitted rows.
 */
const synchronousReads = new WeakMap<Database, SynchronousSqlite>();

export function readSynchronously(db: Database, sqlite: SynchronousSqlite): void {
  synchronousReads.set(db, sqlite);
}

/** Stand-ins no caller can send: they start with a NUL, which no stored text or wire string may hold. */
const STAND_IN = '\u0000kasir-parameter-';

type Bound = Record<string, string | number | null>;

/** A table's columns as plain values (an interface is not a Record, which preparedQuery binds from). */
export type ColumnValues<Table> = { [Column in keyof Table]: Table[Column] };

/**
 * A query built once by `build` from named stand-ins, run with real `values`. `build` must use each
 * parameter only as a bound value (in `where`, `values`, `limit`…), never to decide the query's shape;
 * a parameter the compiled query does not bind is refused at first use.
 */
export function preparedQuery<Values extends Bound, Row>(
  names: ReadonlyArray<keyof Values & string>,
  build: (db: Database, parameters: Values) => Compilable<Row>,
): (db: Database, values: Values) => Promise<Row[]> {
  type Names = keyof Values & string;
  // Per dialect adapter, since the SQL depends on the dialect: a database and every transaction opened on
  // it share one adapter, so a query compiles once per database, inside transactions too. (Kasir adds no
  // Kysely plugins, the other thing that could make two instances of one dialect compile differently.)
  const compiledFor = new WeakMap<object, { sql: string; slots: Array<Names | { value: unknown }>; reads: boolean }>();
  // The stand-ins are strings whatever type a parameter has: they only ever reach the compiler, which
  // copies bound values through untouched, so the type the builder sees is the real values' type.
  const standIns = Object.fromEntries(names.map((name) => [name, STAND_IN + name])) as Values;
  const nameOf = new Map<unknown, Names>(names.map((name) => [STAND_IN + name, name]));

  function compiled(db: Database) {
    const adapter = db.getExecutor().adapter;
    let entry = compiledFor.get(adapter);
    if (!entry) {
      const query = build(db, standIns).compile();
      const slots = query.parameters.map((value) => nameOf.get(value) ?? { value });
      const used = new Set(slots.filter((slot): slot is Names => typeof slot === 'string'));
      const unused = names.filter((name) => !used.has(name));
      if (unused.length > 0) throw new Error(`prepared query never binds ${unused.join(', ')}: ${query.sql}`);
      entry = { sql: query.sql, slots, reads: /^select /i.test(query.sql) };
      compiledFor.set(adapter, entry);
    }
    return entry;
  }

  return async (db, values) => {
    const { sql, slots, reads } = compiled(db);
    const parameters = slots.map((slot) => (typeof slot === 'string' ? values[slot] : slot.value));
    const sqlite = reads ? synchronousReads.get(db) : undefined;
    // The rows are the ones Kysely's SQLite driver would return for this compiled query, untyped alike.
    if (sqlite && !sqlite.inTransaction) return sqlite.all(sql, parameters) as Row[];
    const result = await db.executeQuery<Row>(CompiledQuery.raw(sql, parameters));
    return result.rows;
  };
}
