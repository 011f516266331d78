// Signed HS256 JWTs: merchant access tokens (15 minutes) and payment-page tokens ({uuid, iss, exp}).
// Each kind has its own issuer, so a page token can never pass as an access token or the reverse.
import { SignJWT, jwtVerify, errors } from 'jose';

export const ACCESS_TOKEN_SECONDS = 900;
const ACCESS_ISSUER = 'kasir-merchant-api';
const PAGE_ISSUER = 'kasir-payment-page';
/** The page must still show "expired" and send the shopper back after expiryAt, so exp gets a grace period. */
const PAGE_GRACE_SECONDS = 7 * 24 * 3600;

export class Tokens {
  private readonly key: Uint8Array;

  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
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
