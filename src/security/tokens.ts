// Signed HS256 JWTs: merchant access tokens (15 minutes) and payment-page tokens ({uuid, iss, exp}).
// Each kind has its own issuer, so a page token can never pass as an access token or the reverse.
//
// Signed and verified with node:crypto, synchronously: verification is on the hot path of every API call
// and page view, signing on every create, and jose does both through WebCrypto's async queue (17% of the
// page's CPU and 7% of create's when profiled). The verifier accepts only the shape Kasir issues; the
// tests check that jose reads what we sign and that we refuse what we must.
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

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

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

/** A compact HS256 JWS of `claims`. */
export function signHs256(claims: Claims, key: KeyObject): string {
  const input = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
}

/**
 * Tokens already verified, with what they name and until when: a merchant reuses one access token for
 * up to 15 minutes and the page polls its status every 1.5 s with the same page token, and a lookup is
 * cheaper than an HMAC and two JSON parses. Only verified tokens enter; expiry is checked on every call.
 */
class VerifiedTokens<Subject> {
  private static readonly LIMIT = 10_000;
  private readonly entries = new Map<string, { subject: Subject; validUntil: number }>();

  /** undefined: not seen; null: seen, but expired at `seconds`. */
  lookup(token: string, seconds: number): Subject | null | undefined {
    const known = this.entries.get(token);
    if (!known) return undefined;
    return known.validUntil > seconds ? known.subject : null;
  }

  remember(token: string, subject: Subject, validUntil: number): void {
    if (this.entries.size >= VerifiedTokens.LIMIT) this.entries.clear();
    this.entries.set(token, { subject, validUntil });
  }
}

/** Whom an access token was issued to, and under which version of the merchant's credentials. */
export interface AccessTokenHolder {
  merchantId: string;
  credentialsVersion: number;
}

export class Tokens {
  private readonly key: KeyObject;
  private readonly verifiedAccess = new VerifiedTokens<AccessTokenHolder>();
  private readonly verifiedPage = new VerifiedTokens<string>();

  constructor(secret: string) {
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  /** `credentialsVersion`: the merchant's, at issue; a token of an older version is refused by the caller. */
  async issueAccessToken(merchantId: string, now: Date, credentialsVersion = 1): Promise<string> {
    const iat = Math.floor(now.getTime() / 1000);
    return signHs256(
      {
        merchantId,
        clientId: merchantId,
        credentialsVersion,
        iss: ACCESS_ISSUER,
        sub: merchantId,
        iat,
        exp: iat + ACCESS_TOKEN_SECONDS,
      },
      this.key,
    );
  }

  /** The merchant id the token names, or undefined for anything invalid, expired or foreign. */
  async verifyAccessToken(token: string, now: Date): Promise<string | undefined> {
    return (await this.accessTokenHolder(token, now))?.merchantId;
  }

  /**
   * The merchant and credentials version a valid, unexpired access token names. Tokens from before
   * versions existed carry none and count as version 1, the version every merchant starts with.
   */
  async accessTokenHolder(token: string, now: Date): Promise<AccessTokenHolder | undefined> {
    const known = this.verifiedAccess.lookup(token, Math.floor(now.getTime() / 1000));
    if (known !== undefined) return known ?? undefined;
    const claims = verifyHs256(token, this.key, ACCESS_ISSUER, now);
    if (typeof claims?.merchantId !== 'string' || claims.merchantId !== claims.sub || !isNumericDate(claims.exp)) {
      return undefined;
    }
    const credentialsVersion = claims.credentialsVersion === undefined ? 1 : claims.credentialsVersion;
    if (typeof credentialsVersion !== 'number' || !Number.isSafeInteger(credentialsVersion) || credentialsVersion < 1) {
      return undefined;
    }
    const holder = { merchantId: claims.merchantId, credentialsVersion };
    this.verifiedAccess.remember(token, holder, claims.exp);
    return holder;
  }

  /** `exp` is the session's expiryAt, as in Pivot's paymentUrl; sessions that never expire get 30 days. */
  async issuePageToken(sessionId: string, expiryAt: Date | null, now: Date): Promise<string> {
    const exp = Math.floor((expiryAt ?? new Date(now.getTime() + 30 * 86400_000)).getTime() / 1000);
    return signHs256({ uuid: sessionId, iss: PAGE_ISSUER, exp }, this.key);
  }

  /** The session id the page token names; accepted up to PAGE_GRACE_SECONDS after its exp. */
  async verifyPageToken(token: string, now: Date): Promise<string | undefined> {
    const known = this.verifiedPage.lookup(token, Math.floor(now.getTime() / 1000));
    if (known !== undefined) return known ?? undefined;
    const claims = verifyHs256(token, this.key, PAGE_ISSUER, now, PAGE_GRACE_SECONDS);
    if (typeof claims?.uuid !== 'string' || !isNumericDate(claims.exp)) return undefined;
    this.verifiedPage.remember(token, claims.uuid, claims.exp + PAGE_GRACE_SECONDS);
    return claims.uuid;
  }
}
