// @ts-check
// The shop's side of a payment: checkout creates the order and its payment session, and one rule turns
// what Kasir says about a session — in a verified callback or in an API answer — into the order's status.
// The shopper's browser is never believed: the return URL's query string is ignored everywhere.
import { KasirApiError, KasirNetworkError } from '@kasir/sdk';
/** @import { Kasir, PaymentSession } from '@kasir/sdk' */
/** @import { Order, OrderLine, OrderStatus, OrderStore, StatusSource } from './orders.js' */

/**
 * The order status a session's status means, or undefined while the shopper may still pay. Pivot folds
 * expiry into PAYMENT.CANCELLED, so this reads the session's status, never the event's name.
 * @param {string} sessionStatus
 * @returns {OrderStatus | undefined}
 */
export function orderStatusOf(sessionStatus) {
  switch (sessionStatus) {
    case 'PAID':
      return 'PAID';
    case 'CANCELLED':
      return 'FAILED';
    case 'EXPIRED':
      return 'EXPIRED';
    default:
      return undefined;
  }
}

/**
 * Applies what Kasir says about a session to the order it was made for. A session that is not this order's
 * own, or whose amount is not the order's total, changes nothing: a real shop alerts someone then.
 * @param {OrderStore} orders
 * @param {Order} order
 * @param {Pick<PaymentSession, 'id' | 'status' | 'amount'>} session
 * @param {StatusSource} source
 * @returns {{ changed: boolean, problem?: string }}
 */
export function applySession(orders, order, session, source) {
  if (session.id !== order.paymentSessionId) return { changed: false, problem: 'not the payment session of this order' };
  if (session.amount?.value !== order.total || session.amount.currency !== 'IDR')
    return { changed: false, problem: "the session's amount is not the order's total" };
  const status = orderStatusOf(session.status);
  if (!status) return { changed: false };
  const told = source === 'callback' ? 'Kasir’s verified callback' : 'Kasir’s API, asked by the shop';
  const note = `${told} says the payment session is ${session.status}.`;
  return { changed: orders.advance(order.id, status, source, note) };
}

/**
 * @typedef {object} PaymentDeps
 * @property {Kasir} kasir
 * @property {OrderStore} orders
 * @property {URL} publicUrl  the shop's origin, for the return URLs
 */

/**
 * Creates the order and a payment session for it, and returns where to send the shopper. `autoConfirm:
 * false` without a payment method lets the shopper choose one on Kasir's page. All three return URLs lead
 * to the same page, which asks the shop's own records (and Kasir's API) what happened, whichever was used.
 * @param {PaymentDeps} deps
 * @param {OrderLine[]} lines
 * @returns {Promise<{ order: Order, paymentUrl: string }>}
 */
export async function checkout({ kasir, orders, publicUrl }, lines) {
  const order = orders.create(lines);
  const returnUrl = new URL(`/orders/${order.id}/return`, publicUrl).toString();
  try {
    const session = await kasir.payments.create({
      clientReferenceId: order.id,
      amount: { value: order.total, currency: 'IDR' },
      mode: 'REDIRECT',
      autoConfirm: false,
      redirectUrl: { successReturnUrl: returnUrl, failureReturnUrl: returnUrl, expirationReturnUrl: returnUrl },
      orderInformation: {
        productDetails: lines.map((line) => ({
          type: 'PHYSICAL',
          name: line.name,
          quantity: line.quantity,
          price: { value: line.unitPrice, currency: 'IDR' },
        })),
      },
      statementDescriptor: 'Toko Kasir',
    });
    orders.attachPaymentSession(order.id, session.id);
    if (!session.paymentUrl) throw new Error('Kasir answered without a paymentUrl');
    return { order, paymentUrl: session.paymentUrl };
  } catch (error) {
    // No session means the shopper cannot pay this order; a new checkout makes a new order.
    orders.advance(order.id, 'FAILED', 'shop', 'The payment could not be started.');
    throw error;
  }
}

/**
 * For a return or order page: when no callback has settled the order yet, ask Kasir's API (the shopper may
 * be back before the callback). Returns false when Kasir could not be asked; the page then says it is
 * still waiting.
 * @param {Pick<PaymentDeps, 'kasir' | 'orders'>} deps
 * @param {Order} order
 */
export async function refreshFromApi({ kasir, orders }, order) {
  if (order.status !== 'PENDING' || order.paymentSessionId === undefined) return true;
  try {
    applySession(orders, order, await kasir.payments.get(order.paymentSessionId), 'api');
    return true;
  } catch (error) {
    if (error instanceof KasirApiError || error instanceof KasirNetworkError) return false;
    throw error;
  }
}
