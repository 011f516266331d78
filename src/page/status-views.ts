// The pages a shopper ends on: a session's outcome (paid, refunded, failed, cancelled, expired) with how
// they paid, and the error page.
import type { Session } from '../domain/session.ts';
import { formatRupiah } from './format.ts';
import { html, row, type SafeHtml } from './html.ts';
import type { Outcome } from './return-url.ts';
import { layout, sessionLayout, type PageEnv, type SessionPage } from './views.ts';

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
      ${row(outcome === 'paid' ? t('amountPaid') : t('amount'), formatRupiah(session.amount.value), { valueClass: 'num strong' })}
      ${refunded > 0 ? row(t('amountRefunded'), formatRupiah(refunded), { valueClass: 'num strong', testid: 'amount-refunded' }) : ''}
      ${row(t('payTo'), session.statementDescriptor)}
      ${row(t('orderReference'), session.clientReferenceId, { valueClass: 'break' })}
      ${paidWith ? row(t('paymentMethod'), paidWith.method, { testid: 'paid-with' }) : ''}
      ${paidWith?.account ? row(t('account'), paidWith.account, { valueClass: 'num', testid: 'paid-account' }) : ''}
      ${paidWith?.reason ? row(t('failureReason'), paidWith.reason, { testid: 'failure-reason' }) : ''}
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
