// Signed HS256 JWTs: merchant access tokens (15 minutes) and payment-page tokens ({uuid, iss, exp}).
// Each kind has its own issuer, so a page token can never pass as an access token or the reverse.
import { createSecretKey, type KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify, errors } from 'jose';

export const ACCESS_TOKEN_SECONDS = 900;
const ACCESS_ISSUER = 'kasir-merchant-api';
const PAGE_ISSUER = 'kasir-payment-page';
/** The page must still show "expired" and send the shopper back after expiryAt, so exp gets a grace period. */
const PAGE_GRACE_SECONDS = 7 * 24 * 3600;

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

  /**
   * Tokens already verified, with their expiry. A merchant reuses one token for up to 15 minutes, and
   * jose checks HMACs through WebCrypto's async queue (measured ~0.1 ms each, the largest single cost
   * of a GET), so each token is verified once; expiry is still checked on every call.
   */
  private readonly verified = new Map<string, { merchantId: string; exp: number }>();
  private static readonly VERIFIED_LIMIT = 10_000;

  /** The merchant id the token names, or undefined for anything invalid, expired or foreign. */
  async verifyAccessToken(token: string, now: Date): Promise<string | undefined> {
    const known = this.verified.get(token);
    if (known) return known.exp * 1000 > now.getTime() ? known.merchantId : undefined;
    const merchantId = await this.verifyAccessTokenSignature(token, now);
    if (merchantId) {
      if (this.verified.size >= Tokens.VERIFIED_LIMIT) this.verified.delete(this.verified.keys().next().value!);
      const exp = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).exp as number;
      this.verified.set(token, { merchantId, exp });
    }
    return merchantId;
  }

  private async verifyAccessTokenSignature(token: string, now: Date): Promise<string | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ACCESS_ISSUER,
        algorithms: ['HS256'],
        currentDate: now,
      });
      return typeof payload.merchantId === 'string' && payload.merchantId === payload.sub ? payload.merchantId : undefined;
    } catch (error) {
      if (error instanceof errors.JOSEError) return undefined;
      throw error;
    }
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

  async verifyPageToken(token: string, now: Date): Promise<string | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: PAGE_ISSUER,
        algorithms: ['HS256'],
        currentDate: now,
        clockTolerance: PAGE_GRACE_SECONDS,
      });
      return typeof payload.uuid === 'string' ? payload.uuid : undefined;
    } catch (error) {
      if (error instanceof errors.JOSEError) return undefined;
      throw error;
    }
  }
}
