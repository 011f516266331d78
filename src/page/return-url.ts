// Where the shopper goes when the session is over: only the session's own stored return URLs, never a
// URL from the request. The merchant learns which session came back from three query parameters
// (paymentSessionId, clientReferenceId, status) appended to its URL; it must still confirm the status
// by API or callback, as Pivot's docs say.
import { EWALLETS } from '../domain/methods/ewallet.ts';
import type { Session } from '../domain/session.ts';

export type Outcome = 'paid' | 'failed' | 'cancelled' | 'expired';

/** The final outcome the page shows, or undefined while the session is still open. */
export function outcomeOf(session: Session): Outcome | undefined {
  switch (session.status) {
    case 'PAID':
      return 'paid';
    case 'CANCELLED':
      return session.cancellationReason === 'CHARGE_FAILED' ? 'failed' : 'cancelled';
    case 'EXPIRED':
    case 'INACTIVE':
      return 'expired';
    default:
      return undefined;
  }
}

function safeHttpUrl(raw: string | undefined): URL | undefined {
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * DANA uses one URL only: Pivot sends the shopper to successReturnUrl after success, failure and expiry
 * alike, so a merchant's DANA integration must read the appended status, and in Kasir's sandbox it has to.
 */
function returnsToSuccessUrlOnly(session: Session): boolean {
  const channel = session.charges[session.charges.length - 1]?.ewallet?.channel;
  return channel !== undefined && EWALLETS[channel].successUrlOnly === true;
}

export function returnUrlFor(session: Session, outcome: Outcome): string | undefined {
  const stored =
    outcome === 'paid' || returnsToSuccessUrlOnly(session)
      ? session.redirectUrl.successReturnUrl
      : outcome === 'expired'
        ? session.redirectUrl.expirationReturnUrl
        : session.redirectUrl.failureReturnUrl;
  const url = safeHttpUrl(stored);
  if (!url) return undefined;
  url.searchParams.set('paymentSessionId', session.id);
  url.searchParams.set('clientReferenceId', session.clientReferenceId);
  url.searchParams.set('status', session.status);
  return url.toString();
}

/** Origins the page's forms may end up at (a form POST answered by a redirect chain to the merchant). */
export function returnOrigins(session: Session): string[] {
  const urls = [
    session.redirectUrl.successReturnUrl,
    session.redirectUrl.failureReturnUrl,
    session.redirectUrl.expirationReturnUrl,
  ];
  return [
    ...new Set(
      urls
        .map(safeHttpUrl)
        .filter((u): u is URL => u !== undefined)
        .map((u) => u.origin),
    ),
  ];
}
