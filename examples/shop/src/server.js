// @ts-check
// The shop's HTTP server (Node's own http module: a handful of routes need no framework) and its entry point.
//   GET  /                      the products, each with a checkout form
//   POST /checkout              creates the order and its payment session, 303 to Kasir's payment page
//   GET  /orders/:id/return     where Kasir sends the shopper back (all three return URLs)
//   GET  /orders/:id            the order, as the callbacks or Kasir's API say
//   GET  /orders/:id/status     its status as JSON, for assets/wait.js
//   POST /kasir/callbacks       Kasir's signed callbacks
//   GET  /style.css, /assets/wait.js
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { KasirApiError } from '@kasir/sdk';
import { CallbackReceiver, PayloadTooLargeError, readBody } from './callbacks.js';
import { csrfCookieHeader, csrfCookieOf, csrfProblem, newCsrfToken } from './csrf.js';
import { ShopConfigError, kasirClient, shopConfigFromEnv } from './kasir.js';
import { OrderStore } from './orders.js';
import { checkout, refreshFromApi } from './payments.js';
import { MAX_QUANTITY, PRODUCTS, findProduct } from './products.js';
import { STYLESHEET, messagePage, orderPage, productPage, returnPage } from './views.js';
/** @import { IncomingMessage, ServerResponse, Server } from 'node:http' */
/** @import { Kasir } from '@kasir/sdk' */

const MAX_FORM_BYTES = 4 * 1024;

const STYLE_HEADERS = { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'max-age=300' };
const SCRIPT_HEADERS = { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'max-age=300' };
/** The one script a page may load (read once: it never changes while the shop runs). */
const WAIT_SCRIPT = readFileSync(new URL('./assets/wait.js', import.meta.url), 'utf8');

/** Headers on every page: no framing, no sniffing, no script at all, nothing cached. */
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy':
    "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

/**
 * @typedef {object} ShopOptions
 * @property {Kasir} kasir
 * @property {URL} publicUrl
 * @property {string | undefined} webhookSecret
 * @property {string | undefined} callbackApiKey
 * @property {OrderStore} [orders]
 * @property {(line: string) => void} [log]
 */

/**
 * The shop, not yet listening.
 * @param {ShopOptions} options
 * @returns {{ server: Server, orders: OrderStore }}
 */
export function createShop({ kasir, publicUrl, webhookSecret, callbackApiKey, orders = new OrderStore(), log = console.log }) {
  const callbacks = new CallbackReceiver({ orders, webhookSecret, apiKey: callbackApiKey, log });
  const deps = { kasir, orders, publicUrl };

  /**
   * @param {ServerResponse} res
   * @param {number} status
   * @param {string} body
   * @param {Record<string, string>} [headers]
   */
  const page = (res, status, body, headers = {}) => res.writeHead(status, { ...PAGE_HEADERS, ...headers }).end(body);
  /**
   * @param {ServerResponse} res
   * @param {number} status
   * @param {string} title
   * @param {string} text
   */
  const message = (res, status, title, text) => page(res, status, messagePage({ title, text }));

  /** @param {IncomingMessage} req @param {ServerResponse} res */
  async function showProducts(req, res) {
    const token = csrfCookieOf(req) ?? newCsrfToken();
    page(res, 200, productPage({ products: PRODUCTS, csrfToken: token }), {
      'set-cookie': csrfCookieHeader(token, publicUrl),
    });
  }

  /** @param {IncomingMessage} req @param {ServerResponse} res */
  async function startCheckout(req, res) {
    if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded'))
      return message(res, 415, 'Unsupported form', 'Send the checkout form from the product page.');
    const form = new URLSearchParams(await readBody(req, MAX_FORM_BYTES));
    const refused = csrfProblem(req, form.get('csrf') ?? undefined, publicUrl);
    if (refused) return message(res, 403, 'Please try again', `The order was not placed: ${refused}. Reload the product page.`);
    const product = findProduct(form.get('productId') ?? '');
    const quantity = Number(form.get('quantity'));
    if (!product) return message(res, 400, 'Unknown product', 'That product is not in the shop.');
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY)
      return message(res, 400, 'Wrong quantity', `Choose from 1 to ${MAX_QUANTITY}.`);
    try {
      const { paymentUrl } = await checkout(deps, [
        { productId: product.id, name: product.name, quantity, unitPrice: product.price },
      ]);
      res.writeHead(303, { location: paymentUrl, 'cache-control': 'no-store' }).end();
    } catch (error) {
      log(`checkout failed: ${error instanceof Error ? error.message : String(error)}`);
      const why =
        error instanceof KasirApiError
          ? `the payment provider refused it (${error.code})`
          : 'the payment provider could not be reached';
      message(res, 502, 'Payment could not start', `Your order was not placed: ${why}. Please try again in a moment.`);
    }
  }

  /**
   * @param {ServerResponse} res
   * @param {string} id
   * @param {boolean} returning
   */
  async function showOrder(res, id, returning) {
    const order = orders.get(id);
    if (!order) return message(res, 404, 'Order not found', 'There is no order at this address.');
    const providerReachable = await refreshFromApi(deps, order);
    page(res, 200, returning ? returnPage({ order, providerReachable }) : orderPage({ order, providerReachable }));
  }

  /**
   * What assets/wait.js asks while a page waits: the order's status, after asking Kasir's API if still pending.
   * @param {ServerResponse} res
   * @param {string} id
   */
  async function orderStatus(res, id) {
    const order = orders.get(id);
    const headers = { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
    if (!order) return res.writeHead(404, headers).end(JSON.stringify({ error: 'no such order' }));
    await refreshFromApi(deps, order);
    res.writeHead(200, headers).end(JSON.stringify({ status: order.status }));
  }

  /** @type {Array<{ method: 'GET' | 'POST', path: RegExp, run: (req: IncomingMessage, res: ServerResponse, match: RegExpExecArray) => unknown }>} */
  const routes = [
    { method: 'GET', path: /^\/$/, run: showProducts },
    { method: 'GET', path: /^\/style\.css$/, run: (_req, res) => res.writeHead(200, STYLE_HEADERS).end(STYLESHEET) },
    { method: 'GET', path: /^\/assets\/wait\.js$/, run: (_req, res) => res.writeHead(200, SCRIPT_HEADERS).end(WAIT_SCRIPT) },
    { method: 'POST', path: /^\/checkout$/, run: startCheckout },
    { method: 'POST', path: /^\/kasir\/callbacks$/, run: (req, res) => callbacks.handle(req, res) },
    { method: 'GET', path: /^\/orders\/([0-9a-f-]{36})$/, run: (_req, res, [, id = '']) => showOrder(res, id, false) },
    { method: 'GET', path: /^\/orders\/([0-9a-f-]{36})\/return$/, run: (_req, res, [, id = '']) => showOrder(res, id, true) },
    { method: 'GET', path: /^\/orders\/([0-9a-f-]{36})\/status$/, run: (_req, res, [, id = '']) => orderStatus(res, id) },
  ];

  /** @param {IncomingMessage} req @param {ServerResponse} res */
  async function route(req, res) {
    const target = req.url ?? '/';
    if (!URL.canParse(target, publicUrl)) return message(res, 400, 'Bad address', 'That address cannot be read.');
    const { pathname } = new URL(target, publicUrl);
    const matching = routes.flatMap((r) => {
      const match = r.path.exec(pathname);
      return match ? [{ ...r, match }] : [];
    });
    if (matching.length === 0) return message(res, 404, 'Page not found', 'There is nothing at this address.');
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const found = matching.find((r) => r.method === method);
    if (!found)
      return res
        .writeHead(405, { allow: matching.map((r) => r.method).join(', '), 'content-type': 'text/plain' })
        .end('method not allowed');
    await found.run(req, res, found.match);
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error) => {
      if (error instanceof PayloadTooLargeError) return message(res, 413, 'Too large', 'That request was too large.');
      log(`error on ${req.method} ${req.url}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!res.headersSent) message(res, 500, 'Something went wrong', 'Please try again in a moment.');
      else res.destroy();
    });
  });
  return { server, orders };
}

/** `node src/server.js`: the shop from the environment (see README.md). */
async function main() {
  let config;
  try {
    config = shopConfigFromEnv(process.env);
  } catch (error) {
    if (!(error instanceof ShopConfigError)) throw error;
    console.error(`kasir-example-shop: ${error.message}`);
    process.exit(1);
  }
  const { server } = createShop({
    kasir: kasirClient(config),
    publicUrl: config.publicUrl,
    webhookSecret: config.webhookSecret,
    callbackApiKey: config.callbackApiKey,
  });
  server.listen(config.port, config.host, () => {
    console.log(`Toko Kasir on ${config.publicUrl.origin} (listening on ${config.host}:${config.port})`);
    console.log(`Kasir's callback URL for this shop: ${new URL('/kasir/callbacks', config.publicUrl)}`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
