// A customer's saved payment methods (saveForFutureUse): for GET /v1/customers/{customerId} (pivot-api
// §5.11), and the saved cards for the hosted page's showSavedPayment.
import { Refusal } from '../domain/refusal.ts';
import type { Session } from '../domain/session.ts';
import { storedCardsOf, storedMethodsOf, type StoredPaymentMethod } from '../store/customers.ts';
import type { Context } from './context.ts';

export type { StoredPaymentMethod };

export async function savedMethodsOfCustomer(
  ctx: Context,
  merchantId: string,
  customerId: string,
): Promise<StoredPaymentMethod[]> {
  const methods = await storedMethodsOf(ctx.db, merchantId, customerId);
  if (methods.length === 0) {
    throw new Refusal('not_found', 'resource_missing', `The customer with ID ${customerId} cannot be found`);
  }
  return methods;
}

/**
 * showSavedPayment (pivot-api §5.2, REDIRECT mode): the saved cards the hosted page may offer the session's
 * customer — brand and last four only; none when the merchant did not ask or the session has no customer.
 */
export async function savedCardsForPage(
  ctx: Context,
  session: Session,
): Promise<Array<{ token: string; brand: string; last4: string }>> {
  const customerId = session.echo.customerId;
  if (!session.showSavedPayment || !customerId) return [];
  const cards = await storedCardsOf(ctx.db, session.merchantId, customerId);
  return cards.map(({ token, card }) => ({ token, brand: card.brand, last4: card.last4 }));
}
