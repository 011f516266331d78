// Whether a form post came from another site, by what the browser says of it: the payment page and the
// dashboard refuse such posts on top of their own capability (the page token, the CSRF token).
import type { IncomingHttpHeaders } from 'node:http';

/**
 * Sec-Fetch-Site when the browser sends it, else Origin against `ownOrigin`. `Origin: null` is cross-site
 * too: it is what a sandboxed frame, a data: URL or a file on disk sends, and Kasir's own forms never send
 * it (with Referrer-Policy same-origin their Origin is kept; under no-referrer browsers send null even for
 * same-origin posts). A post with neither header (not a browser) is left to the capability check.
 */
export function isCrossSite(headers: IncomingHttpHeaders, ownOrigin: string): boolean {
  const site = headers['sec-fetch-site'];
  const origin = headers.origin;
  return (
    origin === 'null' || (typeof site === 'string' ? site !== 'same-origin' : typeof origin === 'string' && origin !== ownOrigin)
  );
}
