// The dashboard's three cookies, read and written with Fastify's own request and reply (no cookie plugin):
// every value Kasir writes is base64url or a locale, so there is nothing to quote or decode.
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The signed-in session's id (its SHA-256 is the database key). */
export const SESSION_COOKIE = 'kasir_dash';
/** Before sign-in: the sign-in form's CSRF token, double-submitted with the form. */
export const SIGN_IN_COOKIE = 'kasir_dash_pre';
export const LANG_COOKIE = 'kasir_dash_lang';

const VALUE = /^[A-Za-z0-9_-]{1,100}$/;

export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    return VALUE.test(value) ? value : undefined;
  }
  return undefined;
}

export interface CookieFlags {
  secure: boolean;
  /** Seconds; 0 deletes the cookie. */
  maxAge: number;
}

/** HttpOnly, SameSite=Lax, only under /dashboard, Secure in production. */
export function setCookie(reply: FastifyReply, name: string, value: string, { secure, maxAge }: CookieFlags): void {
  const attributes = [`${name}=${value}`, 'Path=/dashboard', `Max-Age=${maxAge}`, 'HttpOnly', 'SameSite=Lax'];
  if (secure) attributes.push('Secure');
  const existing = reply.getHeader('set-cookie');
  const list = Array.isArray(existing) ? existing : typeof existing === 'string' ? [existing] : [];
  reply.header('set-cookie', [...list, attributes.join('; ')]);
}
