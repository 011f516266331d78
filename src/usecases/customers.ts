// GET /v1/customers/{customerId}: the cards a customer saved with saveForFutureUse (pivot-api §5.11).
import { Refusal } from '../domain/refusal.ts';
import { storedCardsOf, type StoredCard } from '../store/customers.ts';
import type { Context } from './context.ts';

export async function savedCardsOfCustomer(ctx: Context, merchantId: string, customerId: string): Promise<StoredCard[]> {
  const cards = await storedCardsOf(ctx.db, merchantId, customerId);
  if (cards.length === 0) {
    throw new Refusal('not_found', 'resource_missing', `The customer with ID ${customerId} cannot be found`);
  }
  return cards;
}
