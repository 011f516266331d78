// Server-rendered views of the hosted page. Pure functions from a session (already read at `now`) to
// HTML; every value goes through the `html` template's escaping. Here: the layout, the pieces every step
// shares and the picker; each method's step in its own module, the end pages in status-views.ts.
import type { Session } from '../domain/session.ts';
import type { SimulationOutcome } from '../domain/statuses.ts';
import { formatCountdown, formatDeadline, formatRupiah } from './format.ts';
import { html, row, type SafeHtml } from './html.ts';
import type { Locale, Translate } from './i18n.ts';
import { memberOf } from '../domain/json.ts';

export interface PageEnv {
  locale: Locale;
  t: Translate;
  sandbox: boolean;
  assets: { css: string; js: string };
}

export interface SessionPage extends PageEnv {
  token: string;
  session: Session;
  remaining: number | null;
  /** showSavedPayment: the customer's saved cards the card step offers (CVC only). */
  savedCards?: SavedCardChoice[];
  /** A saved card whose CVC was refused, to show the error beside it. */
  savedCardError?: string;
}

export interface SavedCardChoice {
  token: string;
  brand: string;
  last4: string;
}

export function pageHref(token: string, locale: Locale): string {
  return `/detail?token=${encodeURIComponent(token)}&lang=${locale}`;
}

export function layout(
  env: PageEnv,
  title: string,
  body: SafeHtml,
  opts: { switchHref?: string; poll?: { url: string; status: string } } = {},
): SafeHtml {
  const { t, locale } = env;
  const other: Locale = locale === 'id' ? 'en' : 'id';
  return html`<!doctype html>
    <html lang="${locale}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <title>${title} · ${t('brand')}</title>
        <link rel="stylesheet" href="${env.assets.css}" />
        <script src="${env.assets.js}" defer></script>
      </head>
      <body>
        <header class="top">
          <span class="brand">${t('brand')}</span>
          ${opts.switchHref ? html`<nav aria-label="${t('languageNav')}"><a class="lang" href="${opts.switchHref}" hreflang="${other}" lang="${other}">${t('switchLanguage')}</a></nav>` : ''}
        </header>
        ${env.sandbox ? html`<p class="sandbox" role="note">${t('sandboxBanner')}</p>` : ''}
        <main id="main" ${opts.poll ? html` data-poll="${opts.poll.url}" data-status="${opts.poll.status}"` : ''}>${body}</main>
        <footer class="foot"><span class="lock" aria-hidden="true"></span>${t('secured')}</footer>
      </body>
    </html>`;
}

export function sessionLayout(p: SessionPage, title: string, body: SafeHtml, poll: boolean): SafeHtml {
  const other: Locale = p.locale === 'id' ? 'en' : 'id';
  return layout(p, title, body, {
    switchHref: pageHref(p.token, other),
    poll: poll ? { url: `/detail/status?token=${encodeURIComponent(p.token)}`, status: p.session.status } : undefined,
  });
}

// ---- pieces ------------------------------------------------------------------------------------

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function moneyValue(value: unknown): number | undefined {
  const v = memberOf(value, 'value');
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

interface Item {
  name: string;
  quantity: number;
  price?: number;
}

function orderItems(session: Session): { items: Item[]; shippingFee?: number } {
  const info = session.echo.orderInformation;
  const details: unknown = memberOf(info, 'productDetails');
  const items = (Array.isArray(details) ? details : []).slice(0, 50).flatMap((d: unknown) => {
    const name = text(memberOf(d, 'name'));
    if (!name) return [];
    const quantity = memberOf(d, 'quantity');
    return [
      { name, quantity: typeof quantity === 'number' && quantity > 0 ? quantity : 1, price: moneyValue(memberOf(d, 'price')) },
    ];
  });
  return { items, shippingFee: moneyValue(memberOf(memberOf(info, 'shippingInfo'), 'shippingFee')) };
}

function customerName(session: Session): string | undefined {
  const c = session.echo.customer;
  if (!c) return undefined;
  const parts = [text(c.givenName), text(c.surname) ?? text(c.sureName)].filter(Boolean);
  return parts.length ? parts.join(' ') : undefined;
}

export function summary(p: SessionPage): SafeHtml {
  const { t, session } = p;
  const { items, shippingFee } = orderItems(session);
  const name = customerName(session);
  return html`<section class="card" aria-labelledby="summary-h">
    <h2 id="summary-h">${t('orderSummary')}</h2>
    ${
      items.length
        ? html`<ul class="items">
            ${items.map(
              (i) =>
                html`<li>
                  <span class="item-name"
                    >${i.name}${i.quantity > 1 ? html` <span class="muted">× ${i.quantity}</span>` : ''}</span
                  >${i.price !== undefined ? html`<span class="num">${formatRupiah(i.price * i.quantity)}</span>` : ''}
                </li>`,
            )}
          </ul>`
        : ''
    }
    <dl class="rows">
      ${shippingFee !== undefined ? row(t('shippingFee'), formatRupiah(shippingFee), { valueClass: 'num' }) : ''}
      ${row(t('total'), formatRupiah(session.amount.value), { rowClass: 'total', valueClass: 'num' })}
      ${row(t('statementDescriptor'), session.statementDescriptor)}
      ${row(t('orderReference'), session.clientReferenceId, { valueClass: 'break' })} ${name ? row(t('customer'), name) : ''}
    </dl>
  </section>`;
}

export function head(p: SessionPage): SafeHtml {
  const { t, session } = p;
  return html`<section class="card hero" aria-labelledby="pay-h">
    <p class="muted">${t('payTo')}</p>
    <h1 id="pay-h" class="merchant">${session.statementDescriptor}</h1>
    <p class="label">${t('totalToPay')}</p>
    <p class="big num" data-testid="amount">${formatRupiah(session.amount.value)}</p>
    ${deadline(p)}
  </section>`;
}

function deadline(p: SessionPage): SafeHtml {
  const { t, session } = p;
  if (!session.expiryAt || p.remaining === null) return html``;
  return html`<div class="deadline">
    <p>${t('payBefore', { time: formatDeadline(session.expiryAt, p.locale) })}</p>
    <p>
      <span class="muted">${t('timeLeft')}</span>
      <time class="countdown num" data-remaining="${p.remaining}" datetime="PT${p.remaining}S" data-testid="countdown"
        >${formatCountdown(p.remaining)}</time
      >
    </p>
  </div>`;
}

export function waitingNote(p: SessionPage): SafeHtml {
  const { t } = p;
  return html`<div class="wait" role="status">
      <span class="spinner" aria-hidden="true"></span
      ><span>${p.session.status === 'PROCESSING' ? t('processing') : t('waiting')}</span>
    </div>
    <p class="muted small">${t('liveNote')}</p>
    <p><a class="btn ghost" href="${pageHref(p.token, p.locale)}">${t('checkStatus')}</a></p>`;
}

/** The hidden fields every form on the page posts: its token, and the language the answer comes back in. */
export function formFields(p: SessionPage): SafeHtml {
  return html`<input type="hidden" name="token" value="${p.token}" /><input type="hidden" name="lang" value="${p.locale}" />`;
}

export function sandboxPanel(p: SessionPage, outcomes: readonly SimulationOutcome[]): SafeHtml {
  if (!p.sandbox || outcomes.length === 0) return html``;
  const { t } = p;
  const label = { SUCCESS: t('simulateSuccess'), FAILED: t('simulateFailure'), EXPIRED: t('simulateExpiry') };
  return html`<section class="card sim" aria-labelledby="sim-h">
    <h2 id="sim-h">${t('sandboxTitle')}</h2>
    <form method="post" action="/detail/simulate">
      ${formFields(p)}
      ${outcomes.map((o) => html`<button class="btn sim-${o.toLowerCase()}" name="outcome" value="${o}" data-testid="simulate-${o.toLowerCase()}">${label[o]}</button>`)}
    </form>
  </section>`;
}

// ---- method picker ------------------------------------------------------------------------------

/** The picker: one section per offered method that fits this session (each step renders its own, steps.ts). */
export function pickerPage(p: SessionPage, sections: SafeHtml[]): SafeHtml {
  const { t } = p;
  const body = html`${head(p)}
    <section class="card" aria-labelledby="pick-h">
      <h2 id="pick-h">${t('chooseMethod')}</h2>
      ${sections.length === 0 ? html`<p>${t('noMethods')}</p>` : ''}
      <form method="post" action="/detail/choose">${formFields(p)} ${sections}</form>
    </section>
    ${summary(p)} ${sandboxPanel(p, ['EXPIRED'])}`;
  return sessionLayout(p, t('chooseMethod'), body, true);
}

/** autoConfirm: false with a method already chosen by the merchant: one tap issues the charge. */
export function confirmPage(p: SessionPage, methodLabel: string): SafeHtml {
  const { t } = p;
  const body = html`${head(p)}
    <section class="card" aria-labelledby="confirm-h">
      <h2 id="confirm-h">${t('confirmMethodTitle')}</h2>
      <form method="post" action="/detail/choose">
        ${formFields(p)}
        <button class="btn primary" name="method" value="CONFIRM" data-testid="confirm">
          ${t('confirmMethod', { method: methodLabel })}
        </button>
      </form>
    </section>
    ${summary(p)} ${sandboxPanel(p, ['EXPIRED'])}`;
  return sessionLayout(p, t('confirmMethodTitle'), body, true);
}

export function unsupportedPage(p: SessionPage): SafeHtml {
  const body = html`${head(p)}
    <section class="card">
      <p>${p.t('methodUnavailable')}</p>
      ${waitingNote(p)}
    </section>
    ${summary(p)}${sandboxPanel(p, ['EXPIRED'])}`;
  return sessionLayout(p, p.t('pageTitle'), body, true);
}
