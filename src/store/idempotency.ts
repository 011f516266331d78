// Stored responses for X-REQUEST-ID: written in the same transaction as the session they describe.
import { preparedQuery, type ColumnValues } from './prepared.ts';
import type { Database, IdempotencyKeysTable } from './schema.ts';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export interface StoredResponse {
  requestHash: string;
  status: number;
  body: string;
  createdAt: Date;
}

// Every create with an X-REQUEST-ID reads and writes one: compiled once.
const storedResponseByKey = preparedQuery<{ merchantId: string; key: string }, IdempotencyKeysTable>(
  ['merchantId', 'key'],
  (db, p) => db.selectFrom('idempotency_keys').selectAll().where('merchant_id', '=', p.merchantId).where('key', '=', p.key),
);
const storedResponseInsert = preparedQuery<ColumnValues<IdempotencyKeysTable>, unknown>(
  ['merchant_id', 'key', 'request_hash', 'response_status', 'response_body', 'created_at'],
  (db, row) => db.insertInto('idempotency_keys').values(row),
);

export async function findStoredResponse(db: Database, merchantId: string, key: string): Promise<StoredResponse | undefined> {
  const [row] = await storedResponseByKey(db, { merchantId, key });
  if (!row) return undefined;
  return {
    requestHash: row.request_hash,
    status: row.response_status,
    body: row.response_body,
    createdAt: new Date(row.created_at),
  };
}

export async function insertStoredResponse(
  db: Database,
  merchantId: string,
  key: string,
  response: StoredResponse,
): Promise<void> {
  await storedResponseInsert(db, {
    merchant_id: merchantId,
    key,
    request_hash: response.requestHash,
    response_status: response.status,
    response_body: response.body,
    created_at: response.createdAt.getTime(),
  });
}

/** A key older than 24 h may be reused: the old record goes first. */
export async function deleteExpiredKey(db: Database, merchantId: string, key: string, now: Date): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('merchant_id', '=', merchantId)
    .where('key', '=', key)
    .where('created_at', '<=', now.getTime() - IDEMPOTENCY_TTL_MS)
    .execute();
}

/** Housekeeping for the sweeper: records past their 24 hours can never be replayed again. */
export async function purgeExpiredKeys(db: Database, now: Date): Promise<number> {
  const result = await db
    .deleteFrom('idempotency_keys')
    .where('created_at', '<=', now.getTime() - IDEMPOTENCY_TTL_MS)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
