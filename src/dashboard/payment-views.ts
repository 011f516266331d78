// The Payments screens as pure functions to HTML: the searchable list and one payment's page (summary,
// timeline with every callback attempt, the merchant's data as sent, the actions the role and state allow).
// Every value goes through page/html.ts's escaper, merchant text and callback excerpts included.
import { can } from '../domain/dashboard-roles.ts';
import { EWALLET_CHANNELS, VA_CHANNELS } from '../domain/payment-methods.ts';
import { refundPreferenceOf } from '../domain/refund.ts';
import { CANCELLABLE, PAYABLE } from '../domain/session-state.ts';
import {
  MERCHANT_CANCELLATION_REASONS,
  PAYMENT_METHOD_TYPES,
  REFUND_REASONS,
  SESSION_STATUSES,
  SIMULATION_OUTCOMES,
  isPaymentMethodType,
  type SimulationOutcome,
} from '../domain/statuses.ts';
import { methodOf } from '../domain/methods/registry.ts';
import { html, type SafeHtml } from '../page/html.ts';
import type { PaymentRow } from '../usecases/dashboard/payments.ts';
import type { CallbackSummary, PaymentTimeline, TimelineEvent } from '../usecases/dashboard/timeline.ts';
import type { Translate } from './i18n.ts';
import { csrfField, formatTime, shellPage, type Shell } from './views.ts';

/** A notice over the page: how an action went, or why a form or a filter was refused. */
export interface Notice {
  kind: 'info' | 'error';
  text: string;
}

/** The list's filters as the form sent them (shown back in the form, kept in links). */
export type FilterValues = Partial<Record<'q' | 'status' | 'method' | 'channel' | 'from' | 'to', string>>;

export const FILTER_NAMES = ['q', 'status', 'method', 'channel', 'from', 'to'] as const;

export interface ListPager {
  /** Query string of the previous page, or null on the first. */
  previous: string | null;
  next: string | null;
}

function money(locale: Shell['locale'], amount: { value: number; currency: string }): string {
  return `${amount.currency} ${amount.value.toLocaleString(locale === 'id' ? 'id-ID' : 'en-US')}`;
}

const time = (iso: string) => formatTime(new Date(iso));

function noticeBlock(notice: Notice | undefined): SafeHtml | string {
  if (!notice) return '';
  return html`<div class="notice ${notice.kind}" role="${notice.kind === 'error' ? 'alert' : 'status'}">
    <p>${notice.text}</p>
  </div>`;
}

function filterQuery(filters: FilterValues): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of FILTER_NAMES) {
    const value = filters[name];
    if (value) params.set(name, value);
  }
  return params;
}

function options(values: readonly string[], selected: string | undefined, any: string): SafeHtml {
  return html`<option value="">${any}</option>
    ${values.map((v) => html`<option value="${v}" ${v === selected ? html`selected` : ''}>${v}</option>`)}`;
}

function filterForm(s: Shell, filters: FilterValues): SafeHtml {
  const { t } = s;
  return html`<form method="get" action="/dashboard/payments" class="card filters" role="search">
    <div class="field wide">
      <label for="q">${t('paySearch')}</label>
      <input id="q" name="q" type="search" maxlength="254" value="${filters.q ?? ''}" aria-describedby="qHint" />
      <p id="qHint" class="muted hint">${t('paySearchHint')}</p>
    </div>
    <div class="field">
      <label for="status">${t('payStatus')}</label>
      <select id="status" name="status">
        ${options(SESSION_STATUSES, filters.status, t('payAny'))}
      </select>
    </div>
    <div class="field">
      <label for="method">${t('payMethod')}</label>
      <select id="method" name="method">
        ${options(PAYMENT_METHOD_TYPES, filters.method, t('payAny'))}
      </select>
    </div>
    <div class="field">
      <label for="channel">${t('payChannel')}</label>
      <select id="channel" name="channel">
        ${options([...VA_CHANNELS, ...EWALLET_CHANNELS], filters.channel, t('payAny'))}
      </select>
    </div>
    <div class="field">
      <label for="from">${t('payFrom')}</label>
      <input id="from" name="from" type="date" value="${filters.from ?? ''}" />
    </div>
    <div class="field">
      <label for="to">${t('payTo')}</label>
      <input id="to" name="to" type="date" value="${filters.to ?? ''}" />
    </div>
    <div class="actions">
      <button type="submit" class="primary">${t('payApply')}</button>
      <a href="/dashboard/payments">${t('payReset')}</a>
    </div>
  </form>`;
}

export function paymentsListPage(
  s: Shell,
  filters: FilterValues,
  payments: PaymentRow[] | null,
  pager: ListPager,
  notice?: Notice,
): SafeHtml {
  const { t } = s;
  const query = filterQuery(filters).toString();
  const csvHref = `/dashboard/payments.csv${query ? `?${query}` : ''}`;
  const rows =
    payments === null
      ? ''
      : payments.length === 0
        ? html`<p class="card">${t('payNone')}</p>`
        : html`<div class="table-wrap" tabindex="0" role="region" aria-label="${t('payResults')}">
            <table>
              <thead>
                <tr>
                  <th scope="col">${t('payCreated')}</th>
                  <th scope="col">${t('payReference')}</th>
                  <th scope="col">${t('payAmount')}</th>
                  <th scope="col">${t('payStatus')}</th>
                  <th scope="col">${t('payMethod')}</th>
                  <th scope="col">${t('payCustomer')}</th>
                </tr>
              </thead>
              <tbody>
                ${payments.map(
                  (p) =>
                    html`<tr>
                      <td data-label="${t('payCreated')}">${time(p.createdAt)}</td>
                      <td data-label="${t('payReference')}">
                        <a href="/dashboard/payments/${encodeURIComponent(p.id)}">${p.clientReferenceId}</a><br /><code
                          class="muted"
                          >${p.id}</code
                        >
                      </td>
                      <td data-label="${t('payAmount')}" class="num">${money(s.locale, p.amount)}</td>
                      <td data-label="${t('payStatus')}"><span class="status">${p.status}</span></td>
                      <td data-label="${t('payMethod')}">${p.methodType ?? '-'}${p.channel ? html` · ${p.channel}` : ''}</td>
                      <td data-label="${t('payCustomer')}">${p.customerEmail ?? '-'}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`;
  return shellPage(
    s,
    t('paymentsTitle'),
    html`${noticeBlock(notice)} ${filterForm(s, filters)}
    ${payments === null ? '' : html`<p class="export"><a href="${csvHref}" download>${t('payExportCsv')}</a></p>`} ${rows}
    ${
      pager.previous !== null || pager.next !== null
        ? html`<nav class="pager" aria-label="${t('payPages')}">
            ${pager.previous !== null ? html`<a href="/dashboard/payments?${pager.previous}" rel="prev">${t('previous')}</a>` : ''}
            ${pager.next !== null ? html`<a href="/dashboard/payments?${pager.next}" rel="next">${t('next')}</a>` : ''}
          </nav>`
        : ''
    }`,
  );
}

function eventText(t: Translate, locale: Shell['locale'], e: TimelineEvent): SafeHtml {
  switch (e.type) {
    case 'session.created':
      return html`${t('evCreated')} · ${money(locale, e.amount)}`;
    case 'charge.issued':
      return html`${t('evChargeIssued')} · ${e.methodType}${e.channel ? html` ${e.channel}` : ''} · ${money(locale, e.amount)}
        <code>${e.chargeId}</code> <span class="status">${e.status}</span>`;
    case 'charge.paid':
      return html`${t('evChargePaid')} · ${money(locale, e.amount)} <code>${e.chargeId}</code>`;
    case 'charge.ended':
      return html`${t('evChargeEnded')}
        <span class="status">${e.status}</span>
        ${e.failureCode ? html`· <code>${e.failureCode}</code> ${e.failureMessage ?? ''}` : ''}`;
    case 'charge.captured':
      return html`${t('evCaptured')} · ${money(locale, e.amount)}${e.releaseRemainingAmount ? html` · ${t('evReleased')}` : ''}`;
    case 'session.status':
      return html`${t('evStatus')} <span class="status">${e.status}</span>`;
    case 'refund.created':
      return html`${t('evRefundCreated')} · ${money(locale, e.amount)} · ${e.reason} <code>${e.clientReferenceId}</code>`;
    case 'refund.status':
      return html`${t('evRefundStatus')} <code>${e.refundId}</code> <span class="status">${e.status}</span>`;
    case 'callback':
      return html`${t('evCallback')} <code>${e.callback.event}</code> <span class="status">${e.callback.status}</span>`;
  }
}

function attemptsTable(t: Translate, callback: CallbackSummary): SafeHtml | string {
  if (callback.attempts.length === 0) return html`<p class="muted">${t('cbNoAttempts')}</p>`;
  return html`<div class="table-wrap attempts" tabindex="0" role="region" aria-label="${t('cbAttempts', { id: callback.id })}">
    <table>
      <thead>
        <tr>
          <th scope="col">${t('cbTime')}</th>
          <th scope="col">${t('cbHttp')}</th>
          <th scope="col">${t('cbLatency')}</th>
          <th scope="col">${t('cbResponse')}</th>
        </tr>
      </thead>
      <tbody>
        ${callback.attempts.map(
          (a) =>
            html`<tr>
              <td data-label="${t('cbTime')}">${time(a.attemptedAt)}</td>
              <td data-label="${t('cbHttp')}">${a.httpStatus ?? '-'}</td>
              <td data-label="${t('cbLatency')}">${a.latencyMs} ms</td>
              <td data-label="${t('cbResponse')}">
                ${a.error ? html`<span class="error-text">${a.error}</span>` : ''}
                ${a.responseExcerpt ? html`<pre class="excerpt">${a.responseExcerpt}</pre>` : ''}
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function callbackDetail(s: Shell, sessionId: string, callback: CallbackSummary): SafeHtml {
  const { t } = s;
  const canResend = can(s.role, 'payments.resend-callback') && callback.status !== 'DELIVERING';
  return html`<div class="callback">
    <p class="muted">
      <code>${callback.id}</code>
      ${callback.deliveredAt ? html` · ${t('cbDelivered', { at: time(callback.deliveredAt) })}` : ''}
      ${callback.nextAttemptAt ? html` · ${t('cbNext', { at: time(callback.nextAttemptAt) })}` : ''}
    </p>
    ${attemptsTable(t, callback)}
    ${
      canResend
        ? html`<form method="post" action="/dashboard/payments/${encodeURIComponent(sessionId)}/resend" class="inline">
            ${csrfField(s.csrfToken)}<input type="hidden" name="callbackId" value="${callback.id}" />
            <button type="submit">${t('cbResend')}<span class="visually-hidden"> ${callback.event} ${callback.id}</span></button>
          </form>`
        : ''
    }
  </div>`;
}

/** What the page needs to offer the refund form a fresh reference (also its idempotency key). */
export interface DetailOptions {
  refundReference: string;
}

function actionForms(s: Shell, timeline: PaymentTimeline, opts: DetailOptions): SafeHtml[] {
  const { t, role } = s;
  const session = timeline.session;
  const action = `/dashboard/payments/${encodeURIComponent(session.id)}`;
  const forms: SafeHtml[] = [];
  const issued = timeline.events.filter((e) => e.type === 'charge.issued');
  const paid = timeline.events.flatMap((e) => (e.type === 'charge.paid' ? [e] : []));
  const latest = issued[issued.length - 1];

  if (can(role, 'payments.cancel') && CANCELLABLE.includes(session.status)) {
    forms.push(
      html`<form method="post" action="${action}/cancel" class="action stack">
        <h3>${t('actCancel')}</h3>
        ${csrfField(s.csrfToken)}
        <label for="cancelReason">${t('actReason')}</label>
        <select id="cancelReason" name="reason">
          ${MERCHANT_CANCELLATION_REASONS.map((r) => html`<option value="${r}">${r}</option>`)}
        </select>
        <button type="submit" class="danger">${t('actCancelButton')}</button>
      </form>`,
    );
  }

  if (
    can(role, 'payments.capture') &&
    session.status === 'PROCESSING' &&
    latest?.type === 'charge.issued' &&
    latest.methodType === 'CARD' &&
    latest.status === 'WAITING_FOR_CAPTURE'
  ) {
    forms.push(
      html`<form method="post" action="${action}/capture" class="action stack">
        <h3>${t('actCapture')}</h3>
        ${csrfField(s.csrfToken)}
        <label for="captureAmount">${t('actAmount')}</label>
        <input id="captureAmount" name="amount" inputmode="numeric" maxlength="15" aria-describedby="captureHint" />
        <p id="captureHint" class="muted hint">${t('actCaptureHint')}</p>
        <label class="check"><input type="checkbox" name="release" value="1" /> ${t('actRelease')}</label>
        <button type="submit" class="primary">${t('actCaptureButton')}</button>
      </form>`,
    );
  }

  const refundable = session.paymentType === 'MULTIPLE' ? paid.length > 0 : session.status === 'PAID' && paid.length > 0;
  if (can(role, 'payments.refund') && refundable) {
    // A VA cannot send money back: its refunds are bank transfers and need an account (docs/refunds.md),
    // the form's or else the one the customer's refundPreference names.
    const customer = timeline.merchantData.customer;
    const preferred = refundPreferenceOf(isRecord(customer) ? customer : undefined).transferDestination;
    const needsDestination = session.methodType === 'VIRTUAL_ACCOUNT' && preferred === undefined;
    forms.push(
      html`<form method="post" action="${action}/refund" class="action stack">
        <h3>${t('actRefund')}</h3>
        ${csrfField(s.csrfToken)}
        <input type="hidden" name="clientReferenceId" value="${opts.refundReference}" />
        ${
          session.paymentType === 'MULTIPLE'
            ? html`<label for="refundCharge">${t('actCharge')}</label>
                <select id="refundCharge" name="chargeId">
                  ${paid.map((c) => html`<option value="${c.chargeId}">${c.chargeId} · ${money(s.locale, c.amount)}</option>`)}
                </select>`
            : ''
        }
        <fieldset>
          <legend>${t('actRefundHow')}</legend>
          <label class="check"><input type="radio" name="kind" value="full" checked /> ${t('actRefundFull')}</label>
          <label class="check"><input type="radio" name="kind" value="partial" /> ${t('actRefundPartial')}</label>
        </fieldset>
        <label for="refundAmount">${t('actAmount')}</label>
        <input id="refundAmount" name="amount" inputmode="numeric" maxlength="15" aria-describedby="refundAmountHint" />
        <p id="refundAmountHint" class="muted hint">${t('actRefundAmountHint')}</p>
        <label for="refundReason">${t('actReason')}</label>
        <select id="refundReason" name="reason">
          ${REFUND_REASONS.map((r) => html`<option value="${r}" ${r === 'REQUESTED_BY_CUSTOMER' ? html`selected` : ''}>${r}</option>`)}
        </select>
        ${
          needsDestination
            ? html`<fieldset class="stack">
                <legend>${t('actDestination')}</legend>
                <label for="destBank">${t('actBank')}</label>
                <select id="destBank" name="channelCode" required>
                  ${VA_CHANNELS.map((c) => html`<option value="${c}">${c}</option>`)}
                </select>
                <label for="destNumber">${t('actAccountNumber')}</label>
                <input id="destNumber" name="accountNumber" inputmode="numeric" maxlength="30" required />
                <label for="destName">${t('actAccountName')}</label>
                <input id="destName" name="accountName" maxlength="50" required />
              </fieldset>`
            : ''
        }
        <button type="submit" class="danger">${t('actRefundButton')}</button>
      </form>`,
    );
  }

  if (s.sandbox && can(role, 'payments.simulate') && PAYABLE.includes(session.status)) {
    const openAmount = session.paymentType === 'MULTIPLE' && session.amount.value === 0;
    forms.push(
      html`<form method="post" action="${action}/simulate" class="action stack">
        <h3>${t('actSimulate')}</h3>
        ${csrfField(s.csrfToken)}
        ${
          openAmount
            ? html`<label for="simulateAmount">${t('actAmount')}</label>
                <input id="simulateAmount" name="amount" inputmode="numeric" maxlength="15" />`
            : ''
        }
        <div class="inline">
          ${simulationOutcomesOf(session.methodType).map(
            (o) => html`<button type="submit" name="outcome" value="${o}">${t('actSimulateAs', { outcome: o })}</button>`,
          )}
        </div>
      </form>`,
    );
  }
  return forms;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** What the sandbox can play for the session's method (a card only expires); every outcome before one is chosen. */
function simulationOutcomesOf(methodType: string | null): readonly SimulationOutcome[] {
  const method = methodType !== null && isPaymentMethodType(methodType) ? methodOf(methodType) : undefined;
  return method ? method.simulationOutcomes : SIMULATION_OUTCOMES;
}

const pretty = (value: unknown) => (value === null || value === undefined ? '-' : JSON.stringify(value, null, 2));

export function paymentDetailPage(s: Shell, timeline: PaymentTimeline, opts: DetailOptions, notice?: Notice): SafeHtml {
  const { t } = s;
  const session = timeline.session;
  const forms = actionForms(s, timeline, opts);
  return shellPage(
    s,
    t('paymentTitle', { reference: session.clientReferenceId }),
    html`<p><a href="/dashboard/payments">${t('payBack')}</a></p>
      ${noticeBlock(notice)}
      <section class="card" aria-labelledby="summary">
        <h2 id="summary">${t('paySummary')}</h2>
        <dl class="grid">
          <dt>${t('payId')}</dt>
          <dd><code>${session.id}</code></dd>
          <dt>${t('payReference')}</dt>
          <dd><code>${session.clientReferenceId}</code></dd>
          <dt>${t('payAmount')}</dt>
          <dd>${money(s.locale, session.amount)}</dd>
          <dt>${t('payStatus')}</dt>
          <dd><span class="status">${session.status}</span></dd>
          <dt>${t('payType')}</dt>
          <dd>${session.paymentType} · ${session.mode}</dd>
          <dt>${t('payMethod')}</dt>
          <dd>${session.methodType ?? '-'}</dd>
          <dt>${t('payCreated')}</dt>
          <dd>${time(session.createdAt)}</dd>
          <dt>${t('payExpiry')}</dt>
          <dd>${session.expiryAt ? time(session.expiryAt) : '-'}</dd>
        </dl>
      </section>
      ${
        forms.length
          ? html`<section class="card" aria-labelledby="actions">
              <h2 id="actions">${t('payActions')}</h2>
              <div class="actions-grid">${forms}</div>
            </section>`
          : ''
      }
      <section class="card" aria-labelledby="timeline">
        <h2 id="timeline">${t('payTimeline')}</h2>
        ${timeline.chargesLeftOut > 0 ? html`<p class="muted">${t('payChargesLeftOut', { count: timeline.chargesLeftOut })}</p>` : ''}
        <ol class="timeline">
          ${timeline.events.map(
            (e) =>
              html`<li>
                <time datetime="${e.at}">${time(e.at)}</time>
                <div>${eventText(t, s.locale, e)}</div>
                ${e.type === 'callback' ? callbackDetail(s, session.id, e.callback) : ''}
              </li>`,
          )}
        </ol>
      </section>
      <section class="card" aria-labelledby="merchantData">
        <h2 id="merchantData">${t('payMerchantData')}</h2>
        <h3>customer</h3>
        <pre class="json">${pretty(timeline.merchantData.customer)}</pre>
        <h3>orderInformation</h3>
        <pre class="json">${pretty(timeline.merchantData.orderInformation)}</pre>
        <h3>metadata</h3>
        <pre class="json">${pretty(timeline.merchantData.metadata)}</pre>
      </section>`,
  );
}
