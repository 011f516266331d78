// Signed HS256 JWTs: merchant access tokens (15 minutes) and payment-page tokens ({uuid, iss, exp}).
// Each kind has its own issuer, so a page token can never pass as an access token or the reverse.
//
// jose issues them. Verification is on the hot path of every API call and every page view, and jose
// checks HMACs through WebCrypto's async queue (17% of the page's CPU when profiled), so tokens are
// verified here with node:crypto, synchronously, against the only shape Kasir ever issues.
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';

export const ACCESS_TOKEN_SECONDS = 900;
const ACCESS_ISSUER = 'kasir-merchant-api';
const PAGE_ISSUER = 'kasir-payment-page';
/** The page must still show "expired" and send the shopper back after expiryAt, so exp gets a grace period. */
const PAGE_GRACE_SECONDS = 7 * 24 * 3600;

/** Three base64url segments; a stray character would otherwise be skipped silently by Buffer's decoder. */
const COMPACT_JWS = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/;
const MAX_TOKEN_LENGTH = 4096;

type Claims = Record<string, unknown>;

const isClaims = (value: unknown): value is Claims => value !== null && typeof value === 'object' && !Array.isArray(value);

function decodeSegment(segment: string): Claims | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return isClaims(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function splitCompact(token: string): [header: string, payload: string, signature: string] | undefined {
  const match = COMPACT_JWS.exec(token);
  return match?.[1] && match[2] && match[3] ? [match[1], match[2], match[3]] : undefined;
}

const isNumericDate = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/**
 * The claims of a compact HS256 JWS signed with `key` and issued by `issuer`, or undefined.
 * Refused: any other alg (none, RS256…), any `crit` extension, a signature that is not the canonical
 * base64url of the HMAC (compared in constant time), a missing or passed `exp` (with `leewaySeconds`),
 * an `nbf` in the future, a non-numeric `iat`, another issuer.
 */
export function verifyHs256(token: string, key: KeyObject, issuer: string, now: Date, leewaySeconds = 0): Claims | undefined {
  if (token.length > MAX_TOKEN_LENGTH) return undefined;
  const parts = splitCompact(token);
  if (!parts) return undefined;
  const [headerPart, payloadPart, signaturePart] = parts;

  // Comparing the encoded strings (not decoded bytes) also refuses the non-canonical spellings of a
  // valid signature that base64url's unused trailing bits allow.
  const expected = Buffer.from(createHmac('sha256', key).update(`${headerPart}.${payloadPart}`).digest('base64url'));
  const given = Buffer.from(signaturePart);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;

  const header = decodeSegment(headerPart);
  if (!header || header.alg !== 'HS256' || 'crit' in header) return undefined;
  if (header.typ !== undefined && header.typ !== 'JWT') return undefined;

  const claims = decodeSegment(payloadPart);
  if (!claims || claims.iss !== issuer) return undefined;
  const seconds = Math.floor(now.getTime() / 1000);
  if (!isNumericDate(claims.exp) || claims.exp <= seconds - leewaySeconds) return undefined;
  if (claims.nbf !== undefined && (!isNumericDate(claims.nbf) || claims.nbf > seconds + leewaySeconds)) return undefined;
  if (claims.iat !== undefined && !isNumericDate(claims.iat)) return undefined;
  return claims;
}

export class Tokens {
  // A KeyObject, not raw bytes: jose would otherwise import the key through WebCrypto on every call.
  private readonly key: KeyObject;

  constructor(secret: string) {
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  async issueAccessToken(merchantId: string, now: Date): Promise<string> {
    const iat = Math.floor(now.getTime() / 1000);
    return new SignJWT({ merchantId, clientId: merchantId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ACCESS_ISSUER)
      .setSubject(merchantId)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ACCESS_TOKEN_SECONDS)
      .sign(this.key);
  }

  /** The merchant id the token names, or undefined for anything invalid, expired or foreign. */
  async verifyAccessToken(token: string, now: Date): Promise<string | undefined> {
    const claims = verifyHs256(token, this.key, ACCESS_ISSUER, now);
    return typeof claims?.merchantId === 'string' && claims.merchantId === claims.sub ? claims.merchantId : undefined;
  }

  /** `exp` is the session's expiryAt, as in Pivot's paymentUrl; sessions that never expire get 30 days. */
  async issuePageToken(sessionId: string, expiryAt: Date | null, now: Date): Promise<string> {
    const exp = Math.floor((expiryAt ?? new Date(now.getTime() + 30 * 86400_000)).getTime() / 1000);
    return new SignJWT({ uuid: sessionId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(PAGE_ISSUER)
      .setExpirationTime(exp)
      .sign(this.key);
  }

  /** The session id the page token names; accepted up to PAGE_GRACE_SECONDS after its exp. */
  async verifyPageToken(token: string, now: Date): Promise<string | undefined> {
    const claims = verifyHs256(token, this.key, PAGE_ISSUER, now, PAGE_GRACE_SECONDS);
    return typeof claims?.uuid === 'string' ? claims.uuid : undefined;
  }
}
