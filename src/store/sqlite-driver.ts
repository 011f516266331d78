// Kysely's driver for the one better-sqlite3 connection, with group commit.
//
// SQLite has one writer, so transactions take turns on the connection. Each used to end in its own COMMIT,
// which appends every page the transaction changed to the WAL and was the largest single cost of a create
// (about 60% of its SQL time, measured). Here a transaction runs as a savepoint inside an outer transaction
// that stays open while other transactions wait for the connection: the last of them (or the one that
// fills the group) commits them all at once, or, when none is waiting, the end of the event loop's turn does. Durability is unchanged: a transaction is reported committed
// only when the COMMIT that contains it has returned, with the same synchronous setting as before.
//
// What no one outside a transaction may see: a read made outside any transaction goes to the read-only
// connection, which sees only committed rows; any other statement outside a transaction (a single write)
// commits the open group first, so it never joins a group's changes before they are committed. A
// transaction that rolls back commits the group when it lets go of the connection, so its retry (an
// idempotent twin, a VA number drawn again) reads what the transactions before it wrote. If the COMMIT fails, or SQLite rolls the whole transaction back by itself (SQLITE_FULL,
// SQLITE_IOERR…), every transaction of the group fails with that error and none of them is kept.
import type BetterSqlite3 from 'better-sqlite3';
import type { CompiledQuery, DatabaseConnection, Driver, QueryResult } from 'kysely';
import type { SynchronousSqlite } from './prepared.ts';

/** Transactions committed together at most; bounds how long the first of a group waits for its COMMIT. */
const MAX_GROUP = 32;
const SAVEPOINT = 'kasir_transaction';
/**
 * A plain read (an UPDATE … RETURNING also returns rows, but writes). Kasir's WITH queries only read; one
 * that wrote would fail on the read-only connection (SQLITE_READONLY), never write around the group.
 */
const SELECT = /^\s*(?:select|with)\s/i;

interface Group {
  members: number;
  waiting: Array<{ committed: () => void; failed: (error: unknown) => void }>;
}

export class GroupCommitSqliteDriver implements Driver {
  private readonly queue: Array<() => void> = [];
  private held = false;
  private group: Group | undefined;
  private inTransaction = false;
  /** Set by commitTransaction, awaited by releaseConnection once the connection is free for the next one. */
  private committing: Promise<void> | undefined;
  /** A transaction rolled back: commit the group when it releases the connection. */
  private commitOnRelease = false;
  private commitScheduled = false;
  private readonly connection: DatabaseConnection;

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly statements: { prepare(sql: string): BetterSqlite3.Statement; close(): void },
    /** The read-only connection, if the database has one (not in memory). */
    private readonly reader: SynchronousSqlite | undefined,
  ) {
    this.connection = {
      executeQuery: async <R>(query: CompiledQuery): Promise<QueryResult<R>> => this.run<R>(query.sql, query.parameters),
      streamQuery: () => {
        throw new Error('Kasir streams no SQLite query');
      },
    };
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.held) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.held = true;
    return this.connection;
  }

  async beginTransaction(): Promise<void> {
    if (!this.group) {
      this.exec('begin');
      this.group = { members: 0, waiting: [] };
    }
    this.exec(`savepoint ${SAVEPOINT}`);
    this.inTransaction = true;
  }

  async commitTransaction(): Promise<void> {
    const group = this.group;
    if (!group) throw new Error('commit without a transaction');
    this.exec(`release ${SAVEPOINT}`);
    this.inTransaction = false;
    group.members++;
    this.committing = new Promise<void>((committed, failed) => group.waiting.push({ committed, failed }));
  }

  async rollbackTransaction(): Promise<void> {
    this.inTransaction = false;
    this.commitOnRelease = true;
    // SQLite already rolled everything back (and failGroup has told the group why): nothing to undo.
    if (!this.group || !this.sqlite.inTransaction) return;
    this.exec(`rollback to ${SAVEPOINT}`);
    this.exec(`release ${SAVEPOINT}`);
  }

  async releaseConnection(): Promise<void> {
    const committing = this.committing;
    this.committing = undefined;
    if (this.group && (this.group.members >= MAX_GROUP || this.commitOnRelease)) this.commitGroup();
    this.commitOnRelease = false;
    const next = this.queue.shift();
    if (next) {
      next();
    } else {
      this.held = false;
      // Requests are read and handled one turn of the event loop after another, so a transaction rarely
      // finds another waiting for the connection: the group stays open until the I/O of this turn has
      // been handled (setImmediate runs after it), and the transactions it started join the group.
      if (this.group && !this.commitScheduled) {
        this.commitScheduled = true;
        setImmediate(() => {
          this.commitScheduled = false;
          if (!this.held) this.commitGroup();
        });
      }
    }
    await committing;
  }

  async destroy(): Promise<void> {
    if (this.group) this.commitGroup();
    this.statements.close();
  }

  /** A statement from Kysely: outside a transaction, the open group is committed before it runs. */
  private run<R>(sql: string, parameters: ReadonlyArray<unknown>): QueryResult<R> {
    if (!this.inTransaction) {
      // Rows as the reader returns them; R is the row type Kysely's builder promised its caller.
      if (this.reader && SELECT.test(sql)) return { rows: this.reader.all(sql, [...parameters]) as R[] };
      if (this.group) this.commitGroup();
    }
    return this.statement<R>(sql, parameters);
  }

  private statement<R>(sql: string, parameters: ReadonlyArray<unknown>): QueryResult<R> {
    try {
      const statement = this.statements.prepare(sql);
      // better-sqlite3 returns rows untyped; R is the row type Kysely's builder promised its caller.
      if (statement.reader) return { rows: statement.all(parameters) as R[] };
      const { changes, lastInsertRowid } = statement.run(parameters);
      return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
    } catch (error) {
      if (this.group && !this.sqlite.inTransaction) this.failGroup(error);
      throw error;
    }
  }

  /** The driver's own transaction control, which runs inside the group. */
  private exec(sql: string): void {
    this.statement(sql, []);
  }

  private commitGroup(): void {
    const group = this.group;
    if (!group) return;
    this.group = undefined;
    try {
      this.statements.prepare('commit').run();
    } catch (error) {
      if (this.sqlite.inTransaction) {
        try {
          this.statements.prepare('rollback').run();
        } catch {
          // The COMMIT's error is the one worth reporting; a connection that cannot roll back is closed anyway.
        }
      }
      for (const member of group.waiting) member.failed(error);
      return;
    }
    for (const member of group.waiting) member.committed();
  }

  private failGroup(error: unknown): void {
    const group = this.group;
    this.group = undefined;
    for (const member of group?.waiting ?? []) member.failed(error);
  }
}
