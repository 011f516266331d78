// The callback outbox: rows written in the transaction of the state change they announce.
import type { CallbackEvent } from '../domain/statuses.ts';
import type { Database } from './schema.ts';

export interface OutboxEntry {
  id: string;
  merchantId: string;
  sessionId: string;
  event: CallbackEvent;
  /** The exact JSON body the merchant will receive: {"event": …, "data": …}. */
  payload: string;
}

export async function enqueueCallbacks(db: Database, entries: OutboxEntry[], now: Date): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('callbacks')
    .values(
      entries.map((e) => ({
        id: e.id,
        merchant_id: e.merchantId,
        session_id: e.sessionId,
        event: e.event,
        payload: e.payload,
        status: 'PENDING',
        attempt_count: 0,
        next_attempt_at: now.getTime(),
        lease_until: null,
        created_at: now.getTime(),
        updated_at: now.getTime(),
        delivered_at: null,
      })),
    )
    .execute();
}
