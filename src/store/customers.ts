// Saved payment methods per customer (pivot-api §5.2 saveForFutureUse, §5.11): a token and what Kasir may
// keep of the method — a card's digits and brand (never the number), an e-wallet's channel and account.
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import type { TakenCard } from '../domain/card/card-charge.ts';
import { CARD_NETWORKS, EWALLET_CHANNELS, type EwalletChannel } from '../domain/payment-methods.ts';
import { storedJson } from './codec.ts';
import type { Database } from './schema.ts';

/** The e-wallet account that paid: the channel, the number in E.164 and the holder's name when known. */
export interface SavedEwallet {
  channel: EwalletChannel;
  mobileNumber: string;
  accountName: string | null;
  /** Keyed digest of channel and number: the same account saved twice is recognised, as a card is. */
  fingerprint: string;
}

export type StoredPaymentMethod = { token: string; customerId: string; createdAt: Date } & (
  { kind: 'CARD'; card: TakenCard } | { kind: 'EWALLET'; ewallet: SavedEwallet }
);
export type StoredCard = Extract<StoredPaymentMethod, { kind: 'CARD' }>;

/** Keeps the method for the customer; one the customer already saved keeps its first token. */
export async function savePaymentMethod(db: Database, merchantId: string, saved: StoredPaymentMethod): Promise<void> {
  const details = saved.kind === 'CARD' ? saved.card : saved.ewallet;
  await db
    .insertInto('stored_payment_methods')
    .values({
      token: saved.token,
      merchant_id: merchantId,
      customer_id: saved.customerId,
      payment_method: saved.kind,
      fingerprint: details.fingerprint,
      details: JSON.stringify(details),
      created_at: saved.createdAt.getTime(),
    })
    .onConflict((oc) => oc.columns(['merchant_id', 'customer_id', 'fingerprint']).doNothing())
    .execute();
}

type Row = { token: string; customer_id: string; payment_method: string; details: string; created_at: number | string };

/** A name from a fixed list, checked by its JSON Schema enum; typed as the list's union. */
const oneOf = <T extends string>(names: readonly T[]) => Type.Unsafe<T>(Type.String({ enum: [...names] }));

// The details column as savePaymentMethod writes it, checked as it is read back.
const StoredEwallet = Compile(
  Type.Object({
    channel: oneOf(EWALLET_CHANNELS),
    mobileNumber: Type.String(),
    accountName: Type.Union([Type.String(), Type.Null()]),
    fingerprint: Type.String(),
  }),
);
const StoredCardDetails = Compile(
  Type.Object({
    first6: Type.String(),
    first8: Type.String(),
    last4: Type.String(),
    brand: oneOf(CARD_NETWORKS),
    expMonth: Type.String(),
    expYear: Type.String(),
    fingerprint: Type.String(),
    sandboxIssuer: Type.Boolean(),
  }),
);

function toStored(row: Row): StoredPaymentMethod {
  const common = { token: row.token, customerId: row.customer_id, createdAt: new Date(Number(row.created_at)) };
  const column = `stored_payment_methods.details of ${row.token}`;
  if (row.payment_method === 'EWALLET')
    return { ...common, kind: 'EWALLET', ewallet: storedJson(StoredEwallet, row.details, column) };
  if (row.payment_method === 'CARD') return { ...common, kind: 'CARD', card: storedJson(StoredCardDetails, row.details, column) };
  throw new Error(`stored_payment_methods.payment_method ${JSON.stringify(row.payment_method)} is not CARD or EWALLET`);
}

const COLUMNS = ['token', 'customer_id', 'payment_method', 'details', 'created_at'] as const;

/** Every method the customer saved, oldest first. */
export async function storedMethodsOf(db: Database, merchantId: string, customerId: string): Promise<StoredPaymentMethod[]> {
  const rows = await db
    .selectFrom('stored_payment_methods')
    .select(COLUMNS)
    .where('merchant_id', '=', merchantId)
    .where('customer_id', '=', customerId)
    .orderBy('created_at')
    .orderBy('token')
    .execute();
  return rows.map(toStored);
}

export async function storedCardsOf(db: Database, merchantId: string, customerId: string): Promise<StoredCard[]> {
  return (await storedMethodsOf(db, merchantId, customerId)).filter((m): m is StoredCard => m.kind === 'CARD');
}

/** A saved card by its token (a saved e-wallet's token is not a card's). */
export async function storedCardByToken(db: Database, merchantId: string, token: string): Promise<StoredCard | undefined> {
  const row = await db
    .selectFrom('stored_payment_methods')
    .select(COLUMNS)
    .where('merchant_id', '=', merchantId)
    .where('token', '=', token)
    .where('payment_method', '=', 'CARD')
    .executeTakeFirst();
  const stored = row && toStored(row);
  return stored?.kind === 'CARD' ? stored : undefined;
}
