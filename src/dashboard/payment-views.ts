// The Payments list as a pure function to HTML: the filter form, the results and their pager, and what one
// payment's page (payment-detail-views.ts) shows the same way: money, times, a notice. Every value goes
// through page/html.ts's escaper.
import { EWALLET_CHANNELS, VA_CHANNELS } from '../domain/payment-methods.ts';
import { PAYMENT_METHOD_TYPES, SESSION_STATUSES } from '../domain/statuses.ts';
import { html, type SafeHtml } from '../page/html.ts';
import type { PaymentRow } from '../usecases/dashboard/payments.ts';
import { formatTime, shellPage, type Shell } from './views.ts';

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

export function money(locale: Shell['locale'], amount: { value: number; currency: string }): string {
  return `${amount.currency} ${amount.value.toLocaleString(locale === 'id' ? 'id-ID' : 'en-US')}`;
}

export const time = (iso: string) => formatTime(new Date(iso));

export function noticeBlock(notice: Notice | undefined): SafeHtml | string {
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
