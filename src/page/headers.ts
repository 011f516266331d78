// The headers every page answer starts with: a CSP whose form-action follows the session's return URLs
// (the dashboard's screens start with the same headers), helmet's, no-store and no browser features.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
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

let helmetSet: Readonly<Record<string, string>> | undefined;

/**
 * helmet's headers with the page's settings (the reference at /docs uses them too). They depend only on
 * the configuration, so helmet runs once, on a response no client sees, and each answer gets the headers
 * it set: running its middleware on every request cost 10–18% of the page's CPU in A/B runs (a setHeader,
 * with its checks, per header, and Node's slower writeHead once headers are set on the raw response).
 */
export function helmetHeaders(): Readonly<Record<string, string>> {
  if (helmetSet) return helmetSet;
  const securityHeaders = helmet({
    // Set per response (the hook, sessionPage, the error page): form-action depends on the session's return URLs.
    contentSecurityPolicy: false,
    frameguard: { action: 'deny' },
    // same-origin rather than no-referrer: other sites still get no Referer (the token is in the URL),
    // and the page's form posts carry their real Origin instead of "null".
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  });
  const response = new ServerResponse(new IncomingMessage(new Socket()));
  // helmet 8 answers synchronously, and throws rather than passing errors to next (only for bad options).
  securityHeaders(response.req, response, () => {});
  helmetSet = Object.freeze(
    Object.fromEntries(Object.entries(response.getHeaders()).map(([name, value]) => [name, String(value)])),
  );
  return helmetSet;
}

/** No camera, microphone, location or Payment Request API for any page Kasir serves. */
export const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=()';

/**
 * The onRequest hook that sets them, with `csp` and any `extra` headers; a session's page and the error
 * page replace the CSP.
 */
export function htmlSecurityHeaders(
  csp = DEFAULT_CSP,
  extra: Record<string, string> = {},
): (request: FastifyRequest, reply: FastifyReply, done: () => void) => void {
  const headers = Object.freeze({
    ...helmetHeaders(),
    'content-security-policy': csp,
    'cache-control': 'no-store',
    'permissions-policy': PERMISSIONS_POLICY,
    ...extra,
  });
  return (_request, reply, done) => {
    reply.headers(headers);
    done();
  };
}
