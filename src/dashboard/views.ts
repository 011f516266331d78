// Server-rendered dashboard views: pure functions from what a route loaded to HTML. Every value goes through
// the page's one escaper (page/html.ts); there is no inline script or style (the CSP forbids both).
import { can, type DashboardRole } from '../domain/dashboard-roles.ts';
import { html, type SafeHtml } from '../page/html.ts';
import type { AuditEntry } from '../usecases/audit-log.ts';
import type { DeveloperSettings } from '../usecases/dashboard-developers.ts';
import { isMessageKey, type Locale, type MessageKey, type Translate } from './i18n.ts';

export interface ViewEnv {
  locale: Locale;
  t: Translate;
  sandbox: boolean;
  css: string;
  /** The current path, for the language switch. */
  path: string;
}

/** The signed-in frame: who, which merchant, the CSRF token every form carries. */
export interface Shell extends ViewEnv {
  email: string;
  role: DashboardRole;
  merchantName: string | null;
  csrfToken: string;
  active: 'developers' | 'audit' | 'merchants' | 'overview' | 'callbacks' | 'payments';
}

export const OVERLAP_CHOICES = [0, 3_600_000, 86_400_000, 604_800_000] as const;

function overlapLabel(t: Translate, ms: number): string {
  const key = `overlap${ms}`;
  return isMessageKey(key) ? t(key) : `${ms / 1000} s`;
}

/** Dates in UTC, to the second: operators compare them with logs. */
export function formatTime(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function switchHref(env: ViewEnv): string {
  const other: Locale = env.locale === 'id' ? 'en' : 'id';
  const [path, query = ''] = env.path.split('?');
  const params = new URLSearchParams(query);
  params.set('lang', other);
  return `${path}?${params.toString()}`;
}

function document(env: ViewEnv, title: string, inner: SafeHtml): SafeHtml {
  const other: Locale = env.locale === 'id' ? 'en' : 'id';
  const { t } = env;
  return html`<!doctype html>
    <html lang="${env.locale}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <title>${title} · ${t('brand')} ${t('dashboard')}</title>
        <link rel="stylesheet" href="${env.css}" />
      </head>
      <body>
        <a class="skip" href="#main">${t('skipToContent')}</a>
        ${inner}
        <p class="lang-switch">
          <a href="${switchHref(env)}" hreflang="${other}" lang="${other}">${t('switchLanguage')}</a>
        </p>
      </body>
    </html>`;
}

export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="csrf" value="${token}" />`;
}

export function shellPage(s: Shell, title: string, body: SafeHtml): SafeHtml {
  const { t } = s;
  const link = (key: Shell['active'], href: string, label: MessageKey) =>
    html`<li><a href="${href}" ${s.active === key ? html`aria-current="page"` : ''}>${t(label)}</a></li>`;
  return document(
    s,
    title,
    html`<header class="bar">
        <div class="bar-top">
          <span class="brand">${t('brand')} <span class="muted">${t('dashboard')}</span></span>
          ${s.merchantName !== null ? html`<span class="merchant">${s.merchantName}</span>` : ''}
        </div>
        <nav aria-label="${t('mainNav')}">
          <ul class="nav">
            ${s.role === 'operator' ? link('merchants', '/dashboard/merchants', 'navMerchants') : ''}
            ${s.merchantName !== null && can(s.role, 'overview.read') ? link('overview', '/dashboard/overview', 'navOverview') : ''}
            ${s.merchantName !== null ? link('payments', '/dashboard/payments', 'navPayments') : ''}
            ${s.merchantName !== null && can(s.role, 'callbacks.read') ? link('callbacks', '/dashboard/callbacks', 'navCallbacks') : ''}
            ${s.merchantName !== null ? link('developers', '/dashboard/developers', 'navDevelopers') : ''}
            ${can(s.role, 'audit.read') ? link('audit', '/dashboard/audit', 'navAudit') : ''}
          </ul>
        </nav>
        <div class="who">
          <span>${t('signedInAs', { email: s.email, role: t(`role_${s.role}`) })}</span>
          <form method="post" action="/dashboard/sign-out">
            ${csrfField(s.csrfToken)}<button type="submit" class="link">${t('signOut')}</button>
          </form>
        </div>
      </header>
      ${s.sandbox ? html`<p class="sandbox" role="note">${t('sandboxBanner')}</p>` : ''}
      <main id="main">
        <h1>${title}</h1>
        ${body}
      </main>`,
  );
}

export function signInPage(env: ViewEnv, csrf: string, notice?: { kind: 'error' | 'info'; text: string }, email = ''): SafeHtml {
  const { t } = env;
  return document(
    env,
    t('signInTitle'),
    html`${env.sandbox ? html`<p class="sandbox" role="note">${t('sandboxBanner')}</p>` : ''}
      <main id="main" class="narrow">
        <p class="brand">${t('brand')} <span class="muted">${t('dashboard')}</span></p>
        <h1>${t('signInTitle')}</h1>
        ${notice ? html`<p class="notice ${notice.kind}" role="${notice.kind === 'error' ? 'alert' : 'status'}">${notice.text}</p>` : ''}
        <form method="post" action="/dashboard/sign-in" class="card stack">
          ${csrfField(csrf)}
          <label for="email">${t('email')}</label>
          <input id="email" name="email" type="email" autocomplete="username" required maxlength="254" value="${email}" />
          <label for="password">${t('password')}</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="200" />
          <button type="submit" class="primary">${t('signIn')}</button>
        </form>
      </main>`,
  );
}

export function errorPage(env: ViewEnv, message: string, signedIn: boolean): SafeHtml {
  const { t } = env;
  return document(
    env,
    t('errorTitle'),
    html`<main id="main" class="narrow">
      <p class="brand">${t('brand')} <span class="muted">${t('dashboard')}</span></p>
      <h1>${t('errorTitle')}</h1>
      <p class="notice error">${message}</p>
      <p><a href="${signedIn ? '/dashboard' : '/dashboard/sign-in'}">${t('backToDashboard')}</a></p>
    </main>`,
  );
}

export function merchantsPage(s: Shell, merchants: { id: string; name: string }[], currentId: string | null): SafeHtml {
  const { t } = s;
  const rows = merchants.map(
    (m) =>
      html`<li class="row">
        <span><strong>${m.name}</strong><br /><code>${m.id}</code></span>
        ${
          m.id === currentId
            ? html`<span class="badge">${t('current')}</span>`
            : html`<form method="post" action="/dashboard/merchants">
                ${csrfField(s.csrfToken)}<input type="hidden" name="merchantId" value="${m.id}" />
                <button type="submit">${t('choose')}<span class="visually-hidden"> ${m.name}</span></button>
              </form>`
        }
      </li>`,
  );
  return shellPage(
    s,
    t('merchantsTitle'),
    html`<p>${t('merchantsIntro')}</p>
      ${
        merchants.length
          ? html`<ul class="card list">
              ${rows}
            </ul>`
          : html`<p>${t('noMerchants')}</p>`
      }`,
  );
}

/** What a developers-screen action has to say once: a fresh secret, or how it went. */
export interface DevelopersNotice {
  kind: 'info' | 'error' | 'secret';
  text: string;
  secret?: string;
}

export function developersPage(s: Shell, settings: DeveloperSettings, notice?: DevelopersNotice): SafeHtml {
  const { t, role } = s;
  const rotate = can(role, 'credentials.rotate');
  const setUrl = can(role, 'developers.set-callback-url');
  const test = can(role, 'developers.test-callback');
  const seesKey = can(role, 'credentials.read');
  const post = (action: string, label: MessageKey, extra: SafeHtml | string = '', cls = '') =>
    html`<form method="post" action="/dashboard/developers/${action}" class="inline">
      ${csrfField(s.csrfToken)}${extra}<button type="submit" class="${cls}">${t(label)}</button>
    </form>`;
  const overlapSelect = html`<label for="overlap">${t('overlap')}</label>
    <select id="overlap" name="overlapMs">
      ${OVERLAP_CHOICES.map((ms) => html`<option value="${ms}" ${ms === 86_400_000 ? html`selected` : ''}>${overlapLabel(t, ms)}</option>`)}
    </select>`;
  return shellPage(
    s,
    t('developersTitle'),
    html`${
        notice
          ? html`<div
              class="notice ${notice.kind === 'error' ? 'error' : 'info'}"
              role="${notice.kind === 'error' ? 'alert' : 'status'}"
            >
              <p>${notice.text}</p>
              ${notice.secret !== undefined ? html`<p><code class="secret">${notice.secret}</code></p>` : ''}
            </div>`
          : ''
      }
      ${!rotate && !test ? html`<p class="muted">${t('readOnly')}</p>` : ''}
      <section class="card" aria-labelledby="creds">
        <h2 id="creds">${t('credentialsTitle')}</h2>
        <dl>
          <dt>${t('clientId')}</dt>
          <dd><code>${settings.clientId}</code></dd>
          <dt>${t('clientSecret')}</dt>
          <dd>${t('clientSecretHidden')}</dd>
        </dl>
        ${
          rotate
            ? html`<p class="muted">${t('rotateClientSecretWarning')}</p>
                ${post('client-secret', 'rotateClientSecret', '', 'danger')}`
            : ''
        }
      </section>
      <section class="card" aria-labelledby="cbs">
        <h2 id="cbs">${t('callbacksTitle')}</h2>
        ${
          setUrl
            ? html`<form method="post" action="/dashboard/developers/callback-url" class="stack">
                ${csrfField(s.csrfToken)}
                <label for="callbackUrl">${t('callbackUrl')}</label>
                <input
                  id="callbackUrl"
                  name="callbackUrl"
                  type="url"
                  maxlength="2048"
                  required
                  value="${settings.callbackUrl ?? ''}"
                  aria-describedby="callbackUrlHint"
                />
                <p id="callbackUrlHint" class="muted">${t('callbackUrlHint')}</p>
                <button type="submit">${t('save')}</button>
              </form>`
            : html`<dl>
                <dt>${t('callbackUrl')}</dt>
                <dd>${settings.callbackUrl ?? t('noCallbackUrl')}</dd>
              </dl>`
        }
        ${test ? post('test-callback', 'sendTestCallback') : ''}
        <dl>
          <dt>${t('callbackApiKey')}</dt>
          <dd>${seesKey ? html`<code>${settings.callbackApiKey}</code>` : t('callbackApiKeyHidden')}</dd>
        </dl>
        ${rotate ? post('callback-api-key', 'rotateCallbackApiKey') : ''}
      </section>
      <section class="card" aria-labelledby="whs">
        <h2 id="whs">${t('webhookTitle')}</h2>
        <p>${t('webhookIntro')}</p>
        ${
          settings.previousWebhookSecretUntil
            ? html`<p class="muted">${t('webhookOverlapActive', { until: formatTime(settings.previousWebhookSecretUntil) })}</p>`
            : ''
        }
        ${rotate ? post('webhook-secret', 'rotateWebhookSecret', overlapSelect, 'danger') : ''}
      </section>`,
  );
}

export function auditPage(
  s: Shell,
  entries: AuditEntry[],
  page: { page: number; totalPages: number },
  showMerchant: boolean,
): SafeHtml {
  const { t } = s;
  const who = (e: AuditEntry) => (e.actor.kind === 'api' ? t('auditApi', { id: e.actor.id }) : (e.actor.email ?? e.actor.id));
  const detail = (e: AuditEntry) =>
    e.detail
      ? Object.entries(e.detail)
          .map(([k, v]) => `${k}: ${String(v)}`)
          .join(', ')
      : '';
  const pages = Math.max(page.totalPages, 1);
  return shellPage(
    s,
    t('auditTitle'),
    entries.length === 0
      ? html`<p>${t('auditEmpty')}</p>`
      : html`<div class="table-wrap" tabindex="0" role="region" aria-label="${t('auditTitle')}">
            <table>
              <thead>
                <tr>
                  <th scope="col">${t('auditWhen')}</th>
                  <th scope="col">${t('auditWho')}</th>
                  <th scope="col">${t('auditWhat')}</th>
                  <th scope="col">${t('auditResource')}</th>
                  ${showMerchant ? html`<th scope="col">${t('auditMerchant')}</th>` : ''}
                </tr>
              </thead>
              <tbody>
                ${entries.map(
                  (e) =>
                    html`<tr>
                      <td data-label="${t('auditWhen')}">${formatTime(e.at)}</td>
                      <td data-label="${t('auditWho')}">${who(e)}</td>
                      <td data-label="${t('auditWhat')}">
                        <code>${e.action}</code>${detail(e) ? html`<br /><span class="muted">${detail(e)}</span>` : ''}
                      </td>
                      <td data-label="${t('auditResource')}">${e.resource.type} <code>${e.resource.id}</code></td>
                      ${showMerchant ? html`<td data-label="${t('auditMerchant')}"><code>${e.merchantId ?? '-'}</code></td>` : ''}
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>
          <nav class="pager" aria-label="${t('pageOf', { page: page.page, pages })}">
            ${page.page > 1 ? html`<a href="/dashboard/audit?page=${page.page - 1}" rel="prev">${t('previous')}</a>` : ''}
            <span>${t('pageOf', { page: page.page, pages })}</span>
            ${page.page < pages ? html`<a href="/dashboard/audit?page=${page.page + 1}" rel="next">${t('next')}</a>` : ''}
          </nav>`,
  );
}
