// Sandbox only: Kasir playing the e-wallet. A wallet page for DANA and ShopeePay (sign in with a mobile
// number, enter the OTP, approve or cancel) and a phone page for OVO (the pending push, approved with the
// PIN or rejected). Pivot's test numbers decide what the wallet answers (domain/methods/ewallet.ts); the
// OTP and PIN are 000000. Both pages work from the payment page's token and send the shopper back to it.
// Registered by the page plugin in the sandbox only: in production these paths do not exist (404).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EWALLETS, type WalletFlow } from '../domain/methods/ewallet.ts';
import { maskMobile, toE164 } from '../domain/mobile-number.ts';
import { Refusal } from '../domain/refusal.ts';
import type { Session } from '../domain/session.ts';
import { answerWallet, nameWalletAccount, type WalletReply } from '../usecases/wallet-authorization.ts';
import { mobileNumberInput, phoneHref, walletBadge, walletChargeOf, walletHref } from './ewallet.ts';
import { formatRupiah } from './format.ts';
import { html, row, type SafeHtml } from './html.ts';
import type { Locale, MessageKey } from './i18n.ts';
import type { PageKit } from './plugin.ts';
import { outcomeOf } from './return-url.ts';
import { formFields, layout, pageHref, type SessionPage } from './views.ts';
import { memberOf } from '../domain/json.ts';

const TEST_NUMBERS: ReadonlyArray<[string, MessageKey]> = [
  ['08111111001', 'sandboxNumberPaid'],
  ['08111111002', 'sandboxNumberProcessing'],
  ['08111111003', 'sandboxNumberFailed'],
  ['08111111004', 'sandboxNumberExpired'],
];

function testNumbers(p: SessionPage): SafeHtml {
  const { t } = p;
  return html`<section class="card sim" aria-labelledby="numbers-h">
    <h2 id="numbers-h">${t('sandboxNumbers')}</h2>
    <dl class="rows">
      ${TEST_NUMBERS.map(
        ([number, outcome]) =>
          html`<div>
            <dt class="num">${number}</dt>
            <dd>${t(outcome)}</dd>
          </div>`,
      )}
    </dl>
    <p class="muted small">${t('sandboxNumberOther')} ${t('walletOtpHint')}</p>
  </section>`;
}

function otherLocale(locale: Locale): Locale {
  return locale === 'id' ? 'en' : 'id';
}

function payee(p: SessionPage): SafeHtml {
  const { t, session } = p;
  return html`<dl class="rows">
    ${row(t('payTo'), session.statementDescriptor)}
    ${row(t('total'), formatRupiah(session.amount.value), { rowClass: 'total', valueClass: 'num', testid: 'wallet-amount' })}
  </dl>`;
}

function problem(text: string | undefined): SafeHtml {
  return text ? html`<p class="problem" role="alert" data-testid="wallet-error">${text}</p>` : html``;
}

/** The wallet's own screen: its colours and name, then the step. */
function walletScreen(p: SessionPage, title: string, step: SafeHtml, href: (token: string, locale: Locale) => string): SafeHtml {
  const channel = walletChargeOf(p.session)?.ewallet.channel;
  const brand = channel ? html`${walletBadge(channel)} ${EWALLETS[channel].name}` : '';
  const body = html`<section class="card wallet wallet-${channel?.toLowerCase() ?? 'none'}" aria-labelledby="wallet-h">
      <p class="wallet-brand">${brand} <span class="muted small">sandbox</span></p>
      <h1 id="wallet-h">${title}</h1>
      ${step}
    </section>
    ${testNumbers(p)}`;
  return layout(p, title, body, { switchHref: href(p.token, otherLocale(p.locale)) });
}

/** Back to the payment page; an API-mode session has none (its shopper came from the merchant's own page). */
const backLink = (p: SessionPage) =>
  p.session.mode === 'REDIRECT'
    ? html`<p><a class="btn ghost" href="${pageHref(p.token, p.locale)}">${p.t('backToPayment')}</a></p>`
    : html``;

function signInScreen(p: SessionPage, wallet: string, error?: string): SafeHtml {
  const { t } = p;
  const step = html`${payee(p)}
    <form method="post" action="/detail/wallet/sign-in" class="stack">
      ${formFields(p)}
      <label for="wallet-number">${t('walletNumberLabel')}</label>
      ${mobileNumberInput({ id: 'wallet-number', testId: 'wallet-number' })} ${problem(error)}
      <button class="btn primary" data-testid="wallet-continue">${t('walletContinue')}</button>
    </form>
    ${cancelForm(p, '/detail/wallet/answer')}`;
  return walletScreen(p, t('walletSignInTitle', { wallet }), step, walletHref);
}

function cancelForm(p: SessionPage, action: string): SafeHtml {
  return html`<form method="post" action="${action}">
    ${formFields(p)}<button class="btn ghost" name="decision" value="cancel" data-testid="wallet-cancel">
      ${p.t('walletCancel')}
    </button>
  </form>`;
}

function otpScreen(p: SessionPage, number: string, error?: string): SafeHtml {
  const { t } = p;
  const step = html`${payee(p)}
    <p>${t('walletOtpSent', { number: maskMobile(number) })}</p>
    <form method="post" action="/detail/wallet/answer" class="stack">
      ${formFields(p)}
      <label for="otp">${t('walletOtpLabel')}</label>
      <input
        id="otp"
        name="otp"
        inputmode="numeric"
        autocomplete="one-time-code"
        required
        pattern="[0-9]{6}"
        maxlength="6"
        aria-describedby="otp-hint"
        data-testid="wallet-otp"
      />
      <p id="otp-hint" class="muted small">${t('walletOtpHint')}</p>
      ${problem(error)}
      <button class="btn primary" name="decision" value="approve" data-testid="wallet-pay">
        ${t('walletPay', { amount: formatRupiah(p.session.amount.value) })}
      </button>
      <button class="btn ghost" name="decision" value="cancel" formnovalidate data-testid="wallet-cancel">
        ${t('walletCancel')}
      </button>
    </form>`;
  return walletScreen(p, t('walletOtpTitle'), step, walletHref);
}

function phoneScreen(p: SessionPage, error?: string): SafeHtml {
  const { t, session } = p;
  const charge = walletChargeOf(session);
  const number = charge?.ewallet.mobileNumber;
  const pending =
    number &&
    !outcomeOf(session) &&
    (charge.status === 'WAITING_FOR_USER_ACTION' || charge.status === 'WAITING_FOR_AUTHENTICATION');
  const step = pending
    ? html`<div class="push" data-testid="push">
        <p class="strong">${t('phonePushTitle')}</p>
        <p>
          ${t('phonePushBody', {
            merchant: session.statementDescriptor,
            amount: formatRupiah(session.amount.value),
            number: maskMobile(number),
          })}
        </p>
        <form method="post" action="/detail/phone/answer" class="stack">
          ${formFields(p)}
          <label for="pin">${t('phonePinLabel')}</label>
          <input
            id="pin"
            name="otp"
            type="password"
            inputmode="numeric"
            autocomplete="off"
            required
            pattern="[0-9]{6}"
            maxlength="6"
            aria-describedby="pin-hint"
            data-testid="phone-pin"
          />
          <p id="pin-hint" class="muted small">${t('phonePinHint')}</p>
          ${problem(error)}
          <button class="btn primary" name="decision" value="approve" data-testid="phone-approve">${t('phoneApprove')}</button>
          <button class="btn ghost" name="decision" value="cancel" formnovalidate data-testid="phone-reject">
            ${t('phoneReject')}
          </button>
        </form>
      </div>`
    : html`<p data-testid="no-push">${t('phoneNoPush')}</p>`;
  return walletScreen(p, t('phoneTitle'), html`${step}${backLink(p)}`, phoneHref);
}

/** The wallet's (or phone's) reply from a form: cancel, or approve with the code typed. */
function replyOf(decision: unknown, otp: unknown): WalletReply | undefined {
  if (decision === 'cancel') return { approve: false };
  if (decision === 'approve') return { approve: true, otp: typeof otp === 'string' ? otp.trim() : '' };
  return undefined;
}

export function sandboxWalletRoutes(app: FastifyInstance, kit: PageKit): void {
  /** The session, refused unless its charge is an e-wallet of this flow (a DANA charge has no phone push). */
  async function walletSession(request: FastifyRequest, raw: unknown, flow: WalletFlow) {
    // The wallet is also an API-mode session's paymentUrl (Pivot's deeplink); the phone only follows a page.
    const { token, session } = flow === 'redirect' ? await kit.loadLinked(request, raw) : await kit.load(request, raw);
    const charge = walletChargeOf(session);
    if (!charge || EWALLETS[charge.ewallet.channel].flow !== flow) kit.refuse(404, 'methodUnavailable', token);
    return { token, session, charge };
  }

  /** Sends the wallet's answer; a wrong code is shown on the same screen for another try. */
  async function answer(
    reply: FastifyReply,
    p: SessionPage,
    session: Session,
    walletReply: WalletReply,
    again: (error: string) => SafeHtml,
    wrongKey: MessageKey,
    stepHref: (token: string, locale: Locale) => string,
  ) {
    let after: Session;
    try {
      after = await answerWallet(kit.ctx, session, walletReply);
    } catch (error) {
      if (error instanceof Refusal && error.kind === 'validation') return kit.sendHtml(reply, again(p.t(wrongKey)), 400);
      throw error;
    }
    return kit.afterSandboxStep(reply, p.locale, p.token, after, stepHref);
  }

  app.get('/detail/wallet', { schema: { hide: true } }, async (request, reply) => {
    const { token, session, charge } = await walletSession(request, memberOf(request.query, 'token'), 'redirect');
    const locale = kit.localeOf(request);
    if (outcomeOf(session)) return kit.afterSandboxStep(reply, locale, token, session, walletHref);
    const p = kit.sessionPage(reply, locale, token, session);
    const wallet = EWALLETS[charge.ewallet.channel].name;
    if (charge.status === 'WAITING_FOR_USER_ACTION') return kit.sendHtml(reply, signInScreen(p, wallet));
    if (charge.status === 'WAITING_FOR_AUTHENTICATION' && charge.ewallet.mobileNumber) {
      return kit.sendHtml(reply, otpScreen(p, charge.ewallet.mobileNumber));
    }
    return kit.sendHtml(
      reply,
      walletScreen(
        p,
        p.t('processing'),
        html`<p>${p.t('walletNothingToDo')}</p>
          ${backLink(p)}`,
        walletHref,
      ),
    );
  });

  app.post('/detail/wallet/sign-in', { schema: { hide: true } }, async (request, reply) => {
    kit.assertSameOrigin(request);
    const { token, session, charge } = await walletSession(request, kit.field(request, 'token'), 'redirect');
    const locale = kit.localeOf(request);
    const raw = kit.field(request, 'mobileNumber');
    if (typeof raw !== 'string' || !toE164(raw)) {
      const p = kit.sessionPage(reply, locale, token, session);
      return kit.sendHtml(reply, signInScreen(p, EWALLETS[charge.ewallet.channel].name, p.t('numberInvalid')), 400);
    }
    await nameWalletAccount(kit.ctx, session, raw);
    return reply.redirect(walletHref(token, locale), 303);
  });

  app.post('/detail/wallet/answer', { schema: { hide: true } }, async (request, reply) => {
    kit.assertSameOrigin(request);
    const { token, session, charge } = await walletSession(request, kit.field(request, 'token'), 'redirect');
    const walletReply = replyOf(kit.field(request, 'decision'), kit.field(request, 'otp'));
    if (!walletReply) kit.refuse(400, 'errorRequest', token);
    const p = kit.sessionPage(reply, kit.localeOf(request), token, session);
    const number = charge.ewallet.mobileNumber ?? '';
    return answer(reply, p, session, walletReply, (error) => otpScreen(p, number, error), 'walletOtpWrong', walletHref);
  });

  app.get('/detail/phone', { schema: { hide: true } }, async (request, reply) => {
    const { token, session } = await walletSession(request, memberOf(request.query, 'token'), 'push');
    return kit.sendHtml(reply, phoneScreen(kit.sessionPage(reply, kit.localeOf(request), token, session)));
  });

  app.post('/detail/phone/answer', { schema: { hide: true } }, async (request, reply) => {
    kit.assertSameOrigin(request);
    const { token, session } = await walletSession(request, kit.field(request, 'token'), 'push');
    const walletReply = replyOf(kit.field(request, 'decision'), kit.field(request, 'otp'));
    if (!walletReply) kit.refuse(400, 'errorRequest', token);
    const p = kit.sessionPage(reply, kit.localeOf(request), token, session);
    return answer(reply, p, session, walletReply, (error) => phoneScreen(p, error), 'phonePinWrong', phoneHref);
  });
}
