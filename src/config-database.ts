// The database settings: which database (DATABASE_URL, KASIR_DATABASE_SCHEMA) and how long a call to it
// may take (KASIR_DB_*_TIMEOUT_MS).
import { ConfigError, parsePositiveInt, type Env } from './config-values.ts';

/** SQLite by file, or PostgreSQL by URL. */
export type DatabaseLocation = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string; schema?: string };

/**
 * How long a database call may take before Kasir gives up and answers 503 (milliseconds). PostgreSQL
 * applies all four; SQLite only waits for a lock, up to its own busy_timeout.
 */
export interface DatabaseTimeouts {
  /** Opening a connection, and waiting for a free one in the pool (pg connectionTimeoutMillis). */
  connectMs: number;
  /** The server cancels a statement running longer (statement_timeout). */
  statementMs: number;
  /** The client stops waiting for an answer (pg query_timeout): the bound when the server is frozen. */
  queryMs: number;
  /** The server ends a session idle inside a transaction (idle_in_transaction_session_timeout). */
  idleInTransactionMs: number;
}

export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = {
  connectMs: 5000,
  statementMs: 5000,
  queryMs: 8000,
  idleInTransactionMs: 10000,
};

export function parseDatabaseTimeouts(env: Env): DatabaseTimeouts {
  const read = (name: string, fallback: number) => parsePositiveInt(name, env[name] ?? String(fallback));
  const timeouts = {
    connectMs: read('KASIR_DB_CONNECT_TIMEOUT_MS', DEFAULT_DATABASE_TIMEOUTS.connectMs),
    statementMs: read('KASIR_DB_STATEMENT_TIMEOUT_MS', DEFAULT_DATABASE_TIMEOUTS.statementMs),
    queryMs: read('KASIR_DB_QUERY_TIMEOUT_MS', DEFAULT_DATABASE_TIMEOUTS.queryMs),
    idleInTransactionMs: read('KASIR_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS', DEFAULT_DATABASE_TIMEOUTS.idleInTransactionMs),
  };
  // Otherwise a slow statement is abandoned by the client first: its connection is thrown away while the
  // server keeps running it, instead of the server cancelling it and the connection staying usable.
  if (timeouts.queryMs <= timeouts.statementMs) {
    throw new ConfigError(
      `KASIR_DB_QUERY_TIMEOUT_MS (${timeouts.queryMs}) must be greater than KASIR_DB_STATEMENT_TIMEOUT_MS (${timeouts.statementMs})`,
    );
  }
  return timeouts;
}

export function parseDatabaseUrl(raw: string | undefined): DatabaseLocation {
  if (raw === undefined || raw === '') return { kind: 'sqlite', path: './data/kasir.db' };
  if (raw.startsWith('file:')) {
    const path = raw.slice('file:'.length);
    if (path === '') throw new ConfigError('DATABASE_URL "file:" needs a path, e.g. file:./data/kasir.db');
    return { kind: 'sqlite', path };
  }
  if (/^postgres(ql)?:\/\//.test(raw)) {
    try {
      new URL(raw);
    } catch {
      throw new ConfigError('DATABASE_URL is not a valid postgres:// URL');
    }
    return { kind: 'postgres', url: raw };
  }
  throw new ConfigError('DATABASE_URL must be unset, file:PATH (SQLite) or postgres://… (PostgreSQL)');
}

export function withSchema(database: DatabaseLocation, schema: string | undefined): DatabaseLocation {
  if (schema === undefined || schema === '') return database;
  if (database.kind !== 'postgres') throw new ConfigError('KASIR_DATABASE_SCHEMA only applies to a postgres:// DATABASE_URL');
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new ConfigError(`KASIR_DATABASE_SCHEMA must be a lower-case SQL identifier (a-z, 0-9, _), got "${schema}"`);
  }
  return { ...database, schema };
}
