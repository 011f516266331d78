// The hosted payment page: GET /detail?token=<JWT> (the paymentUrl of every REDIRECT session), its form
// posts (method picker, sandbox simulation; a method's own in ewallet.ts, card-routes.ts and
// sandbox-wallet.ts), a JSON status endpoint for live updates, the QR download
// and the page's two static assets. Reads and changes go through use cases (the changes the same ones as
// the merchant API); a domain Refusal becomes a friendly 4xx page, never a 5xx.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import type { KasirEnv } from '../config.ts';
import { Refusal } from '../domain/refusal.ts';
import type { MethodChoice, Session } from '../domain/session.ts';
import { isOneOf, memberOf } from '../domain/json.ts';
import { SIMULATION_OUTCOMES } from '../domain/statuses.ts';
import type { Context } from '../usecases/context.ts';
import { isDatabaseUnavailable } from '../usecases/health.ts';
import { RETRY_AFTER_SECONDS, ShuttingDown } from '../api/errors.ts';
import { confirmOnPage, sessionOfPageToken } from '../usecases/page-session.ts';
import { isCrossSite } from '../security/same-origin.ts';
import { sessionOfAcsToken } from '../usecases/card-payment.ts';
import { savedCardsForPage } from '../usecases/customers.ts';
import { viewAt } from '../domain/session-state.ts';
import { acsRoutes, cardRoutes } from './card-routes.ts';
import { simulatePayment } from '../usecases/simulate-payment.ts';
import { loadAssets } from './assets.ts';
import { DEFAULT_CSP, contentSecurityPolicy, htmlSecurityHeaders } from './headers.ts';
import { remainingSeconds } from './format.ts';
import type { SafeHtml } from './html.ts';
import { pickLocale, translator, type Locale, type MessageKey, type Translate } from './i18n.ts';
import { PageError } from './page-error.ts';
import { qrPng } from './qr.ts';
import { DEFAULT_PAGE_RATE_LIMITS, pageRateLimiters, type PageRateLimits } from './rate-limits.ts';
import { outcomeOf, returnOrigins, returnUrlFor } from './return-url.ts';
import { ewalletRoutes } from './ewallet.ts';
import { sandboxWalletRoutes } from './sandbox-wallet.ts';
import { PICKER_ORDER, STEPS, stepOf } from './steps.ts';
import { errorPage, statusPage, type PaidWith } from './status-views.ts';
import { confirmPage, pageHref, pickerPage, unsupportedPage, type PageEnv, type SessionPage } from './views.ts';

export interface PagePluginOptions {
  env: KasirEnv;
  publicUrl: string;
  /** Seconds the status page waits before sending the shopper back (default 5). */
  statusRedirectSeconds?: number;
  limits?: PageRateLimits;
}

const MAX_TOKEN_LENGTH = 4096;

/**
 * What a page module (a method's own routes, the sandbox wallet) needs from the plugin: the token check,
 * the same-origin check, the session page with its CSP, and the plugin's friendly errors.
 */
export interface PageKit {
  ctx: Context;
  /** The session a page token names, as it stands now; a friendly 400/404 otherwise. */
  load(request: FastifyRequest, raw: unknown): Promise<{ token: string; session: Session }>;
  assertSameOrigin(request: FastifyRequest): void;
  localeOf(request: FastifyRequest): Locale;
  field(request: FastifyRequest, name: string): unknown;
  /** The page's view of the session; sets the CSP its forms need (they may end at the merchant's return URL). */
  sessionPage(reply: FastifyReply, locale: Locale, token: string, session: Session): SessionPage;
  /** The locale's dictionary and the page's assets, for a page that keeps the default CSP (the ACS page). */
  pageEnv(locale: Locale): PageEnv;
  sendHtml(reply: FastifyReply, page: SafeHtml, status?: number): FastifyReply;
  /** Throws the plugin's friendly error page, with a link back to the payment page when `backToken` is given. */
  refuse(statusCode: number, messageKey: MessageKey, backToken?: string): never;
  /**
   * For the sandbox's stand-ins (ACS, wallet), which API-mode sessions reach through their paymentUrl too:
   * the session a page token names in either mode.
   */
  loadLinked(request: FastifyRequest, raw: unknown): Promise<{ token: string; session: Session }>;
  /**
   * Out of a sandbox step: a REDIRECT session back to its payment page; an API-mode one, which has no
   * page, to the merchant's return URL once it is over, else back to the step (`stepHref`).
   */
  afterSandboxStep(
    reply: FastifyReply,
    locale: Locale,
    token: string,
    session: Session,
    stepHref: (token: string, locale: Locale) => string,
  ): Promise<FastifyReply>;
}

export function pagePlugin(ctx: Context, options: PagePluginOptions): (app: FastifyInstance) => Promise<void> {
  const sandbox = options.env === 'sandbox';
  const ownOrigin = new URL(options.publicUrl).origin;
  const redirectSeconds = options.statusRedirectSeconds ?? 5;
  const assets = loadAssets();
  const verifiedTokens = new WeakMap<FastifyRequest, string>();

  function localeOf(request: FastifyRequest): Locale {
    return pickLocale(memberOf(request.body, 'lang') ?? memberOf(request.query, 'lang'), request.headers['accept-language']);
  }

  function pageEnv(locale: Locale): PageEnv {
    return { locale, t: translator(locale), sandbox, assets: { css: assets.css.path, js: assets.js.path } };
  }

  async function load(request: FastifyRequest, raw: unknown): Promise<{ token: string; session: Session }> {
    if (typeof raw !== 'string' || raw === '') throw new PageError(400, 'errorTitle', 'errorMissingToken');
    const session = raw.length <= MAX_TOKEN_LENGTH ? await sessionOfPageToken(ctx, raw) : undefined;
    if (!session) throw new PageError(404, 'errorTitle', 'errorInvalidLink');
    verifiedTokens.set(request, raw);
    return { token: raw, session };
  }

  async function loadLinked(request: FastifyRequest, raw: unknown): Promise<{ token: string; session: Session }> {
    if (typeof raw !== 'string' || raw === '' || raw.length > MAX_TOKEN_LENGTH)
      throw new PageError(400, 'errorTitle', 'errorMissingToken');
    const session = await sessionOfAcsToken(ctx, raw);
    if (!session) throw new PageError(404, 'errorTitle', 'errorInvalidLink');
    if (session.mode === 'REDIRECT') verifiedTokens.set(request, raw);
    return { token: raw, session: viewAt(session, ctx.now()) };
  }

  async function afterSandboxStep(
    reply: FastifyReply,
    locale: Locale,
    token: string,
    session: Session,
    stepHref: (token: string, locale: Locale) => string,
  ): Promise<FastifyReply> {
    if (session.mode === 'REDIRECT') return reply.redirect(pageHref(token, locale), 303);
    if (!outcomeOf(session)) return reply.redirect(stepHref(token, locale), 303);
    return render(reply, locale, token, session);
  }

  /** The signed token is the capability; on top, refuse posts a browser says came from another site. */
  function assertSameOrigin(request: FastifyRequest): void {
    if (isCrossSite(request.headers, ownOrigin)) throw new PageError(403, 'errorTitle', 'errorForbidden');
  }

  function sendHtml(reply: FastifyReply, page: SafeHtml, status = 200) {
    return reply.code(status).type('text/html; charset=utf-8').send(page.value);
  }

  function sessionPage(reply: FastifyReply, locale: Locale, token: string, session: Session): SessionPage {
    reply.header('content-security-policy', contentSecurityPolicy(returnOrigins(session)));
    return { ...pageEnv(locale), token, session, remaining: remainingSeconds(session.expiryAt, ctx.now()) };
  }

  /** The status page's "paid with": what the method says (cards: brand, last 4, why it failed), else its label and masked account. */
  function paidWith(session: Session, t: Translate): PaidWith | undefined {
    const charge = session.charges[session.charges.length - 1];
    const step = session.paymentMethod ? stepOf(session.paymentMethod.type) : undefined;
    if (!session.paymentMethod || !step) return undefined;
    const told = charge && step.paidWith?.(charge, t);
    if (told) return told;
    const account = charge && step.account?.(charge);
    return { method: step.label(session.paymentMethod), ...(account && { account }) };
  }

  async function render(reply: FastifyReply, locale: Locale, token: string, session: Session) {
    const p = sessionPage(reply, locale, token, session);
    const outcome = outcomeOf(session);
    if (outcome) {
      const target = returnUrlFor(session, outcome);
      if (target && session.bypassStatusPage) return reply.redirect(target, 303);
      // The Refresh header sends the shopper back with or without JavaScript (a <meta> refresh would
      // work too, but screen-reader audits flag it); the page shows the countdown and a button.
      if (target) reply.header('refresh', `${redirectSeconds}; url=${target}`);
      return sendHtml(reply, statusPage(p, outcome, target, redirectSeconds, paidWith(session, p.t)));
    }
    if (session.status === 'REQUIRE_PAYMENT_METHOD') {
      const sections = PICKER_ORDER.map((type) => STEPS[type].pickerSection(p)).filter((s) => s !== undefined);
      return sendHtml(reply, pickerPage(p, sections));
    }
    const chosen = session.paymentMethod;
    const step = chosen ? stepOf(chosen.type) : undefined;
    if (session.status === 'REQUIRE_CONFIRMATION' && chosen && step) return sendHtml(reply, confirmPage(p, step.label(chosen)));
    const charge = session.charges[session.charges.length - 1];
    const chargeStep = charge ? stepOf(charge.methodType) : undefined;
    if (charge?.card && charge.status === 'WAITING_FOR_USER_ACTION') p.savedCards = await savedCardsForPage(ctx, session);
    if (charge && chargeStep) return sendHtml(reply, await chargeStep.render(p, charge));
    return sendHtml(reply, unsupportedPage(p));
  }

  function field(request: FastifyRequest, name: string): unknown {
    return memberOf(request.body, name);
  }

  /** The page token a request names, in its query (GET) or form (POST). */
  function tokenOf(request: FastifyRequest): string | undefined {
    const token = field(request, 'token') ?? memberOf(request.query, 'token');
    return typeof token === 'string' && token !== '' ? token : undefined;
  }

  return async (app: FastifyInstance) => {
    await app.register(formbody, { bodyLimit: 16 * 1024 });
    const limit = await pageRateLimiters(app, options.limits ?? DEFAULT_PAGE_RATE_LIMITS, tokenOf);
    app.addHook('onRequest', htmlSecurityHeaders());
    // By address before the body is read; by token once it is (a form post carries its token in the body).
    app.addHook('onRequest', limit.byAddress);
    app.addHook('preHandler', limit.byToken);

    app.setErrorHandler((error, request, reply) => {
      const locale = localeOf(request);
      const env = pageEnv(locale);
      const t = env.t;
      let status: number;
      let title: MessageKey = 'errorTitle';
      let message: MessageKey;
      let back = verifiedTokens.get(request);
      if (error instanceof PageError) {
        ({ statusCode: status, titleKey: title, messageKey: message } = error);
        back = error.backToken ?? back;
      } else if (error instanceof Refusal) {
        if (error.kind === 'not_found') {
          [status, message, back] = [404, 'errorInvalidLink', undefined];
        } else if (error.kind === 'state' || error.kind === 'duplicate' || error.kind === 'idempotency') {
          status = 409;
          title = 'errorStateTitle';
          message = error.code === 'payment_session_expired' ? 'errorExpired' : 'errorState';
        } else {
          [status, message] = [422, 'errorRequest'];
        }
      } else {
        const statusCode = memberOf(error, 'statusCode');
        const code = typeof statusCode === 'number' ? statusCode : 500;
        if (code >= 400 && code < 500) {
          [status, message] = [code, 'errorRequest'];
        } else if (error instanceof ShuttingDown) {
          reply.header('retry-after', String(RETRY_AFTER_SECONDS));
          [status, title, message] = [503, 'errorBusyTitle', 'errorServer'];
        } else if (isDatabaseUnavailable(error)) {
          request.log.error({ err: error }, 'database unavailable');
          reply.header('retry-after', String(RETRY_AFTER_SECONDS));
          [status, message] = [503, 'errorServer'];
        } else {
          request.log.error({ err: error }, 'payment page failed');
          [status, message] = [500, 'errorServer'];
        }
      }
      const link = back ? { href: pageHref(back, locale), label: t('backToPayment') } : undefined;
      reply.header('content-security-policy', DEFAULT_CSP);
      return sendHtml(reply, errorPage(env, t(title), t(message), link), status);
    });

    for (const asset of [assets.css, assets.js]) {
      app.get(asset.path, { schema: { hide: true } }, async (_request, reply) =>
        reply.header('cache-control', 'public, max-age=31536000, immutable').type(asset.contentType).send(asset.body),
      );
    }

    app.get('/detail', { schema: { hide: true } }, async (request, reply) => {
      const { token, session } = await load(request, memberOf(request.query, 'token'));
      return render(reply, localeOf(request), token, session);
    });

    app.get('/detail/status', { schema: { hide: true } }, async (request, reply) => {
      let loaded: { session: Session };
      try {
        loaded = await load(request, memberOf(request.query, 'token'));
      } catch (error) {
        if (error instanceof PageError) return reply.code(error.statusCode).send({ error: 'invalid_token' });
        throw error;
      }
      const { session } = loaded;
      const outcome = outcomeOf(session);
      const redirectUrl = outcome ? returnUrlFor(session, outcome) : undefined;
      return reply.send({
        status: session.status,
        remainingSeconds: outcome ? 0 : remainingSeconds(session.expiryAt, ctx.now()),
        ...(redirectUrl && { redirectUrl }),
      });
    });

    app.get('/detail/qr.png', { schema: { hide: true } }, async (request, reply) => {
      const { token, session } = await load(request, memberOf(request.query, 'token'));
      const qr = session.charges[session.charges.length - 1]?.qr;
      if (!qr || outcomeOf(session)) throw new PageError(404, 'errorTitle', 'methodUnavailable', token);
      const name = `qris-${session.clientReferenceId.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 40) || 'payment'}.png`;
      return reply
        .type('image/png')
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(await qrPng(qr.qrContent));
    });

    app.post('/detail/choose', { schema: { hide: true } }, async (request, reply) => {
      assertSameOrigin(request);
      const { token, session } = await load(request, field(request, 'token'));
      const locale = localeOf(request);
      const raw = field(request, 'method');
      let choice: MethodChoice | undefined;
      if (session.status === 'REQUIRE_CONFIRMATION' || raw === 'CONFIRM') {
        // The merchant already fixed the method; the shopper only confirms it.
        choice = undefined;
      } else {
        const picked =
          typeof raw === 'string' ? PICKER_ORDER.map((type) => STEPS[type].parse(raw)).find((c) => c !== undefined) : undefined;
        if (!picked) throw new PageError(400, 'errorTitle', 'errorRequest', token);
        choice = picked;
      }
      await confirmOnPage(ctx, session, choice);
      return reply.redirect(pageHref(token, locale), 303);
    });

    const kit: PageKit = {
      ctx,
      load,
      assertSameOrigin,
      localeOf,
      field,
      sessionPage,
      pageEnv,
      sendHtml,
      refuse: (statusCode, messageKey, backToken) => {
        throw new PageError(statusCode, 'errorTitle', messageKey, backToken);
      },
      loadLinked,
      afterSandboxStep,
    };
    ewalletRoutes(app, kit);
    if (sandbox) sandboxWalletRoutes(app, kit);
    cardRoutes(app, kit, sandbox);

    if (sandbox) {
      acsRoutes(app, kit);
      app.post('/detail/simulate', { schema: { hide: true } }, async (request, reply) => {
        assertSameOrigin(request);
        const { token, session } = await load(request, field(request, 'token'));
        const outcome = field(request, 'outcome');
        if (!isOneOf(SIMULATION_OUTCOMES, outcome)) throw new PageError(400, 'errorTitle', 'errorRequest', token);
        await simulatePayment(ctx, session.merchantId, session.id, outcome);
        return reply.redirect(pageHref(token, localeOf(request)), 303);
      });
    }
  };
}
