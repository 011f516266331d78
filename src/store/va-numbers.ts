// VA numbers held by open sessions: one open session per number, bank and merchant (the va_numbers
// primary key), freed when the session ends.
import { preparedQuery, type ColumnValues } from './prepared.ts';
import type { Database, VaNumbersTable } from './schema.ts';

// Every VA create writes one: compiled once.
const reservationInsert = preparedQuery<ColumnValues<VaNumbersTable>, unknown>(
  ['merchant_id', 'channel', 'number', 'session_id'],
  (db, row) => db.insertInto('va_numbers').values(row),
);

/** Holds `number` at `channel` for the session; a unique-key violation means an open session of the merchant holds it. */
export async function reserveVaNumber(
  db: Database,
  merchantId: string,
  channel: string,
  number: string,
  sessionId: string,
): Promise<void> {
  await reservationInsert(db, { merchant_id: merchantId, channel, number, session_id: sessionId });
}

/** Which of the merchant's sessions holds the number: another merchant's numbers are never looked at. */
export async function findVaHolder(
  db: Database,
  merchantId: string,
  channel: string,
  number: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('va_numbers')
    .select('session_id')
    .where('merchant_id', '=', merchantId)
    .where('channel', '=', channel)
    .where('number', '=', number)
    .executeTakeFirst();
  return row?.session_id;
}

/** The numbers the sessions held are free again: the sessions ended. */
export async function releaseVaNumbers(db: Database, sessionIds: string[]): Promise<void> {
  if (sessionIds.length === 0) return;
  await db
    .deleteFrom('va_numbers')
    .where('session_id', sessionIds.length === 1 ? '=' : 'in', sessionIds.length === 1 ? sessionIds[0]! : sessionIds)
    .execute();
}
