// Server-rendered views of the hosted page. Pure functions from a session (already read at `now`) to
// HTML; every value goes through the `html` template's escaping.
import { BANKS, type VaChannel } from '../domain/payment-methods.ts';
import type { Charge, Session } from '../domain/session.ts';
import type { SimulationOutcome } from '../domain/statuses.ts';
import { formatCountdown, formatDeadline, formatRupiah } from './format.ts';
import { escapeHtml, html, SafeHtml } from './html.ts';
import type { Locale, Translate } from './i18n.ts';
import type { Outcome } from './return-url.ts';
import { VA_GUIDES, instructionsFor } from './va-instructions.ts';

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
  const v = (value as { value?: unknown } | undefined)?.value;
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

interface Item {
  name: string;
  quantity: number;
  price?: number;
}

function orderItems(session: Session): { items: Item[]; shippingFee?: number } {
  const info = (session.echo.orderInformation ?? {}) as Record<string, unknown>;
  const details = Array.isArray(info.productDetails) ? info.productDetails : [];
  const items = details.slice(0, 50).flatMap((d: Record<string, unknown>) => {
    const name = text(d?.name);
    if (!name) return [];
    const quantity = typeof d.quantity === 'number' && d.quantity > 0 ? d.quantity : 1;
    return [{ name, quantity, price: moneyValue(d.price) }];
  });
  const shipping = (info.shippingInfo ?? {}) as Record<string, unknown>;
  return { items, shippingFee: moneyValue(shipping.shippingFee) };
}

function customerName(session: Session): string | undefined {
  const c = session.echo.customer as Record<string, unknown> | undefined;
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
      ${
        shippingFee !== undefined
          ? html`<div>
              <dt>${t('shippingFee')}</dt>
              <dd class="num">${formatRupiah(shippingFee)}</dd>
            </div>`
          : ''
      }
      <div class="total">
        <dt>${t('total')}</dt>
        <dd class="num">${formatRupiah(session.amount.value)}</dd>
      </div>
      <div>
        <dt>${t('statementDescriptor')}</dt>
        <dd>${session.statementDescriptor}</dd>
      </div>
      <div>
        <dt>${t('orderReference')}</dt>
        <dd class="break">${session.clientReferenceId}</dd>
      </div>
      ${
        name
          ? html`<div>
              <dt>${t('customer')}</dt>
              <dd>${name}</dd>
            </div>`
          : ''
      }
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

function copyButton(value: string, label: string, t: Translate): SafeHtml {
  return html`<button type="button" class="copy" data-copy="${value}" data-done="${t('copied')}" aria-label="${label}" hidden>
    ${t('copy')}
  </button>`;
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

export function sandboxPanel(p: SessionPage, outcomes: readonly SimulationOutcome[]): SafeHtml {
  if (!p.sandbox || outcomes.length === 0) return html``;
  const { t } = p;
  const label = { SUCCESS: t('simulateSuccess'), FAILED: t('simulateFailure'), EXPIRED: t('simulateExpiry') };
  return html`<section class="card sim" aria-labelledby="sim-h">
    <h2 id="sim-h">${t('sandboxTitle')}</h2>
    <form method="post" action="/detail/simulate">
      <input type="hidden" name="token" value="${p.token}" />
      <input type="hidden" name="lang" value="${p.locale}" />
      ${outcomes.map((o) => html`<button class="btn sim-${o.toLowerCase()}" name="outcome" value="${o}" data-testid="simulate-${o.toLowerCase()}">${label[o]}</button>`)}
    </form>
  </section>`;
}

// ---- method picker ------------------------------------------------------------------------------

/** The picker: one section per offered method that fits this session (each step renders its own, steps.ts). */
export function pickerPage(p: SessionPage, sections: SafeHtml[]): SafeHtml {
  const { t } = p;
  const hidden = html`<input type="hidden" name="token" value="${p.token}" /><input
      type="hidden"
      name="lang"
      value="${p.locale}"
    />`;
  const body = html`${head(p)}
    <section class="card" aria-labelledby="pick-h">
      <h2 id="pick-h">${t('chooseMethod')}</h2>
      ${sections.length === 0 ? html`<p>${t('noMethods')}</p>` : ''}
      <form method="post" action="/detail/choose">${hidden} ${sections}</form>
    </section>
    ${summary(p)} ${sandboxPanel(p, ['EXPIRED'])}`;
  return sessionLayout(p, t('chooseMethod'), body, true);
}

/** QRIS in the picker: one button. */
export function qrPickerSection(p: SessionPage): SafeHtml {
  const { t } = p;
  return html`<fieldset>
    <legend>${t('qris')}</legend>
    <button class="method" name="method" value="QR" data-testid="choose-qr">
      <span class="logo qr" aria-hidden="true">QR</span
      ><span><strong>${t('qris')}</strong><span class="muted small block">${t('qrisHint')}</span></span>
    </button>
  </fieldset>`;
}

/** Virtual accounts in the picker: a button per bank. */
export function vaPickerSection(p: SessionPage, banks: VaChannel[]): SafeHtml {
  return html`<fieldset>
    <legend>${p.t('virtualAccount')}</legend>
    <div class="banks">
      ${banks.map(
        (b) =>
          html`<button class="method" name="method" value="VIRTUAL_ACCOUNT:${b}" data-testid="choose-${b.toLowerCase()}">
            <span class="logo" aria-hidden="true">${b.slice(0, 3)}</span><span>${BANKS[b].name}</span>
          </button>`,
      )}
    </div>
  </fieldset>`;
}

/** autoConfirm: false with a method already chosen by the merchant: one tap issues the charge. */
export function confirmPage(p: SessionPage, methodLabel: string): SafeHtml {
  const { t } = p;
  const body = html`${head(p)}
    <section class="card" aria-labelledby="confirm-h">
      <h2 id="confirm-h">${t('confirmMethodTitle')}</h2>
      <form method="post" action="/detail/choose">
        <input type="hidden" name="token" value="${p.token}" /><input type="hidden" name="lang" value="${p.locale}" />
        <button class="btn primary" name="method" value="CONFIRM" data-testid="confirm">
          ${t('confirmMethod', { method: methodLabel })}
        </button>
      </form>
    </section>
    ${summary(p)} ${sandboxPanel(p, ['EXPIRED'])}`;
  return sessionLayout(p, t('confirmMethodTitle'), body, true);
}

// ---- charge steps ------------------------------------------------------------------------------

type StepValues = { vaNumber: string; amount: string };
const STEP_MARKERS: StepValues = { vaNumber: '\uE000vaNumber\uE000', amount: '\uE000amount\uE000' };
const STEP_MARKER = /\uE000(vaNumber|amount)\uE000/;
const howToPayParts = new Map<string, string[]>();

/**
 * The "how to pay" card depends only on the bank and the language, apart from the VA number and the
 * amount inside its steps, and it is most of the page: it is rendered once per bank and language with
 * markers (which escaping leaves alone) where the two values go, and each view fills them in, escaped.
 */
function howToPay(channel: VaChannel, locale: Locale, t: Translate, values: StepValues): SafeHtml {
  const key = `${channel}:${locale}`;
  let parts = howToPayParts.get(key);
  if (!parts) {
    const guide = instructionsFor(channel, locale, STEP_MARKERS);
    const steps = (title: string, list: string[], open: boolean) =>
      html`<details${open ? html` open` : ''}><summary>${title}</summary><ol>${list.map((s) => html`<li>${s}</li>`)}</ol></details>`;
    const card = html`<section class="card" aria-labelledby="how-h">
      <h2 id="how-h">${t('howToPay')}</h2>
      ${steps(t('atm'), guide.atm, true)} ${steps(t('mobileBanking'), guide.mobile, false)}
      ${steps(t('internetBanking'), guide.internet, false)}
      ${guide.interbankNote ? html`<p class="note small">${guide.interbankNote}</p>` : ''}
    </section>`;
    // split() with a capturing group alternates text and marker names: even indexes text, odd names.
    parts = card.value.split(STEP_MARKER);
    howToPayParts.set(key, parts);
  }
  let out = '';
  for (let i = 0; i < parts.length; i++) out += i % 2 ? escapeHtml(values[parts[i] as keyof StepValues]) : parts[i];
  return new SafeHtml(out);
}

export function vaPage(p: SessionPage, charge: Charge, outcomes: readonly SimulationOutcome[]): SafeHtml {
  const { t, locale } = p;
  const va = charge.virtualAccount!;
  const bank = BANKS[va.channel]?.name ?? va.channel;
  const amount = formatRupiah(charge.amount.value);
  const guide = VA_GUIDES[va.channel]
    ? howToPay(va.channel, locale, t, { vaNumber: va.virtualAccountNumber, amount })
    : undefined;
  const body = html`${head(p)}
    <section class="card" aria-labelledby="va-h">
      <h2 id="va-h">${t('vaStepTitle', { bank })}</h2>
      <dl class="rows big-rows">
        <div>
          <dt>${t('bank')}</dt>
          <dd>${bank}</dd>
        </div>
        <div>
          <dt>${t('vaNumber')}</dt>
          <dd class="copyable">
            <span class="va num" data-testid="va-number">${va.virtualAccountNumber}</span
            >${copyButton(va.virtualAccountNumber, t('copyNumber'), t)}
          </dd>
        </div>
        <div>
          <dt>${t('vaName')}</dt>
          <dd>${va.virtualAccountName}</dd>
        </div>
        <div>
          <dt>${t('exactAmount')}</dt>
          <dd class="copyable">
            <span class="num strong">${amount}</span>${copyButton(String(charge.amount.value), t('copyAmount'), t)}
          </dd>
        </div>
      </dl>
      <p class="muted small">${t('exactAmountNote')}</p>
      ${guide && !VA_GUIDES[va.channel].acceptsInterbank ? html`<p class="note">${t('sameBankOnly', { bank })}</p>` : ''}
      ${waitingNote(p)}
    </section>
    ${guide ?? ''} ${summary(p)} ${sandboxPanel(p, outcomes)}`;
  return sessionLayout(p, t('vaStepTitle', { bank }), body, true);
}

export function qrPage(p: SessionPage, charge: Charge, svg: SafeHtml, outcomes: readonly SimulationOutcome[]): SafeHtml {
  const { t } = p;
  const amount = formatRupiah(charge.amount.value);
  const body = html`${head(p)}
    <section class="card center" aria-labelledby="qr-h">
      <h2 id="qr-h">${t('qrStepTitle')}</h2>
      <figure class="qr-box" data-testid="qr">${svg}</figure>
      <p>
        <a
          class="btn"
          href="/detail/qr.png?token=${encodeURIComponent(p.token)}"
          download="qris-${p.session.clientReferenceId.replace(/[^A-Za-z0-9_-]/g, '')}.png"
          data-testid="download-qr"
          >${t('downloadQr')}</a
        >
      </p>
      <ol class="left">
        ${t('qrSteps', { amount })
          .split('|')
          .map((s) => html`<li>${s}</li>`)}
      </ol>
      ${waitingNote(p)}
    </section>
    ${summary(p)} ${sandboxPanel(p, outcomes)}`;
  return sessionLayout(p, t('qrStepTitle'), body, true);
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

// ---- end states --------------------------------------------------------------------------------

const OUTCOME_TEXT = {
  paid: ['paidTitle', 'paidBody'],
  failed: ['failedTitle', 'failedBody'],
  cancelled: ['cancelledTitle', 'cancelledBody'],
  expired: ['expiredTitle', 'expiredBody'],
} as const;

/** What succeeded refunds returned of the session's payment (its charges carry the totals). */
function refundedOf(session: Session): number {
  return session.charges.reduce((sum, c) => sum + (c.refunds?.refunded ?? 0), 0);
}

/**
 * How the shopper paid (or tried to), for the status page: the method, the masked account where it has one
 * (e-wallets), and why it failed where the method knows (cards: "VISA •••• 0001").
 */
export interface PaidWith {
  method: string;
  account?: string;
  reason?: string;
}

export function statusPage(
  p: SessionPage,
  outcome: Outcome,
  returnUrl: string | undefined,
  redirectSeconds: number,
  paidWith?: PaidWith,
): SafeHtml {
  const { t, session } = p;
  const refunded = outcome === 'paid' ? refundedOf(session) : 0;
  const whole = refunded > 0 && refunded >= session.amount.value;
  const [title, bodyKey] = whole ? (['refundedTitle', 'refundedBody'] as const) : OUTCOME_TEXT[outcome];
  const look = whole ? 'refunded' : outcome;
  const body = html`<section class="card center status status-${look}" aria-labelledby="status-h" data-testid="status-${look}">
    <span class="badge" aria-hidden="true"></span>
    <h1 id="status-h">${t(title)}</h1>
    <p>${t(bodyKey)}</p>
    ${
      refunded > 0 && !whole
        ? html`<p class="note" data-testid="refunded-note">${t('partlyRefundedNote', { amount: formatRupiah(refunded) })}</p>`
        : ''
    }
    <dl class="rows">
      <div>
        <dt>${outcome === 'paid' ? t('amountPaid') : t('amount')}</dt>
        <dd class="num strong">${formatRupiah(session.amount.value)}</dd>
      </div>
      ${
        refunded > 0
          ? html`<div>
              <dt>${t('amountRefunded')}</dt>
              <dd class="num strong" data-testid="amount-refunded">${formatRupiah(refunded)}</dd>
            </div>`
          : ''
      }
      <div>
        <dt>${t('payTo')}</dt>
        <dd>${session.statementDescriptor}</dd>
      </div>
      <div>
        <dt>${t('orderReference')}</dt>
        <dd class="break">${session.clientReferenceId}</dd>
      </div>
      ${
        paidWith
          ? html`<div>
              <dt>${t('paymentMethod')}</dt>
              <dd data-testid="paid-with">${paidWith.method}</dd>
            </div>`
          : ''
      }
      ${
        paidWith?.account
          ? html`<div>
              <dt>${t('account')}</dt>
              <dd class="num" data-testid="paid-account">${paidWith.account}</dd>
            </div>`
          : ''
      }
      ${
        paidWith?.reason
          ? html`<div>
              <dt>${t('failureReason')}</dt>
              <dd data-testid="failure-reason">${paidWith.reason}</dd>
            </div>`
          : ''
      }
    </dl>
    ${
      returnUrl
        ? html`<p><a class="btn primary" href="${returnUrl}" data-testid="return">${t('backToShop')}</a></p>
            <p class="muted small" role="status" data-redirect-in="${redirectSeconds}" data-template="${t('redirectNote')}">
              ${t('redirectNote', { seconds: redirectSeconds })}
            </p>`
        : ''
    }
  </section>`;
  return sessionLayout(p, t(title), body, false);
}

export function errorPage(env: PageEnv, title: string, message: string, back?: { href: string; label: string }): SafeHtml {
  const body = html`<section class="card center status status-error" aria-labelledby="err-h" data-testid="error">
    <span class="badge" aria-hidden="true"></span>
    <h1 id="err-h">${title}</h1>
    <p>${message}</p>
    ${back ? html`<p><a class="btn" href="${back.href}">${back.label}</a></p>` : ''}
  </section>`;
  return layout(env, title, body);
}
