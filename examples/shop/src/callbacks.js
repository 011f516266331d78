// @ts-check
// POST /kasir/callbacks: Kasir's signed status callbacks. The raw body goes to verifyCallback exactly as it
// arrived (re-serialised JSON would not match the signature); a callback that fails the check is answered
// 401 and changes nothing. Delivery is at least once, so each webhook-id is acted on once only: Kasir sends
// the same webhook-id again on a retry or a resend. The work is all in memory, so the answer goes back at
// once; a shop with slow work to do would queue it and still answer 2xx right away.
import { CallbackVerificationError, verifyCallback } from '@kasir/sdk';
import { applySession } from './payments.js';
/** @import { IncomingMessage, ServerResponse } from 'node:http' */
/** @import { CallbackEvent } from '@kasir/sdk' */
/** @import { OrderStore } from './orders.js' */

/** Far above any callback Kasir sends (a session object with at most 10 charges); a bigger body is refused. */
const MAX_BODY_BYTES = 256 * 1024;

export class PayloadTooLargeError extends Error {}

/**
 * The request body as text, up to `limit` bytes.
 * @param {IncomingMessage} req
 * @param {number} limit
 * @returns {Promise<string>}
 */
export async function readBody(req, limit) {
  /** @type {Buffer[]} */
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw new PayloadTooLargeError(`body over ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export class CallbackReceiver {
  #orders;
  #webhookSecret;
  #apiKey;
  #log;
  /**
   * Handled webhook-ids. In memory, like the orders (and growing like them); a real shop stores each one
   * with the order change it caused.
   * @type {Set<string>}
   */
  #handled = new Set();

  /**
   * @param {object} options
   * @param {OrderStore} options.orders
   * @param {string | undefined} options.webhookSecret
   * @param {string | undefined} options.apiKey
   * @param {(line: string) => void} [options.log]
   */
  constructor({ orders, webhookSecret, apiKey, log = console.log }) {
    if (!webhookSecret && !apiKey) throw new Error('a webhook secret or a callback API key is required');
    this.#orders = orders;
    this.#webhookSecret = webhookSecret;
    this.#apiKey = apiKey;
    this.#log = log;
  }

  /**
   * @param {IncomingMessage} req
   * @param {ServerResponse} res
   */
  async handle(req, res) {
    let payload;
    try {
      payload = await readBody(req, MAX_BODY_BYTES);
    } catch (error) {
      if (!(error instanceof PayloadTooLargeError)) throw error;
      return answer(res, 413, 'payload too large');
    }
    /** @type {CallbackEvent} */
    let callback;
    try {
      callback = await verifyCallback({
        payload,
        headers: req.headers,
        webhookSecret: this.#webhookSecret,
        apiKey: this.#apiKey,
      });
    } catch (error) {
      if (!(error instanceof CallbackVerificationError)) throw error;
      this.#log(`refused a callback: ${error.message}`);
      // A body that is signed but not a callback is a mistake on the sender's side, not a forgery.
      return error.code === 'invalid_payload' ? answer(res, 400, 'not a callback') : answer(res, 401, 'unauthorized');
    }
    // Pivot sends no webhook-id (only X-API-Key); then the event, the resource and its status name a repeat.
    const key = callback.id ?? `${callback.event}/${callback.data.id}/${callback.data.status}`;
    const outcome = this.#handled.has(key) ? 'already handled' : this.#act(callback);
    this.#handled.add(key);
    this.#log(`callback ${key} ${callback.event}: ${outcome}`);
    return answer(res, 200, 'ok');
  }

  /**
   * @param {CallbackEvent} callback
   * @returns {string}
   */
  #act(callback) {
    switch (callback.event) {
      case 'PAYMENT.PROCESSING':
      case 'PAYMENT.PAID':
      case 'PAYMENT.CANCELLED': {
        const session = callback.data;
        const order = this.#orders.get(session.clientReferenceId);
        if (!order) return `no order ${session.clientReferenceId}`;
        const { changed, problem } = applySession(this.#orders, order, session, 'callback');
        if (problem) return `ignored: ${problem}`;
        return changed ? `order ${order.id} is ${order.status}` : `order ${order.id} stays ${order.status}`;
      }
      default:
        // PAYMENT.TEST (the dashboard's test button), CHARGE.SUCCESS (open-amount sessions, which this shop
        // never makes) and refunds (the shop does not refund): acknowledged so Kasir stops sending them.
        return 'nothing to do';
    }
  }
}

/**
 * @param {ServerResponse} res
 * @param {number} status
 * @param {string} text
 */
function answer(res, status, text) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}
