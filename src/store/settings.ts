// Small key/value settings the service generates once and must keep (e.g. the token signing key).
import { isUniqueViolation } from './database.ts';
import type { Database } from './schema.ts';

/** Returns the stored value, or stores `make()` if none exists yet (first writer wins across instances). */
export async function getOrCreateSetting(db: Database, key: string, make: () => string): Promise<string> {
  const existing = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  if (existing) return existing.value;
  try {
    await db.insertInto('settings').values({ key, value: make() }).execute();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return row.value;
}
