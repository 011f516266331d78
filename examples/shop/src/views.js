// @ts-check
// The shop's HTML. Every value goes through the html`` tag, which escapes it; only fragments the tag built
// itself are inserted as they are. Pages work without JavaScript; a page waiting for the payment's outcome
// loads assets/wait.js, which reloads it when the outcome is known.
import { MAX_QUANTITY, formatRupiah } from './products.js';
/** @import { Order, OrderStatus } from './orders.js' */
/** @import { Product } from './products.js' */

/** HTML the html`` tag produced: safe to insert as it is. */
class SafeHtml {
  /** @param {string} text */
  constructor(text) {
    this.text = text;
  }
  toString() {
    return this.text;
  }
}

/** @type {Record<string, string>} */
const ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * @param {unknown} value
 * @returns {string}
 */
function escapeValue(value) {
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(escapeValue).join('');
  if (value === undefined || value === null || value === false) return '';
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/**
 * @param {TemplateStringsArray} strings
 * @param {unknown[]} values
 */
export function html(strings, ...values) {
  return new SafeHtml(strings.reduce((out, string, i) => out + escapeValue(values[i - 1]) + string));
}

export const STYLESHEET = `
:root { color-scheme: light; --ink: #1d2430; --muted: #5b6473; --line: #dde1e8; --accent: #0b6e4f; --warn: #8a5300; --bad: #a31d1d; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f6f7f9; }
header { background: #fff; border-bottom: 1px solid var(--line); }
header a { display: block; max-width: 56rem; margin: 0 auto; padding: .9rem 1rem; font-weight: 700; color: var(--ink); text-decoration: none; }
main { max-width: 56rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; line-height: 1.25; margin: .5rem 0 1rem; }
.products { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); }
.card { background: #fff; border: 1px solid var(--line); border-radius: .75rem; padding: 1rem; }
.card h2 { font-size: 1.125rem; margin: 0 0 .25rem; }
.card p { margin: 0 0 .75rem; color: var(--muted); }
.card .price { font-size: 1.25rem; font-weight: 700; color: var(--ink); }
form.buy { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; }
label { display: grid; gap: .25rem; font-size: .875rem; color: var(--muted); }
select, button, .button { font: inherit; min-height: 2.75rem; border-radius: .5rem; }
select { padding: 0 .5rem; border: 1px solid var(--line); background: #fff; }
button, .button { display: inline-flex; align-items: center; padding: 0 1.25rem; border: 0; background: var(--accent); color: #fff; font-weight: 600; text-decoration: none; cursor: pointer; }
.button.secondary { background: #fff; color: var(--accent); border: 1px solid var(--accent); }
.status { display: inline-block; padding: .125rem .625rem; border-radius: 999px; font-weight: 600; font-size: .875rem; }
.status-PAID { background: #e2f4ec; color: var(--accent); }
.status-PENDING { background: #fff3dc; color: var(--warn); }
.status-FAILED, .status-EXPIRED { background: #fbe4e4; color: var(--bad); }
table { width: 100%; border-collapse: collapse; background: #fff; }
th, td { text-align: left; padding: .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num, th.num { text-align: right; white-space: nowrap; }
tfoot td { font-weight: 700; border-bottom: 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 1rem 0; }
dt { color: var(--muted); }
dd { margin: 0; overflow-wrap: anywhere; }
ol.history { list-style: none; padding: 0; margin: 0; }
ol.history li { background: #fff; border: 1px solid var(--line); border-radius: .5rem; padding: .5rem .75rem; margin-bottom: .5rem; }
ol.history time { display: block; color: var(--muted); font-size: .875rem; }
.note { color: var(--muted); font-size: .875rem; }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; margin-top: 1.25rem; }
`;

const TIME = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'Asia/Jakarta' });
/** @param {Date} at */
const formatTime = (at) => `${TIME.format(at)} WIB`;

/** @type {Record<OrderStatus, string>} */
const STATUS_LABEL = { PENDING: 'Not paid yet', PAID: 'Paid', FAILED: 'Payment failed', EXPIRED: 'Expired' };

/**
 * @param {object} page
 * @param {string} page.title
 * @param {SafeHtml} page.body
 * @param {Order} [page.watch]  an order whose outcome the page waits for while it is PENDING (assets/wait.js)
 */
function layout({ title, body, watch }) {
  const waiting = watch?.status === 'PENDING';
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · Toko Kasir</title>
        <link rel="stylesheet" href="/style.css" />
        ${waiting ? html`<script src="/assets/wait.js" defer></script>` : ''}
      </head>
      <body>
        <header><a href="/">Toko Kasir</a></header>
        <main ${waiting ? html`data-watch="/orders/${watch.id}/status" data-status="${watch.status}"` : ''}>${body}</main>
      </body>
    </html>`.text;
}

/** @param {OrderStatus} status */
const statusBadge = (status) =>
  html`<span class="status status-${status}" data-testid="order-status" data-status="${status}">${STATUS_LABEL[status]}</span>`;

/**
 * @param {{ products: readonly Product[], csrfToken: string }} input
 */
export function productPage({ products, csrfToken }) {
  const quantities = Array.from({ length: MAX_QUANTITY }, (_, i) => html`<option value="${i + 1}">${i + 1}</option>`);
  return layout({
    title: 'Products',
    body: html`<h1>Coffee and tea, delivered</h1>
      <div class="products">
        ${products.map(
          (product) =>
            html`<section class="card" aria-labelledby="p-${product.id}">
              <h2 id="p-${product.id}">${product.name}</h2>
              <p>${product.description}</p>
              <p class="price" data-testid="price-${product.id}">${formatRupiah(product.price)}</p>
              <form class="buy" method="post" action="/checkout">
                <input type="hidden" name="csrf" value="${csrfToken}" />
                <input type="hidden" name="productId" value="${product.id}" />
                <label
                  >Quantity
                  <select name="quantity">
                    ${quantities}
                  </select></label
                >
                <button type="submit" data-testid="buy-${product.id}">Buy now</button>
              </form>
            </section>`,
        )}
      </div>
      <p class="note">You choose how to pay on the next page: virtual account, QRIS, e-wallet or card.</p>`,
  });
}

/** @param {Order} order */
function orderLines(order) {
  return html`<table>
    <thead>
      <tr>
        <th>Item</th>
        <th class="num">Qty</th>
        <th class="num">Price</th>
      </tr>
    </thead>
    <tbody>
      ${order.lines.map(
        (line) =>
          html`<tr>
            <td>${line.name}</td>
            <td class="num">${line.quantity}</td>
            <td class="num">${formatRupiah(line.unitPrice * line.quantity)}</td>
          </tr>`,
      )}
    </tbody>
    <tfoot>
      <tr>
        <td colspan="2">Total</td>
        <td class="num" data-testid="order-total">${formatRupiah(order.total)}</td>
      </tr>
    </tfoot>
  </table>`;
}

/** @type {Record<OrderStatus, { title: string, text: string }>} */
const RETURN_MESSAGE = {
  PAID: { title: 'Thank you, your order is paid', text: 'We are packing it now. A receipt is on the order page.' },
  PENDING: {
    title: 'Waiting for confirmation',
    text: 'The payment provider has not confirmed your payment yet. This page checks again every few seconds.',
  },
  FAILED: { title: 'The payment did not go through', text: 'Nothing was charged for this order. You can order again.' },
  EXPIRED: { title: 'The time to pay ran out', text: 'This order was not paid in time. You can order again.' },
};

/**
 * Where the shopper lands back from the payment page. Shows what the shop knows, never the query string.
 * @param {{ order: Order, providerReachable: boolean }} input
 */
export function returnPage({ order, providerReachable }) {
  const message = RETURN_MESSAGE[order.status];
  const pending = order.status === 'PENDING';
  return layout({
    title: message.title,
    watch: order,
    body: html`<h1 data-testid="return-title">${message.title}</h1>
      <p>Order ${order.id.slice(0, 8)} ${statusBadge(order.status)}</p>
      <p>${message.text}</p>
      ${providerReachable ? '' : html`<p class="note" data-testid="provider-unreachable">We could not reach the payment provider just now.</p>`}
      ${orderLines(order)}
      <div class="actions">
        ${pending ? html`<a class="button" href="/orders/${order.id}/return" data-testid="refresh">Check again</a>` : ''}
        <a class="button ${pending ? 'secondary' : ''}" href="/orders/${order.id}" data-testid="view-order">View order</a>
        ${order.status === 'FAILED' || order.status === 'EXPIRED' ? html`<a class="button secondary" href="/">Order again</a>` : ''}
      </div>`,
  });
}

/**
 * The order's own page: its lines, status and where each status came from.
 * @param {{ order: Order, providerReachable: boolean }} input
 */
export function orderPage({ order, providerReachable }) {
  return layout({
    title: `Order ${order.id.slice(0, 8)}`,
    watch: order,
    body: html`<h1>Order ${order.id.slice(0, 8)}</h1>
      <p>${statusBadge(order.status)}</p>
      ${providerReachable ? '' : html`<p class="note" data-testid="provider-unreachable">We could not reach the payment provider just now.</p>`}
      ${orderLines(order)}
      <dl>
        <dt>Order id</dt>
        <dd data-testid="order-id">${order.id}</dd>
        <dt>Placed</dt>
        <dd>${formatTime(order.createdAt)}</dd>
        <dt>Payment session</dt>
        <dd data-testid="payment-session-id">${order.paymentSessionId ?? '—'}</dd>
      </dl>
      <h2>History</h2>
      <ol class="history" data-testid="history">
        ${order.history.map(
          (event) =>
            html`<li data-source="${event.source}" data-status="${event.status}">
              <time>${formatTime(event.at)}</time><strong>${STATUS_LABEL[event.status]}</strong>: ${event.note}
            </li>`,
        )}
      </ol>
      <div class="actions"><a class="button secondary" href="/">Back to the shop</a></div>`,
  });
}

/**
 * An error or a not-found page.
 * @param {{ title: string, text: string }} input
 */
export function messagePage({ title, text }) {
  return layout({
    title,
    body: html`<h1>${title}</h1>
      <p data-testid="message">${text}</p>
      <div class="actions"><a class="button secondary" href="/">Back to the shop</a></div>`,
  });
}
