// @ts-check
// The shop's orders, kept in this process's memory only: a restart forgets them. That is enough for an
// example and for tests; a real shop keeps orders in its database and records each processed webhook-id in
// the same transaction as the order change it caused, so a crash between the two cannot apply a callback
// twice or lose it.
import { randomUUID } from 'node:crypto';

/** @typedef {'PENDING' | 'PAID' | 'FAILED' | 'EXPIRED'} OrderStatus */

/** Who told the shop about a status: Kasir's verified callback, or the shop asking Kasir's API itself. */
/** @typedef {'callback' | 'api'} StatusSource */

/**
 * @typedef {object} OrderLine
 * @property {string} productId
 * @property {string} name
 * @property {number} quantity
 * @property {number} unitPrice  whole rupiah
 */

/**
 * @typedef {object} OrderEvent
 * @property {Date} at
 * @property {OrderStatus} status
 * @property {StatusSource | 'shop'} source
 * @property {string} note
 */

/**
 * @typedef {object} Order
 * @property {string} id                 also the payment session's clientReferenceId
 * @property {OrderLine[]} lines
 * @property {number} total              whole rupiah, computed by the shop, never taken from a form
 * @property {OrderStatus} status
 * @property {string | undefined} paymentSessionId
 * @property {Date} createdAt
 * @property {OrderEvent[]} history      every status the order had, oldest first
 */

/** A final status never changes again: a late or repeated callback cannot undo a payment. */
const FINAL = new Set(['PAID', 'FAILED', 'EXPIRED']);

export class OrderStore {
  /** @type {Map<string, Order>} */
  #orders = new Map();
  #now;

  /** @param {() => Date} [now] */
  constructor(now = () => new Date()) {
    this.#now = now;
  }

  /**
   * @param {OrderLine[]} lines
   * @returns {Order}
   */
  create(lines) {
    const at = this.#now();
    /** @type {Order} */
    const order = {
      id: randomUUID(),
      lines,
      total: lines.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0),
      status: 'PENDING',
      paymentSessionId: undefined,
      createdAt: at,
      history: [{ at, status: 'PENDING', source: 'shop', note: 'Order placed.' }],
    };
    this.#orders.set(order.id, order);
    return order;
  }

  /** @param {string} id */
  get(id) {
    return this.#orders.get(id);
  }

  /**
   * @param {string} id
   * @param {string} paymentSessionId
   */
  attachPaymentSession(id, paymentSessionId) {
    const order = this.#orders.get(id);
    if (!order) throw new Error(`no order ${id}`);
    if (order.paymentSessionId !== undefined) throw new Error(`order ${id} already has a payment session`);
    order.paymentSessionId = paymentSessionId;
  }

  /**
   * Moves a PENDING order to a final status; anything else (an unknown order, a final order, PENDING again)
   * changes nothing. Returns whether the order changed.
   * @param {string} id
   * @param {OrderStatus} status
   * @param {StatusSource | 'shop'} source
   * @param {string} note
   */
  advance(id, status, source, note) {
    const order = this.#orders.get(id);
    if (!order || FINAL.has(order.status) || !FINAL.has(status)) return false;
    order.status = status;
    order.history.push({ at: this.#now(), status, source, note });
    return true;
  }
}
