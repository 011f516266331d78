// One payment's page as a pure function to HTML: summary, the actions the role and state allow, the
// timeline with every callback attempt, and the merchant's data as sent. Every value goes through
// page/html.ts's escaper, merchant text and callback excerpts included.
import { can } from '../domain/dashboard-roles.ts';
import { VA_CHANNELS } from '../domain/payment-methods.ts';
import { refundPreferenceOf } from '../domain/refund.ts';
import { CANCELLABLE, PAYABLE } from '../domain/session-state.ts';
import {
  MERCHANT_CANCELLATION_REASONS,
  REFUND_REASONS,
  SIMULATION_OUTCOMES,
  isPaymentMethodType,
  type SimulationOutcome,
} from '../domain/statuses.ts';
import { methodOf } from '../domain/methods/registry.ts';
import { html, type SafeHtml } from '../page/html.ts';
import type { CallbackSummary, PaymentTimeline, TimelineEvent } from '../usecases/dashboard/timeline.ts';
import type { Translate } from './i18n.ts';
import { money, noticeBlock, time, type Notice } from './payment-views.ts';
import { csrfField, shellPage, type Shell } from './views.ts';
import { isJsonObject } from '../domain/json.ts';

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
    const preferred = refundPreferenceOf(isJsonObject(customer) ? customer : undefined).transferDestination;
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
