// The headers every page answer starts with: a CSP whose form-action follows the session's return URLs
// (the dashboard's screens start with the same headers), helmet's, no-store and no browser features.
import type { FastifyReply, FastifyRequest } from 'fastify';
import helmet from 'helmet';

export function contentSecurityPolicy(formOrigins: string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    // A form post is answered with a redirect that may end at the merchant's return URL; browsers
    // check form-action along that chain, so the session's own return origins are allowed too.
    ["form-action 'self'", ...formOrigins].join(' '),
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export const DEFAULT_CSP = contentSecurityPolicy();

/**
 * The onRequest hook that sets them, with `csp` and any `extra` headers; a session's page and the error
 * page replace the CSP.
 */
export function htmlSecurityHeaders(
  csp = DEFAULT_CSP,
  extra: Record<string, string> = {},
): (request: FastifyRequest, reply: FastifyReply, done: () => void) => void {
  // helmet's headers depend only on this configuration, so its middleware is built once (the Fastify
  // wrapper rebuilt it on every request: 3% of the page's CPU when profiled).
  const securityHeaders = helmet({
    // Set per response (the hook, sessionPage, the error page): form-action depends on the session's return URLs.
    contentSecurityPolicy: false,
    frameguard: { action: 'deny' },
    // same-origin rather than no-referrer: other sites still get no Referer (the token is in the URL),
    // and the page's form posts carry their real Origin instead of "null".
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  });

  return (request, reply, done) => {
    reply.header('content-security-policy', csp);
    reply.header('cache-control', 'no-store');
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    reply.headers(extra);
    // helmet 8 throws rather than passing errors to next, and only at build time for bad options.
    securityHeaders(request.raw, reply.raw, () => done());
  };
}
