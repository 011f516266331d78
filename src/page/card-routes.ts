// The card step's posts (/detail/card, /detail/saved-card) and, in the sandbox, the 3-D Secure ACS
// stand-in at /detail/acs; registered by the plugin with its PageKit.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Refusal } from '../domain/refusal.ts';
import type { Session } from '../domain/session.ts';
import { cancelChallenge, payWithCardOnPage, payWithSavedCardOnPage, submitOtp } from '../usecases/card-payment.ts';
import { savedCardsForPage } from '../usecases/customers.ts';
import { acsHref, acsPage, cardEntryOf, cardFormErrors, cardPage } from './card-views.ts';
import { remainingSeconds } from './format.ts';
import type { Locale } from './i18n.ts';
import { PageError } from './page-error.ts';
import type { PageKit } from './plugin.ts';
import { outcomeOf } from './return-url.ts';
import { pageHref, type SessionPage } from './views.ts';
import { memberOf } from '../domain/json.ts';

/** The card form's posts; a challenged card goes on to the sandbox ACS page (`sandbox`), else back to the page. */
export function cardRoutes(app: FastifyInstance, kit: PageKit, sandbox: boolean): void {
  const { ctx, assertSameOrigin, load, localeOf, field, sessionPage, sendHtml } = kit;
  app.post('/detail/card', { schema: { hide: true } }, async (request, reply) => {
    assertSameOrigin(request);
    const { token, session } = await load(request, field(request, 'token'));
    const locale = localeOf(request);
    const charge = session.charges[session.charges.length - 1];
    if (!charge?.card || session.status !== 'REQUIRE_ACTION') throw new PageError(409, 'errorStateTitle', 'errorState', token);
    const text = (name: string) => {
      const value = field(request, name);
      return typeof value === 'string' ? value.slice(0, 200) : '';
    };
    const form = { cardNumber: text('cardNumber'), expiry: text('expiry'), cvc: text('cvc'), holderName: text('holderName') };
    const errors = cardFormErrors(form, ctx.now());
    if (Object.keys(errors).length) {
      // The number and CVC are not written back: the shopper types them again.
      const p = sessionPage(reply, locale, token, session);
      return sendHtml(reply, cardPage(p, charge, errors, { expiry: form.expiry, holderName: form.holderName }), 422);
    }
    const after = await payWithCardOnPage(ctx, session, cardEntryOf(form));
    const waiting = after.charges[after.charges.length - 1]?.status === 'WAITING_FOR_AUTHENTICATION';
    return reply.redirect(waiting && sandbox ? acsHref(token, locale) : pageHref(token, locale), 303);
  });

  app.post('/detail/saved-card', { schema: { hide: true } }, async (request, reply) => {
    assertSameOrigin(request);
    const { token, session } = await load(request, field(request, 'token'));
    const locale = localeOf(request);
    const charge = session.charges[session.charges.length - 1];
    if (!charge?.card || session.status !== 'REQUIRE_ACTION') throw new PageError(409, 'errorStateTitle', 'errorState', token);
    const savedToken = field(request, 'savedCard');
    const cvc = field(request, 'cvc');
    if (typeof savedToken !== 'string' || typeof cvc !== 'string') throw new PageError(400, 'errorTitle', 'errorState', token);
    let after: Session;
    try {
      after = await payWithSavedCardOnPage(ctx, session, savedToken.slice(0, 200), cvc.slice(0, 20));
    } catch (error) {
      if (!(error instanceof Refusal) || error.details[0]?.field !== 'cvc') throw error;
      const p = sessionPage(reply, locale, token, session);
      p.savedCards = await savedCardsForPage(ctx, session);
      p.savedCardError = savedToken;
      return sendHtml(reply, cardPage(p, charge), 422);
    }
    const waiting = after.charges[after.charges.length - 1]?.status === 'WAITING_FOR_AUTHENTICATION';
    return reply.redirect(waiting && sandbox ? acsHref(token, locale) : pageHref(token, locale), 303);
  });
}

/** Sandbox only: the bank's 3-D Secure page, where the shopper types the OTP or cancels. */
export function acsRoutes(app: FastifyInstance, kit: PageKit): void {
  const { ctx, assertSameOrigin, localeOf, field, sendHtml, pageEnv, afterSandboxStep } = kit;
  // REDIRECT sessions reach the ACS through their page token, API-mode card sessions through the paymentUrl confirm set.
  const loadAcs = kit.loadLinked;
  const waitingCharge = (session: Session) => {
    const charge = session.charges[session.charges.length - 1];
    return charge?.status === 'WAITING_FOR_AUTHENTICATION' && session.status === 'PROCESSING' ? charge : undefined;
  };
  /** Out of the ACS page: REDIRECT sessions back to their page, API-mode ones to their status and return URL. */
  const afterAcs = (reply: FastifyReply, locale: Locale, token: string, session: Session) =>
    afterSandboxStep(reply, locale, token, session, acsHref);

  app.get('/detail/acs', { schema: { hide: true } }, async (request, reply) => {
    const { token, session } = await loadAcs(request, memberOf(request.query, 'token'));
    const locale = localeOf(request);
    const charge = waitingCharge(session);
    if (!charge) {
      if (session.mode !== 'REDIRECT' && !outcomeOf(session)) throw new PageError(409, 'errorStateTitle', 'errorState');
      return afterAcs(reply, locale, token, session);
    }
    const p: SessionPage = { ...pageEnv(locale), token, session, remaining: remainingSeconds(session.expiryAt, ctx.now()) };
    return sendHtml(reply, acsPage(p, charge, false));
  });

  app.post('/detail/acs', { schema: { hide: true } }, async (request, reply) => {
    assertSameOrigin(request);
    const { token, session } = await loadAcs(request, field(request, 'token'));
    const locale = localeOf(request);
    if (!waitingCharge(session)) return afterAcs(reply, locale, token, session);
    const otp = field(request, 'otp');
    const after =
      field(request, 'action') === 'cancel'
        ? await cancelChallenge(ctx, session)
        : await submitOtp(ctx, session, typeof otp === 'string' ? otp.trim().slice(0, 20) : '');
    const stillWaiting = waitingCharge(after);
    if (stillWaiting) {
      const p: SessionPage = {
        ...pageEnv(locale),
        token,
        session: after,
        remaining: remainingSeconds(after.expiryAt, ctx.now()),
      };
      return sendHtml(reply, acsPage(p, stillWaiting, true), 422);
    }
    return afterAcs(reply, locale, token, after);
  });
}
