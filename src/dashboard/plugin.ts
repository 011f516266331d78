// The merchant dashboard under /dashboard: headers, errors, sign-in and sign-out here; each screen
// (Overview, Payments, Callbacks, Developers, audit log, the operators' merchant picker) in its own module. Server-rendered with the payment page's kit (one escaper, i18n, CSP
// without inline script); works without JavaScript. Sessions live in the database (usecases/
// dashboard-sessions.ts); every POST carries the session's CSRF token; what a role may do is asked of one
// table (domain/dashboard-roles.ts); every change goes through a use case that writes its audit entry.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import type { DashboardSettings, KasirEnv } from '../config.ts';
import { can, type DashboardAction } from '../domain/dashboard-roles.ts';
import { Refusal, type RefusalKind } from '../domain/refusal.ts';
import { RETRY_AFTER_SECONDS, ShuttingDown } from '../api/errors.ts';
import type { SafeHtml } from '../page/html.ts';
import { contentSecurityPolicy, htmlSecurityHeaders } from '../page/headers.ts';
import { safeEqual, randomToken } from '../security/secrets.ts';
import type { Context } from '../usecases/context.ts';
import { csrfMatches, sessionOf, signIn, signOut, type SignedIn } from '../usecases/dashboard-sessions.ts';
import { isDatabaseUnavailable } from '../usecases/health.ts';
import { UnknownMerchantError, type CallbackUrlCheck } from '../usecases/merchants.ts';
import { RateLimiter } from '../usecases/rate-limits.ts';
import { loadStylesheet } from './assets.ts';
import { auditScreen } from './audit.ts';
import { callbacksScreen } from './callbacks.ts';
import { LANG_COOKIE, SESSION_COOKIE, SIGN_IN_COOKIE, readCookie, setCookie } from './cookies.ts';
import { developersScreen } from './developers.ts';
import { merchantsScreen } from './merchants.ts';
import { overviewScreen } from './overview.ts';
import { pickLocale, translator, type Locale, type MessageKey } from './i18n.ts';
import { paymentsScreen } from './payments.ts';
import { errorPage, signInPage, type Shell, type ViewEnv } from './views.ts';
import { memberOf } from '../domain/json.ts';
import { isCrossSite } from '../security/same-origin.ts';

export interface DashboardOptions {
  env: KasirEnv;
  publicUrl: string;
  settings: DashboardSettings;
  /** The deployment's callback URL policy, the one the API and the CLI apply. */
  callbackUrlCheck: CallbackUrlCheck;
}

/**
 * What a screen module (payments.ts, callbacks.ts, …) needs from the plugin: request reading, the signed-in
 * user with the CSRF check done, the role check, the shell around its page. Each screen registers its own
 * routes with `(app, kit)`; headers, errors and sign-in stay here.
 */
export interface DashboardKit {
  ctx: Context;
  sandbox: boolean;
  /** The deployment's callback URL policy (Developers screen). */
  callbackUrlCheck: CallbackUrlCheck;
  field(request: FastifyRequest, name: string): string | undefined;
  query(request: FastifyRequest, name: string): string | undefined;
  viewEnv(request: FastifyRequest, reply: FastifyReply): ViewEnv;
  send(reply: FastifyReply, page: SafeHtml, status?: number): FastifyReply;
  /** The signed-in user; on a POST, its CSRF token and origin are checked first. */
  requireUser(request: FastifyRequest): Promise<SignedIn>;
  /** Throws the 403 page unless the user's role may do `action`. */
  requireRole(signed: SignedIn, action: DashboardAction): void;
  /** The merchant the session looks at; undefined once an operator who has not picked one was redirected. */
  merchantOf(signed: SignedIn, reply: FastifyReply): string | undefined;
  shell(request: FastifyRequest, reply: FastifyReply, signed: SignedIn, active: Shell['active']): Shell;
  /** Who the audit log names for an action of this user. */
  actorOf(signed: SignedIn): { kind: 'user'; id: string; email: string };
  /** Throws the dashboard's error page with this status and message. */
  refuse(statusCode: number, messageKey: MessageKey): never;
}

/** The screens registered after the plugin's own routes, each in its own module. */
const SCREENS: ReadonlyArray<(app: FastifyInstance, kit: DashboardKit) => void> = [
  overviewScreen,
  paymentsScreen,
  callbacksScreen,
  developersScreen,
  auditScreen,
  merchantsScreen,
];

/** The status a use case's refusal gets as a dashboard page: the one the API answers it with. */
const REFUSAL_STATUS: Record<RefusalKind, number> = {
  validation: 400,
  not_found: 404,
  state: 422,
  duplicate: 409,
  idempotency: 409,
};

/** A refusal the dashboard shows as a page with this status. */
class DashboardError extends Error {
  constructor(
    readonly statusCode: number,
    readonly messageKey: MessageKey,
  ) {
    super(messageKey);
  }
}

/** No (live) session: a GET or POST is sent to the sign-in page. */
class SignInRequired extends Error {}

const SIGN_IN_WINDOW_MS = 15 * 60_000;

export function dashboardPlugin(ctx: Context, options: DashboardOptions): (app: FastifyInstance) => Promise<void> {
  const { settings } = options;
  const sandbox = options.env === 'sandbox';
  const secure = options.env === 'production';
  const ownOrigin = new URL(options.publicUrl).origin;
  const stylesheet = loadStylesheet();
  const limiter = new RateLimiter();
  const times = { idleMs: settings.idleTimeoutMs, lifetimeMs: settings.sessionLifetimeMs };
  const limits = {
    perAddress: { limit: settings.signInPerAddress, windowMs: SIGN_IN_WINDOW_MS },
    perEmail: { limit: settings.signInPerEmail, windowMs: SIGN_IN_WINDOW_MS },
  };
  const signedInOf = new WeakMap<FastifyRequest, SignedIn>();
  const csp = contentSecurityPolicy();

  function field(request: FastifyRequest, name: string): string | undefined {
    const body: unknown = request.body;
    if (!body || typeof body !== 'object') return undefined;
    const value: unknown = Object.getOwnPropertyDescriptor(body, name)?.value;
    return typeof value === 'string' ? value : undefined;
  }

  function query(request: FastifyRequest, name: string): string | undefined {
    const q: unknown = request.query;
    if (!q || typeof q !== 'object') return undefined;
    const value: unknown = Object.getOwnPropertyDescriptor(q, name)?.value;
    return typeof value === 'string' ? value : undefined;
  }

  /** ?lang= (remembered in a cookie), else the cookie, else the browser's Accept-Language, else Indonesian. */
  function localeOf(request: FastifyRequest, reply?: FastifyReply): Locale {
    const asked = query(request, 'lang');
    if ((asked === 'id' || asked === 'en') && reply) setCookie(reply, LANG_COOKIE, asked, { secure, maxAge: 365 * 86_400 });
    return pickLocale(asked ?? readCookie(request, LANG_COOKIE), request.headers['accept-language']);
  }

  function viewEnv(request: FastifyRequest, reply: FastifyReply): ViewEnv {
    const locale = localeOf(request, reply);
    return { locale, t: translator(locale), sandbox, css: stylesheet.path, path: request.url.split('?')[0] ?? '/dashboard' };
  }

  function send(reply: FastifyReply, page: SafeHtml, status = 200): FastifyReply {
    return reply.code(status).type('text/html; charset=utf-8').send(page.value);
  }

  /** On top of the CSRF token: refuse posts a browser says came from another site (as the payment page does). */
  function assertSameOrigin(request: FastifyRequest): void {
    if (isCrossSite(request.headers, ownOrigin)) throw new DashboardError(403, 'errorCsrf');
  }

  /** The signed-in user, with the CSRF token checked on a POST. */
  async function requireUser(request: FastifyRequest): Promise<SignedIn> {
    const signed = await sessionOf(ctx, times, readCookie(request, SESSION_COOKIE));
    if (!signed) throw new SignInRequired();
    signedInOf.set(request, signed);
    if (request.method === 'POST') {
      assertSameOrigin(request);
      if (!csrfMatches(signed, field(request, 'csrf'))) throw new DashboardError(403, 'errorCsrf');
    }
    return signed;
  }

  function requireRole(signed: SignedIn, action: DashboardAction): void {
    if (!can(signed.user.role, action)) throw new DashboardError(403, 'errorForbidden');
  }

  /** The merchant the session looks at; an operator who has not picked one is sent to the picker. */
  function merchantOf(signed: SignedIn, reply: FastifyReply): string | undefined {
    if (signed.merchant) return signed.merchant.id;
    void reply.redirect('/dashboard/merchants', 303);
    return undefined;
  }

  function shell(request: FastifyRequest, reply: FastifyReply, signed: SignedIn, active: Shell['active']): Shell {
    return {
      ...viewEnv(request, reply),
      email: signed.user.email,
      role: signed.user.role,
      merchantName: signed.merchant?.name ?? null,
      csrfToken: signed.csrfToken,
      active,
    };
  }

  const actorOf = (signed: SignedIn) => ({ kind: 'user' as const, id: signed.user.id, email: signed.user.email });

  /** The sign-in form's token: the browser's current one if it has one, so two open sign-in tabs both work. */
  function signInToken(request: FastifyRequest, reply: FastifyReply): string {
    const token = readCookie(request, SIGN_IN_COOKIE) ?? randomToken(24);
    setCookie(reply, SIGN_IN_COOKIE, token, { secure, maxAge: 3600 });
    return token;
  }

  return async (app: FastifyInstance) => {
    await app.register(formbody, { bodyLimit: 16 * 1024 });
    app.addHook('onRequest', htmlSecurityHeaders(csp, { 'x-robots-tag': 'noindex, nofollow' }));

    app.setNotFoundHandler((request, reply) =>
      send(reply, errorPage(viewEnv(request, reply), translator(localeOf(request))('errorNotFound'), false), 404),
    );

    app.setErrorHandler((error, request, reply) => {
      if (error instanceof SignInRequired) {
        // A cookie that no longer names a live session is cleared, and the sign-in page says why.
        const had = readCookie(request, SESSION_COOKIE) !== undefined;
        if (had) setCookie(reply, SESSION_COOKIE, '', { secure, maxAge: 0 });
        return reply.redirect(had ? '/dashboard/sign-in?ended=1' : '/dashboard/sign-in', 303);
      }
      const env = viewEnv(request, reply);
      const signed = signedInOf.has(request);
      let status: number;
      let message: MessageKey;
      if (error instanceof DashboardError) [status, message] = [error.statusCode, error.messageKey];
      else if (error instanceof UnknownMerchantError) [status, message] = [404, 'errorNotFound'];
      else if (error instanceof Refusal) {
        // A use case said no (a screen that does not show the refusal on its own page lands here): the
        // status the API would answer, and the use case's own words after the dashboard's.
        status = REFUSAL_STATUS[error.kind];
        const text = status === 404 ? env.t('errorNotFound') : `${env.t('errorRequest')} ${error.message}`;
        return send(reply, errorPage(env, text, signed), status);
      } else {
        const statusCode = memberOf(error, 'statusCode');
        const code = typeof statusCode === 'number' ? statusCode : 500;
        if (code >= 400 && code < 500) [status, message] = [code, 'errorRequest'];
        else if (error instanceof ShuttingDown || isDatabaseUnavailable(error)) {
          if (!(error instanceof ShuttingDown)) request.log.error({ err: error }, 'database unavailable');
          reply.header('retry-after', String(RETRY_AFTER_SECONDS));
          [status, message] = [503, 'errorServer'];
        } else {
          request.log.error({ err: error }, 'dashboard failed');
          [status, message] = [500, 'errorServer'];
        }
      }
      return send(reply, errorPage(env, env.t(message), signed), status);
    });

    app.get(stylesheet.path.replace('/dashboard', ''), { schema: { hide: true } }, async (_request, reply) =>
      reply.header('cache-control', 'public, max-age=31536000, immutable').type(stylesheet.contentType).send(stylesheet.body),
    );

    const kit: DashboardKit = {
      ctx,
      sandbox,
      callbackUrlCheck: options.callbackUrlCheck,
      field,
      query,
      viewEnv,
      send,
      requireUser,
      requireRole,
      merchantOf,
      shell,
      actorOf,
      refuse: (statusCode, messageKey) => {
        throw new DashboardError(statusCode, messageKey);
      },
    };
    for (const screen of SCREENS) screen(app, kit);

    app.get('/', { schema: { hide: true } }, async (request, reply) => {
      const signed = await requireUser(request);
      return reply.redirect(signed.merchant ? '/dashboard/overview' : '/dashboard/merchants', 303);
    });

    app.get('/sign-in', { schema: { hide: true } }, async (request, reply) => {
      const env = viewEnv(request, reply);
      const notice =
        query(request, 'ended') === '1'
          ? { kind: 'info' as const, text: env.t('sessionEnded') }
          : query(request, 'out') === '1'
            ? { kind: 'info' as const, text: env.t('signedOut') }
            : undefined;
      return send(reply, signInPage(env, signInToken(request, reply), notice));
    });

    app.post('/sign-in', { schema: { hide: true } }, async (request, reply) => {
      assertSameOrigin(request);
      const expected = readCookie(request, SIGN_IN_COOKIE);
      const sent = field(request, 'csrf');
      if (!expected || !sent || !safeEqual(expected, sent)) throw new DashboardError(403, 'errorCsrf');
      const env = viewEnv(request, reply);
      const email = (field(request, 'email') ?? '').slice(0, 254);
      const result = await signIn(ctx, limiter, limits, times, {
        address: request.ip,
        email,
        password: field(request, 'password') ?? '',
      });
      if (result.kind === 'limited') {
        reply.header('retry-after', String(result.retryAfterSeconds));
        const text = env.t('signInLimited', { seconds: result.retryAfterSeconds });
        return send(reply, signInPage(env, signInToken(request, reply), { kind: 'error', text }, email), 429);
      }
      if (result.kind === 'refused') {
        return send(
          reply,
          signInPage(env, signInToken(request, reply), { kind: 'error', text: env.t('signInFailed') }, email),
          401,
        );
      }
      setCookie(reply, SIGN_IN_COOKIE, '', { secure, maxAge: 0 });
      setCookie(reply, SESSION_COOKIE, result.sessionId, { secure, maxAge: Math.floor(settings.sessionLifetimeMs / 1000) });
      return reply.redirect('/dashboard', 303);
    });

    app.post('/sign-out', { schema: { hide: true } }, async (request, reply) => {
      const signed = await requireUser(request);
      await signOut(ctx, signed.sessionId);
      setCookie(reply, SESSION_COOKIE, '', { secure, maxAge: 0 });
      return reply.redirect('/dashboard/sign-in?out=1', 303);
    });
  };
}
