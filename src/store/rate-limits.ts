// Fixed-window hit counters in the database, so every instance on one PostgreSQL counts against the same
// limit (and SQLite works the same way for one instance).
import type { Database } from './schema.ts';

/**
 * Adds one hit to `bucket` in the window starting at `windowStart` and returns the window's total. One
 * statement (insert, or add one on conflict), so concurrent hits from several instances never lose a count.
 */
export async function addHit(db: Database, bucket: string, windowStart: number): Promise<number> {
  const row = await db
    .insertInto('rate_limits')
    .values({ bucket, window_start: windowStart, hits: 1 })
    .onConflict((oc) => oc.columns(['bucket', 'window_start']).doUpdateSet((eb) => ({ hits: eb('rate_limits.hits', '+', 1) })))
    .returning('hits')
    .executeTakeFirstOrThrow();
  return Number(row.hits);
}

/** Forgets windows that started before `windowStart`. */
export async function deleteWindowsBefore(db: Database, windowStart: number): Promise<void> {
  await db.deleteFrom('rate_limits').where('window_start', '<', windowStart).execute();
}
