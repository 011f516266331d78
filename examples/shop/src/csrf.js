// @ts-check
// Enough cross-site request forgery protection for an example: the checkout form carries a random token
// that must equal the one in a SameSite=Strict, HttpOnly cookie (another site can neither read the cookie
// nor make the browser send it), and a browser's Origin header, when present, must be the shop's own.
// A real shop ties the token to the shopper's signed-in session, rotates it, and rate-limits checkout.
import { randomBytes, timingSafeEqual } from 'node:crypto';
/** @import { IncomingMessage } from 'node:http' */

export const CSRF_COOKIE = 'shop_csrf';

/** @param {IncomingMessage} req */
export function csrfCookieOf(req) {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = pair.trim().split('=');
    if (name === CSRF_COOKIE) return value.join('=');
  }
  return undefined;
}

export function newCsrfToken() {
  return randomBytes(32).toString('base64url');
}

/**
 * @param {string} token
 * @param {URL} publicUrl  the shop's origin; the cookie is Secure when it is https
 */
export function csrfCookieHeader(token, publicUrl) {
  const secure = publicUrl.protocol === 'https:' ? '; Secure' : '';
  return `${CSRF_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict${secure}`;
}

/**
 * Why a form post is refused, or undefined when it may go on.
 * @param {IncomingMessage} req
 * @param {string | undefined} formToken
 * @param {URL} publicUrl
 */
export function csrfProblem(req, formToken, publicUrl) {
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== publicUrl.origin) return 'the form was sent from another site';
  const cookieToken = csrfCookieOf(req);
  if (!cookieToken || !formToken) return 'the form has expired';
  const a = Buffer.from(cookieToken);
  const b = Buffer.from(formToken);
  // timingSafeEqual needs equal lengths; a length mismatch is a mismatch, and the length is no secret.
  if (a.length !== b.length || !timingSafeEqual(a, b)) return 'the form has expired';
  return undefined;
}
