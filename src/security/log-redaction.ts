// What never reaches a log line: page tokens (they ride in the payment page's query string and open the
// shopper's page, buttons included), access tokens, client secrets, Authorization headers, and card data. The app's
// logger gets these serializers and redact paths, so every request line and every error line is covered.

export const REDACTED = '[REDACTED]';

/**
 * Query parameters that carry a credential — the page's `token` (…/detail?token=…, its status and QR
 * routes) — or card data: the card form posts its fields, but a browser or script that sends them as a
 * GET puts them in the URL, and the URL is logged.
 */
const SECRET_PARAMETERS = new Set([
  'token',
  'accesstoken',
  'access_token',
  'cardnumber',
  'number',
  'pan',
  'cvc',
  'cvv',
  'expiry',
  'encryptedcard',
]);

/** `/detail?token=eyJ…&lang=en` → `/detail?token=[REDACTED]&lang=en`; other parameters and the path are kept. */
export function redactUrl(url: string): string {
  const question = url.indexOf('?');
  if (question === -1) return url;
  const query = url
    .slice(question + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals === -1 ? pair : pair.slice(0, equals);
      return SECRET_PARAMETERS.has(decodedName(name).toLowerCase()) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return `${url.slice(0, question)}?${query}`;
}

function decodedName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/**
 * Fastify's default request serializer with the URL's credentials taken out. Headers are never logged;
 * whatever else is logged as `req` gets the same treatment.
 */
export function redactedRequest(request: LoggedRequest) {
  return {
    method: request.method,
    url: typeof request.url === 'string' ? redactUrl(request.url) : undefined,
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/** pino redact paths: credentials in headers or a token exchange's answer, card fields, should code ever log them. */
export const REDACT_PATHS = [
  'cardNumber',
  'cvc',
  'body.cardNumber',
  'body.cvc',
  'body.paymentMethod.card',
  'headers.authorization',
  'headers["x-merchant-secret"]',
  'headers.cookie',
  'accessToken',
  'data.accessToken',
  'clientSecret',
];
