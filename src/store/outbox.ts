// The callback outbox: rows written in the transaction of the state change they announce.
import type { CallbackEvent, ResourceType } from '../domain/statuses.ts';
import type { Database } from './schema.ts';

export interface OutboxEntry {
  id: string;
  merchantId: string;
  /** What the callback is about (its body's `data`). */
  resource: { type: ResourceType; id: string };
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
        resource_type: e.resource.type,
        resource_id: e.resource.id,
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
