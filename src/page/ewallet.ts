// The e-wallet step of the hosted page: the wallets in the picker, and the charge page — DANA and ShopeePay
// send the shopper to the wallet to sign in and approve; OVO asks for the shopper's OVO number (unless the
// merchant gave it) and waits for them to approve the push on their phone. In the sandbox the page links
// to Kasir's own wallet and phone pages (sandbox-wallet.ts); in production nothing answers for the wallet,
// so the charge waits like a VA or QR does.
import type { FastifyInstance } from 'fastify';
import { EWALLETS } from '../domain/methods/ewallet.ts';
import { maskMobile, toE164 } from '../domain/mobile-number.ts';
import type { EwalletChannel } from '../domain/payment-methods.ts';
import type { Charge, EwalletCharge, Session } from '../domain/session.ts';
import type { SimulationOutcome } from '../domain/statuses.ts';
import { nameWalletAccount } from '../usecases/wallet-authorization.ts';
import { html, type SafeHtml } from './html.ts';
import type { Locale } from './i18n.ts';
import type { PageKit } from './plugin.ts';
import { formFields, head, pageHref, sandboxPanel, sessionLayout, summary, type SessionPage } from './views.ts';

export function walletHref(token: string, locale: Locale): string {
  return `/detail/wallet?token=${encodeURIComponent(token)}&lang=${locale}`;
}

export function phoneHref(token: string, locale: Locale): string {
  return `/detail/phone?token=${encodeURIComponent(token)}&lang=${locale}`;
}

/** The session's e-wallet charge, if its latest charge is one. */
export function walletChargeOf(session: Session): (Charge & { ewallet: EwalletCharge }) | undefined {
  const charge = session.charges[session.charges.length - 1];
  return charge?.ewallet ? { ...charge, ewallet: charge.ewallet } : undefined;
}

/**
 * The field a wallet's account number is typed into (a form's `mobileNumber`): the phone keypad and the
 * browser's own number; `pattern` and a `hint` under it where the form asks for a number's shape.
 */
export function mobileNumberInput(field: { id: string; testId: string; pattern?: string; hint?: string }): SafeHtml {
  const hintId = `${field.id}-hint`;
  return html`<input
      id="${field.id}"
      name="mobileNumber"
      type="tel"
      inputmode="tel"
      autocomplete="tel"
      required
      maxlength="20"
      ${field.pattern ? html`pattern="${field.pattern}"` : ''}
      ${field.hint ? html`aria-describedby="${hintId}"` : ''}
      data-testid="${field.testId}"
    />
    ${field.hint ? html`<p id="${hintId}" class="muted small">${field.hint}</p>` : ''}`;
}

/** A text badge standing in for the wallet's logo (no third-party images on the page). */
export function walletBadge(channel: EwalletChannel): SafeHtml {
  const text = { DANA: 'DANA', SHOPEEPAY: 'SPay', OVO: 'OVO' }[channel];
  return html`<span class="logo wallet-${channel.toLowerCase()}" aria-hidden="true">${text}</span>`;
}

/** E-wallets in the picker: a button per wallet the session's amount fits. */
export function ewalletPickerSection(p: SessionPage, channels: readonly EwalletChannel[]): SafeHtml {
  return html`<fieldset>
    <legend>${p.t('ewallet')}</legend>
    <div class="banks">
      ${channels.map(
        (c) =>
          html`<button class="method" name="method" value="EWALLET:${c}" data-testid="choose-${c.toLowerCase()}">
            ${walletBadge(c)}<span>${EWALLETS[c].name}</span>
          </button>`,
      )}
    </div>
  </fieldset>`;
}

function waiting(p: SessionPage, text: string): SafeHtml {
  const { t } = p;
  return html`<div class="wait" role="status"><span class="spinner" aria-hidden="true"></span><span>${text}</span></div>
    <p class="muted small">${t('liveNote')}</p>
    <p><a class="btn ghost" href="${pageHref(p.token, p.locale)}">${t('checkStatus')}</a></p>`;
}

/** DANA, ShopeePay: off to the wallet (the sandbox's own wallet page; a real one needs a processor). */
function redirectStep(p: SessionPage, charge: Charge, wallet: string): SafeHtml {
  const { t } = p;
  if (charge.status === 'PROCESSING') return waiting(p, t('processing'));
  const signedIn = charge.status === 'WAITING_FOR_AUTHENTICATION';
  return html`<p>${t('ewalletRedirectNote', { wallet })}</p>
    ${
      p.sandbox
        ? html`<p>
            <a class="btn primary" href="${walletHref(p.token, p.locale)}" data-testid="open-wallet"
              >${signedIn ? t('ewalletOpenAgain', { wallet }) : t('ewalletOpen', { wallet })}</a
            >
          </p>`
        : html`<p class="note">${t('ewalletAppNote', { wallet })}</p>`
    }
    ${waiting(p, signedIn ? t('ewalletWaitingApproval', { wallet }) : t('waiting'))}`;
}

/** OVO: the number the push goes to, then the wait for the shopper's approval on their phone. */
function pushStep(p: SessionPage, charge: Charge & { ewallet: EwalletCharge }, wallet: string): SafeHtml {
  const { t } = p;
  const number = charge.ewallet.mobileNumber;
  if (!number) {
    return html`<form method="post" action="/detail/account" class="stack">
      ${formFields(p)}
      <label for="mobile">${t('ovoNumberLabel')}</label>
      ${mobileNumberInput({ id: 'mobile', testId: 'ovo-number', pattern: '[+]?[0-9 -]{8,19}', hint: t('ovoNumberHint') })}
      <button class="btn primary" data-testid="ovo-send">${t('ovoSend')}</button>
    </form>`;
  }
  if (charge.status === 'PROCESSING') return waiting(p, t('processing'));
  return html`<p data-testid="ovo-sent">${t('ovoSent', { number: maskMobile(number) })}</p>
    <p>${t('ovoApproveNote')}</p>
    ${
      p.sandbox
        ? html`<p><a class="btn" href="${phoneHref(p.token, p.locale)}" data-testid="open-phone">${t('openSandboxPhone')}</a></p>`
        : ''
    }
    ${waiting(p, t('ewalletWaitingApproval', { wallet }))}`;
}

export function ewalletPage(p: SessionPage, charge: Charge, outcomes: readonly SimulationOutcome[]): SafeHtml {
  const walletCharge = charge.ewallet ? { ...charge, ewallet: charge.ewallet } : undefined;
  if (!walletCharge) throw new Error(`e-wallet charge ${charge.id} has no wallet`);
  const { name, flow } = EWALLETS[walletCharge.ewallet.channel];
  const title = p.t('ewalletStepTitle', { wallet: name });
  const step = flow === 'redirect' ? redirectStep(p, charge, name) : pushStep(p, walletCharge, name);
  const body = html`${head(p)}
    <section class="card" aria-labelledby="ew-h">
      <h2 id="ew-h">${walletBadge(walletCharge.ewallet.channel)} ${title}</h2>
      ${step}
    </section>
    ${summary(p)} ${sandboxPanel(p, outcomes)}`;
  return sessionLayout(p, title, body, true);
}

/** The OVO number form: in the sandbox and in production alike, the shopper names the account to push to. */
export function ewalletRoutes(app: FastifyInstance, kit: PageKit): void {
  app.post('/detail/account', { schema: { hide: true } }, async (request, reply) => {
    kit.assertSameOrigin(request);
    const { token, session } = await kit.load(request, kit.field(request, 'token'));
    const charge = walletChargeOf(session);
    if (!charge || EWALLETS[charge.ewallet.channel].flow !== 'push') kit.refuse(404, 'methodUnavailable', token);
    const raw = kit.field(request, 'mobileNumber');
    if (typeof raw !== 'string' || !toE164(raw)) kit.refuse(400, 'numberInvalid', token);
    await nameWalletAccount(kit.ctx, session, raw);
    return reply.redirect(pageHref(token, kit.localeOf(request)), 303);
  });
}
