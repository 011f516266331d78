// The Callbacks screen: undelivered callbacks with the reason of their last attempt, a filter, and the
// resend forms (one, or all of the filter) for roles that may resend. Pure functions to HTML; every value —
// a receiver's response excerpt above all — goes through page/html.ts's escaper.
import { can } from '../domain/dashboard-roles.ts';
import { CALLBACK_EVENTS, RESOURCE_TYPES } from '../domain/statuses.ts';
import { html, type SafeHtml } from '../page/html.ts';
import {
  RESEND_BATCH_LIMIT,
  UNDELIVERED_STATUSES,
  type UndeliveredCallback,
  type UndeliveredQuery,
} from '../usecases/dashboard/callbacks.ts';
import { isMessageKey, type Translate } from './i18n.ts';
import { resourceLink } from './overview-views.ts';
import { csrfField, formatTime, shellPage, type Shell } from './views.ts';

/** What a resend said, shown above the list. */
export interface CallbacksNotice {
  kind: 'info' | 'error';
  lines: string[];
}

/** How long a receiver's answer may be on the list; the payment's timeline shows each attempt whole. */
const EXCERPT_CHARS = 160;

/** The filter as query-string pairs, for links and the resend-all form. */
export function filterParams(query: UndeliveredQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.status) params.set('status', query.status);
  if (query.resourceType) params.set('resourceType', query.resourceType);
  if (query.event) params.set('event', query.event);
  return params;
}

function label(t: Translate, key: string, fallback: string): string {
  return isMessageKey(key) ? t(key) : fallback;
}

function filterForm(s: Shell, query: UndeliveredQuery): SafeHtml {
  const { t } = s;
  const select = (
    name: string,
    heading: string,
    values: readonly string[],
    current: string | undefined,
    text: (v: string) => string,
  ) =>
    html`<div class="field">
      <label for="f-${name}">${heading}</label>
      <select id="f-${name}" name="${name}">
        <option value="">${t('cbFilterAny')}</option>
        ${values.map((v) => html`<option value="${v}" ${v === current ? html`selected` : ''}>${text(v)}</option>`)}
      </select>
    </div>`;
  return html`<form method="get" action="/dashboard/callbacks" class="card filters" aria-label="${t('cbFilter')}">
    ${select('status', t('cbFilterStatus'), UNDELIVERED_STATUSES, query.status, (v) => label(t, `cbStatus_${v}`, v))}
    ${select('resourceType', t('cbFilterResource'), RESOURCE_TYPES, query.resourceType, (v) => label(t, `cbResource_${v}`, v))}
    ${select('event', t('cbFilterEvent'), CALLBACK_EVENTS, query.event, (v) => v)}
    <button type="submit">${t('cbFilterApply')}</button>
  </form>`;
}

function lastAttempt(t: Translate, c: UndeliveredCallback): SafeHtml {
  const a = c.lastAttempt;
  if (!a) return html`<span class="muted">${t('cbNoAttempt')}</span>`;
  const excerpt =
    a.responseExcerpt && a.responseExcerpt.length > EXCERPT_CHARS
      ? `${a.responseExcerpt.slice(0, EXCERPT_CHARS)}…`
      : a.responseExcerpt;
  return html`${formatTime(new Date(a.attemptedAt))} ·
  ${a.httpStatus !== null ? html`<strong>${t('cbHttpStatus', { status: a.httpStatus })}</strong>` : ''}
  ${a.error !== null ? html`<strong>${a.error}</strong>` : ''} · ${t('cbLatency', { ms: a.latencyMs })}
  ${excerpt ? html`<br /><code class="excerpt">${excerpt}</code>` : ''}`;
}

function row(s: Shell, c: UndeliveredCallback, query: UndeliveredQuery, resend: boolean): SafeHtml {
  const { t } = s;
  return html`<tr>
    <td data-label="${t('cbCreated')}">${formatTime(new Date(c.createdAt))}</td>
    <td data-label="${t('cbEvent')}"><code>${c.event}</code><br /><span class="muted">${c.id}</span></td>
    <td data-label="${t('cbResource')}">
      ${label(t, `cbResource_${c.resourceType}`, c.resourceType)}<br />${resourceLink(c.resourceType, c.resourceId)}
    </td>
    <td data-label="${t('cbState')}">
      <span class="state state-${c.status.toLowerCase()}">${label(t, `cbStatus_${c.status}`, c.status)}</span><br />
      <span class="muted">${t('cbAttempts', { count: c.attemptCount })}</span>
      ${c.nextAttemptAt ? html`<br /><span class="muted">${t('cbNextAttempt', { at: formatTime(new Date(c.nextAttemptAt)) })}</span>` : ''}
    </td>
    <td data-label="${t('cbLastAttempt')}">${lastAttempt(t, c)}</td>
    ${
      resend
        ? html`<td data-label="${t('cbAction')}">
            <form method="post" action="/dashboard/callbacks/${encodeURIComponent(c.id)}/resend">
              ${csrfField(s.csrfToken)}${hiddenFilter(query)}
              <button type="submit">${t('cbResend')}<span class="visually-hidden"> ${c.event} ${c.id}</span></button>
            </form>
          </td>`
        : ''
    }
  </tr>`;
}

function hiddenFilter(query: UndeliveredQuery): SafeHtml {
  return html`${[...filterParams(query)].map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`)}`;
}

export function callbacksPage(
  s: Shell,
  query: UndeliveredQuery,
  list: { callbacks: UndeliveredCallback[]; nextCursor: string | null },
  onLaterPage: boolean,
  notice?: CallbacksNotice,
): SafeHtml {
  const { t } = s;
  const resend = can(s.role, 'callbacks.resend');
  const params = filterParams(query);
  const href = (cursor?: string) => {
    const p = new URLSearchParams(params);
    if (cursor) p.set('cursor', cursor);
    const text = p.toString();
    return text ? `/dashboard/callbacks?${text}` : '/dashboard/callbacks';
  };
  return shellPage(
    s,
    t('callbacksScreenTitle'),
    html`${
        notice
          ? html`<div class="notice ${notice.kind}" role="${notice.kind === 'error' ? 'alert' : 'status'}">
              ${notice.lines.map((line) => html`<p>${line}</p>`)}
            </div>`
          : ''
      }
      <p class="muted">${t('callbacksIntro')}</p>
      ${filterForm(s, query)}
      ${
        resend && list.callbacks.length > 0
          ? html`<form method="post" action="/dashboard/callbacks/resend" class="inline">
              ${csrfField(s.csrfToken)}${hiddenFilter(query)}
              <button type="submit" class="primary">${t('cbResendAll')}</button>
              <span class="muted">${t('cbResendAllHint', { limit: RESEND_BATCH_LIMIT })}</span>
            </form>`
          : ''
      }
      ${
        list.callbacks.length === 0
          ? html`<p class="card">${t('cbEmpty')}</p>`
          : html`<div class="table-wrap" tabindex="0" role="region" aria-label="${t('callbacksScreenTitle')}">
              <table>
                <thead>
                  <tr>
                    <th scope="col">${t('cbCreated')}</th>
                    <th scope="col">${t('cbEvent')}</th>
                    <th scope="col">${t('cbResource')}</th>
                    <th scope="col">${t('cbState')}</th>
                    <th scope="col">${t('cbLastAttempt')}</th>
                    ${resend ? html`<th scope="col">${t('cbAction')}</th>` : ''}
                  </tr>
                </thead>
                <tbody>
                  ${list.callbacks.map((c) => row(s, c, query, resend))}
                </tbody>
              </table>
            </div>`
      }
      ${
        onLaterPage || list.nextCursor
          ? html`<nav class="pager" aria-label="${t('callbacksScreenTitle')}">
              ${onLaterPage ? html`<a href="${href()}">${t('cbFirstPage')}</a>` : ''}
              ${list.nextCursor ? html`<a href="${href(list.nextCursor)}" rel="next">${t('cbMore')}</a>` : ''}
            </nav>`
          : ''
      }`,
  );
}
