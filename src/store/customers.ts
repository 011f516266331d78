// Saved payment methods per customer (pivot-api §5.11): a token and the card digits Kasir may keep.
import type { TakenCard } from '../domain/card/card-charge.ts';
import type { Database } from './schema.ts';

export interface StoredCard {
  token: string;
  customerId: string;
  card: TakenCard;
  createdAt: Date;
}

/** Keeps the card for the customer; a card the customer already saved keeps its first token. */
export async function saveCard(db: Database, merchantId: string, saved: StoredCard): Promise<void> {
  await db
    .insertInto('stored_payment_methods')
    .values({
      token: saved.token,
      merchant_id: merchantId,
      customer_id: saved.customerId,
      payment_method: 'CARD',
      fingerprint: saved.card.fingerprint,
      card: JSON.stringify(saved.card),
      created_at: saved.createdAt.getTime(),
    })
    .onConflict((oc) => oc.columns(['merchant_id', 'customer_id', 'fingerprint']).doNothing())
    .execute();
}

type Row = { token: string; customer_id: string; card: string; created_at: number | string };

function toStored(row: Row): StoredCard {
  return {
    token: row.token,
    customerId: row.customer_id,
    card: JSON.parse(row.card) as TakenCard,
    createdAt: new Date(Number(row.created_at)),
  };
}

export async function storedCardsOf(db: Database, merchantId: string, customerId: string): Promise<StoredCard[]> {
  const rows = await db
    .selectFrom('stored_payment_methods')
    .select(['token', 'customer_id', 'card', 'created_at'])
    .where('merchant_id', '=', merchantId)
    .where('customer_id', '=', customerId)
    .orderBy('created_at')
    .orderBy('token')
    .execute();
  return rows.map(toStored);
}

export async function storedCardByToken(db: Database, merchantId: string, token: string): Promise<StoredCard | undefined> {
  const row = await db
    .selectFrom('stored_payment_methods')
    .select(['token', 'customer_id', 'card', 'created_at'])
    .where('merchant_id', '=', merchantId)
    .where('token', '=', token)
    .executeTakeFirst();
  return row && toStored(row);
}
