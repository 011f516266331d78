// Merchants: credentials (secret stored as a scrypt hash), callback URL and keys, webhook signing secrets.
import { preparedQuery } from './prepared.ts';
import type { Database, MerchantsTable } from './schema.ts';

export interface Merchant {
  id: string;
  name: string;
  secretHash: string;
  callbackUrl: string | null;
  callbackApiKey: string;
  webhookSecret: string;
  previousWebhookSecret: string | null;
  previousWebhookSecretUntil: Date | null;
  createdAt: Date;
  /** Raised by every change of the client secret; access tokens of an older version are refused. */
  credentialsVersion: number;
}

function fromRow(row: MerchantsTable): Merchant {
  return {
    id: row.id,
    name: row.name,
    secretHash: row.secret_hash,
    callbackUrl: row.callback_url,
    callbackApiKey: row.callback_api_key,
    webhookSecret: row.webhook_secret,
    previousWebhookSecret: row.previous_webhook_secret,
    previousWebhookSecretUntil: row.previous_webhook_secret_until === null ? null : new Date(row.previous_webhook_secret_until),
    createdAt: new Date(row.created_at),
    credentialsVersion: row.credentials_version,
  };
}

function toRow(m: Merchant): MerchantsTable {
  return {
    id: m.id,
    name: m.name,
    secret_hash: m.secretHash,
    callback_url: m.callbackUrl,
    callback_api_key: m.callbackApiKey,
    webhook_secret: m.webhookSecret,
    previous_webhook_secret: m.previousWebhookSecret,
    previous_webhook_secret_until: m.previousWebhookSecretUntil?.getTime() ?? null,
    created_at: m.createdAt.getTime(),
    credentials_version: m.credentialsVersion,
  };
}

// Every authenticated request and every page view reads its merchant.
const merchantById = preparedQuery<{ id: string }, MerchantsTable>(['id'], (db, p) =>
  db.selectFrom('merchants').selectAll().where('id', '=', p.id),
);

export async function findMerchant(db: Database, id: string): Promise<Merchant | undefined> {
  const [row] = await merchantById(db, { id });
  return row ? fromRow(row) : undefined;
}

export async function insertMerchant(db: Database, merchant: Merchant): Promise<void> {
  await db.insertInto('merchants').values(toRow(merchant)).execute();
}

/** Everything but the credentials, which change only through replaceSecret. */
export async function updateMerchant(db: Database, merchant: Merchant): Promise<void> {
  const { id, created_at: _created, secret_hash: _secret, credentials_version: _version, ...rest } = toRow(merchant);
  await db.updateTable('merchants').set(rest).where('id', '=', id).execute();
}

/**
 * Stores a new secret hash and raises the credentials version in one statement, so concurrent changes
 * each raise it and no access token of an earlier version survives. Undefined when there is no such merchant.
 */
export async function replaceSecret(db: Database, id: string, secretHash: string): Promise<Merchant | undefined> {
  const row = await db
    .updateTable('merchants')
    .set((eb) => ({ secret_hash: secretHash, credentials_version: eb('credentials_version', '+', 1) }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/** A page of merchants, the oldest first. */
export async function pageOfMerchants(db: Database, offset: number, limit: number): Promise<Merchant[]> {
  const rows = await db
    .selectFrom('merchants')
    .selectAll()
    .orderBy('created_at')
    .orderBy('id')
    .offset(offset)
    .limit(limit)
    .execute();
  return rows.map(fromRow);
}

export async function countMerchants(db: Database): Promise<number> {
  const row = await db
    .selectFrom('merchants')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
