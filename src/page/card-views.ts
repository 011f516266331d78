// The card step of the hosted page: the picker's card button, the card form (the number and CVC are
// never written back into a page, not even after a mistake), the wait for 3-D Secure, and the sandbox
// ACS page that plays the issuing bank. Every value goes through the `html` template's escaping.
import {
  cardProblems,
  isExpired,
  luhnValid,
  networkOf,
  normaliseExpiry,
  normaliseNumber,
  type CardEntry,
} from '../domain/card/pan.ts';
import { CHALLENGE_TEST_CARDS, FRICTIONLESS_TEST_CARDS, testCardNumber } from '../domain/card/sandbox-cards.ts';
import { otpAttemptsLeft } from '../domain/card/three-ds.ts';
import type { Charge } from '../domain/session.ts';
import { formatRupiah } from './format.ts';
import { html, row, type SafeHtml } from './html.ts';
import type { Locale, MessageKey } from './i18n.ts';
import { formFields, head, layout, sandboxPanel, sessionLayout, summary, waitingNote, type SessionPage } from './views.ts';

/** The card form's fields as posted: `expiry` is "MM/YY" (or MM/YYYY) in one box, as cards print it. */
export interface CardForm {
  cardNumber: string;
  expiry: string;
  cvc: string;
  holderName: string;
}

export type CardFormErrors = Partial<Record<keyof CardForm, MessageKey>>;

export function cardEntryOf(form: CardForm): CardEntry {
  const [month = '', year = ''] = form.expiry.split('/').map((part) => part.trim());
  return { number: form.cardNumber, expMonth: month, expYear: year, cvc: form.cvc.trim(), holderName: form.holderName };
}

/** Which message each bad field gets, from the same rules the server enforces (domain/card/pan.ts). */
export function cardFormErrors(form: CardForm, now: Date): CardFormErrors {
  const entry = cardEntryOf(form);
  const errors: CardFormErrors = {};
  for (const problem of cardProblems(entry, now)) {
    if (problem.field === 'number') {
      const digits = normaliseNumber(entry.number);
      errors.cardNumber =
        /^[0-9]{12,19}$/.test(digits) && luhnValid(digits) && !networkOf(digits) ? 'cardErrNetwork' : 'cardErrNumber';
    } else if (problem.field === 'expiry') {
      const expiry = normaliseExpiry(entry.expMonth, entry.expYear);
      errors.expiry = expiry && isExpired(expiry.expMonth, expiry.expYear, now) ? 'cardErrExpired' : 'cardErrExpiry';
    } else if (problem.field === 'cvc') {
      errors.cvc = 'cardErrCvc';
    } else if (problem.field === 'holderName') {
      errors.holderName = 'cardErrHolder';
    }
  }
  return errors;
}

export function cardPickerSection(p: SessionPage): SafeHtml {
  const { t } = p;
  return html`<fieldset>
    <legend>${t('card')}</legend>
    <button class="method" name="method" value="CARD" data-testid="choose-card">
      <span class="logo card-logo" aria-hidden="true">CARD</span
      ><span><strong>${t('card')}</strong><span class="muted small block">${t('cardHint')}</span></span>
    </button>
  </fieldset>`;
}

/** The sandbox ACS page for this session, in `locale`. */
export function acsHref(token: string, locale: Locale): string {
  return `/detail/acs?token=${encodeURIComponent(token)}&lang=${locale}`;
}

/** The brand and last four digits, as the status page and the ACS page show the card. */
export function maskedCard(charge: Charge): string | undefined {
  const card = charge.card?.card;
  return card ? `${card.brand} •••• ${card.last4}` : undefined;
}

function field(
  p: SessionPage,
  name: keyof CardForm,
  label: MessageKey,
  attrs: SafeHtml,
  errors: CardFormErrors,
  value = '',
  hint?: MessageKey,
): SafeHtml {
  const error = errors[name];
  const describedBy = [hint ? `${name}-hint` : '', `${name}-error`].filter(Boolean).join(' ');
  return html`<div class="field">
    <label for="${name}">${p.t(label)}</label>
    <input
      id="${name}"
      name="${name}"
      value="${value}"
      ${attrs}
      aria-describedby="${describedBy}"
      ${error ? html`aria-invalid="true"` : ''}
    />
    ${hint ? html`<span class="muted small block" id="${name}-hint">${p.t(hint)}</span>` : ''}
    <span class="field-error" id="${name}-error" data-error-for="${name}" role="alert">${error ? p.t(error) : ''}</span>
  </div>`;
}

function testCards(p: SessionPage): SafeHtml {
  if (!p.sandbox) return html``;
  const { t } = p;
  const rows: Array<[string, MessageKey]> = [
    [FRICTIONLESS_TEST_CARDS.VISA, 'testFrictionless'],
    [CHALLENGE_TEST_CARDS.VISA, 'testChallenge'],
    [testCardNumber('VISA', '0001'), 'testDeclined'],
    [testCardNumber('VISA', '0010'), 'testInsufficient'],
  ];
  return html`<section class="card sim" aria-labelledby="tc-h">
    <h2 id="tc-h">${t('testCardsTitle')}</h2>
    <ul class="test-cards">
      ${rows.map(
        ([number, label]) =>
          html`<li>
            <span class="num strong" data-testid="test-card">${number.replace(/(\d{4})(?=\d)/g, '$1 ')}</span
            ><span class="muted small block">${t(label)}</span>
          </li>`,
      )}
    </ul>
    <p class="muted small">${t('testCardsNote')}</p>
  </section>`;
}

/** showSavedPayment: each saved card as its own small form — only the CVC is asked, the number never shown. */
function savedCards(p: SessionPage): SafeHtml {
  const cards = p.savedCards ?? [];
  if (cards.length === 0) return html``;
  const { t } = p;
  return html`<section class="saved-cards" aria-labelledby="saved-h" data-testid="saved-cards">
    <h3 id="saved-h">${t('savedCardsTitle')}</h3>
    ${cards.map((card, i) => {
      const name = `${card.brand} •••• ${card.last4}`;
      const failed = p.savedCardError === card.token;
      return html`<form method="post" action="/detail/saved-card" class="saved-card" novalidate>
        ${formFields(p)}
        <input type="hidden" name="savedCard" value="${card.token}" />
        <div class="field">
          <label for="saved-cvc-${i}">${t('savedCardCvcLabel', { card: name })}</label>
          <input
            id="saved-cvc-${i}"
            name="cvc"
            type="password"
            inputmode="numeric"
            autocomplete="cc-csc"
            maxlength="3"
            required
            data-testid="saved-card-cvc"
            aria-describedby="saved-cvc-${i}-error"
            ${failed ? html`aria-invalid="true"` : ''}
          />
          <span class="field-error" id="saved-cvc-${i}-error" role="alert">${failed ? t('cardErrCvc') : ''}</span>
        </div>
        <button class="btn primary" data-testid="saved-card-pay">${t('savedCardPay', { card: name })}</button>
      </form>`;
    })}
    <p class="muted small">${t('savedCardOther')}</p>
  </section>`;
}

/** The card form (charge waiting for the card), the way to the ACS page, or the wait for the processor. */
export function cardPage(p: SessionPage, charge: Charge, errors: CardFormErrors = {}, kept: Partial<CardForm> = {}): SafeHtml {
  const { t } = p;
  const amount = formatRupiah(charge.amount.value);
  let step: SafeHtml;
  if (charge.status === 'WAITING_FOR_USER_ACTION') {
    const invalid = Object.keys(errors).length > 0;
    step = html`${savedCards(p)}
      <form
        method="post"
        action="/detail/card"
        class="card-form"
        data-card-form
        novalidate
        data-err-number="${t('cardErrNumber')}"
        data-err-network="${t('cardErrNetwork')}"
        data-err-expiry="${t('cardErrExpiry')}"
        data-err-expired="${t('cardErrExpired')}"
        data-err-cvc="${t('cardErrCvc')}"
        data-err-holder="${t('cardErrHolder')}"
      >
        ${formFields(p)} ${invalid ? html`<p class="note" role="alert" data-testid="card-errors">${t('cardCheck')}</p>` : ''}
        ${field(p, 'cardNumber', 'cardNumber', html`type="text" inputmode="numeric" autocomplete="cc-number" maxlength="23" required data-testid="card-number"`, errors)}
        <span class="muted small" data-card-brand aria-live="polite"></span>
        <div class="field-row">
          ${field(p, 'expiry', 'cardExpiry', html`type="text" inputmode="numeric" autocomplete="cc-exp" placeholder="MM/YY" maxlength="7" required data-testid="card-expiry"`, errors, kept.expiry ?? '')}
          ${field(p, 'cvc', 'cardCvc', html`type="password" inputmode="numeric" autocomplete="cc-csc" maxlength="3" required data-testid="card-cvc"`, errors, '', 'cardCvcHint')}
        </div>
        ${field(p, 'holderName', 'cardHolder', html`type="text" autocomplete="cc-name" maxlength="100" required data-testid="card-holder"`, errors, kept.holderName ?? '')}
        <button class="btn primary" data-testid="card-pay">${t('cardPay', { amount })}</button>
        <p class="muted small"><span class="lock" aria-hidden="true"></span>${t('cardSafe')}</p>
      </form>`;
  } else if (charge.status === 'WAITING_FOR_AUTHENTICATION' && p.sandbox) {
    step = html`<p>${t('cardWaitingAcs')}</p>
      <p>
        <a class="btn primary" href="${acsHref(p.token, p.locale)}" data-testid="continue-acs">${t('cardContinueAcs')}</a>
      </p>`;
  } else {
    const masked = maskedCard(charge);
    step = html`${masked ? html`<p class="num" data-testid="masked-card">${masked}</p>` : ''}${waitingNote(p)}`;
  }
  const body = html`${head(p)}
    <section class="card" aria-labelledby="card-h">
      <h2 id="card-h">${t('cardStepTitle')}</h2>
      ${step}
    </section>
    ${charge.status === 'WAITING_FOR_USER_ACTION' ? testCards(p) : ''} ${summary(p)} ${sandboxPanel(p, ['EXPIRED'])}`;
  return sessionLayout(p, t('cardStepTitle'), body, true);
}

/**
 * The sandbox ACS page: Kasir playing the card's issuing bank. It looks like a separate bank page on
 * purpose (no order summary, the bank's name on top), so testers see where 3-D Secure happens.
 */
export function acsPage(p: SessionPage, charge: Charge, wrongOtp: boolean): SafeHtml {
  const { t, session } = p;
  const amount = formatRupiah(charge.amount.value);
  const body = html`<section class="card acs" aria-labelledby="acs-h" data-testid="acs">
    <p class="label">${t('acsBank')}</p>
    <h1 id="acs-h">${t('acsTitle')}</h1>
    <p>${t('acsIntro', { amount, merchant: session.statementDescriptor })}</p>
    <dl class="rows">
      ${row(t('acsCard'), maskedCard(charge) ?? '', { valueClass: 'num' })}
      ${row(t('amount'), amount, { valueClass: 'num strong' })}
    </dl>
    <form method="post" action="/detail/acs">
      ${formFields(p)}
      <div class="field">
        <label for="otp">${t('acsOtp')}</label>
        <span class="muted small block" id="otp-hint">${t('acsHint')}</span>
        <input
          id="otp"
          name="otp"
          type="text"
          inputmode="numeric"
          autocomplete="one-time-code"
          maxlength="6"
          aria-describedby="otp-hint otp-error"
          ${wrongOtp ? html`aria-invalid="true"` : ''}
          data-testid="otp"
        />
        <span class="field-error" id="otp-error" role="alert" data-testid="otp-error"
          >${wrongOtp ? t('acsWrongOtp', { left: otpAttemptsLeft(charge) }) : ''}</span
        >
      </div>
      <button class="btn primary" name="action" value="verify" data-testid="otp-submit">${t('acsSubmit')}</button>
      <button class="btn ghost" name="action" value="cancel" formnovalidate data-testid="acs-cancel">${t('acsCancel')}</button>
    </form>
  </section>`;
  // The switch stays on the ACS page: the shopper is mid-verification, and the OTP form posts the language on.
  const other: Locale = p.locale === 'id' ? 'en' : 'id';
  return layout(p, t('acsTitle'), body, { switchHref: acsHref(p.token, other) });
}
