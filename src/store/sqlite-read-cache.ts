// Answers to repeated small reads on SQLite's read-only connection, kept only while the database file is
// unchanged. A point read costs SQLite a read transaction, a B-tree walk and a row copied into JavaScript;
// a GET of a session runs two (its merchant, its session) and the payment page two (session, charges),
// about a quarter of a GET's CPU when profiled. `PRAGMA data_version` on the same connection answers in
// about 40% of a point read and changes whenever any other connection commits: this process's writer, or
// another process on the same file. So a kept answer is returned only when the version has not moved
// since just before the read that produced it, and is never stale; every answer is dropped when it moves.
import type BetterSqlite3 from 'better-sqlite3';

export interface ReadCacheLimits {
  /** Answers kept at most; when full, all are dropped (the next writes would drop them soon anyway). */
  entries: number;
  /** Larger answers (lists, pages of a dashboard) are read afresh every time and never kept. */
  rows: number;
}

export const READ_CACHE_LIMITS: ReadCacheLimits = { entries: 2048, rows: 8 };

type Read = (source: string, parameters: unknown[]) => unknown[];

/** Parameters that make an exact key: strings, numbers and nulls, told apart by JSON (1 is not "1"). */
function keyOf(parameters: unknown[]): string | undefined {
  for (const value of parameters) {
    if (value !== null && typeof value !== 'string' && typeof value !== 'number') return undefined;
  }
  return JSON.stringify(parameters);
}

/**
 * `read` with its small answers kept while `sqlite`'s data version stands still. Kept rows are frozen:
 * every caller gets the same objects, so one that changed them would change another's answer (in strict
 * mode the attempt throws instead). The array is each caller's own: Kysely's migrator sorts the one it gets.
 */
export function cachingReads(sqlite: BetterSqlite3.Database, read: Read, limits: ReadCacheLimits = READ_CACHE_LIMITS): Read {
  const dataVersion = sqlite.prepare('pragma data_version').pluck();
  // By statement, then by parameters: a statement's text is the same string on every call, whose hash V8
  // keeps, where one key joining it to the parameters was a new long string to hash on every read.
  const kept = new Map<string, Map<string, readonly unknown[]>>();
  let keptEntries = 0;
  let keptAt: unknown;
  const forget = () => {
    kept.clear();
    keptEntries = 0;
  };
  return (source, parameters) => {
    const key = keyOf(parameters);
    const version = dataVersion.get();
    if (version !== keptAt) {
      forget();
      keptAt = version;
    } else if (key !== undefined) {
      const answer = kept.get(source)?.get(key);
      if (answer) return [...answer];
    }
    const rows = read(source, parameters);
    if (key === undefined || rows.length > limits.rows) return rows;
    if (keptEntries >= limits.entries) forget();
    for (const row of rows) Object.freeze(row);
    let bySource = kept.get(source);
    if (!bySource) kept.set(source, (bySource = new Map()));
    bySource.set(key, Object.freeze([...rows]));
    keptEntries++;
    return rows;
  };
}
