// The callback outbox: rows written in the transaction of the state change they announce.
import type { CallbackEvent, ResourceType } from '../domain/statuses.ts';
import { preparedQuery, type ColumnValues } from './prepared.ts';
import type { CallbacksTable, Database } from './schema.ts';

export interface OutboxEntry {
  id: string;
  merchantId: string;
  /** What the callback is about (its body's `data`). */
  resource: { type: ResourceType; id: string };
  event: CallbackEvent;
  /** The exact JSON body the merchant will receive: {"event": …, "data": …}. */
  payload: string;
}

type CallbackRow = ColumnValues<CallbacksTable>;

const CALLBACK_COLUMNS = Object.keys({
  id: true,
  merchant_id: true,
  resource_type: true,
  resource_id: true,
  event: true,
  payload: true,
  status: true,
  attempt_count: true,
  next_attempt_at: true,
  lease_until: true,
  created_at: true,
  updated_at: true,
  delivered_at: true,
} satisfies Record<keyof CallbackRow, true>) as Array<keyof CallbackRow>;

// Nearly every change owes one callback: its insert is compiled once. Many (the sweeper's batches) go in one statement.
const callbackInsert = preparedQuery<CallbackRow, unknown>(CALLBACK_COLUMNS, (db, row) => db.insertInto('callbacks').values(row));

function pendingRow(entry: OutboxEntry, now: Date): CallbackRow {
  return {
    id: entry.id,
    merchant_id: entry.merchantId,
    resource_type: entry.resource.type,
    resource_id: entry.resource.id,
    event: entry.event,
    payload: entry.payload,
    status: 'PENDING',
    attempt_count: 0,
    next_attempt_at: now.getTime(),
    lease_until: null,
    created_at: now.getTime(),
    updated_at: now.getTime(),
    delivered_at: null,
  };
}

export async function enqueueCallbacks(db: Database, entries: OutboxEntry[], now: Date): Promise<void> {
  const [only, ...more] = entries;
  if (!only) return;
  if (more.length === 0) {
    await callbackInsert(db, pendingRow(only, now));
    return;
  }
  await db
    .insertInto('callbacks')
    .values(entries.map((entry) => pendingRow(entry, now)))
    .execute();
}
