// The node:crypto verifier must refuse everything jose refused: forged, wrong-alg, wrong-issuer,
// expired and tampered tokens, for both access and page tokens.
import { createHmac, createSecretKey } from 'node:crypto';
import { SignJWT, jwtVerify, type JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { ACCESS_TOKEN_SECONDS, Tokens } from '../../src/security/tokens.ts';

const SECRET = 'a-token-secret-of-at-least-32-characters';
const tokens = new Tokens(SECRET);
const NOW = new Date('2026-03-01T10:00:00Z');
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
const later = (s: number) => new Date(NOW.getTime() + s * 1000);

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A compact JWS with any header, HMAC-SHA256-signed with `secret` (whatever the header claims). */
function handMade(header: Record<string, unknown>, payload: unknown, secret = SECRET): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

const accessClaims = (overrides: JWTPayload = {}): JWTPayload => ({
  merchantId: 'm1',
  clientId: 'm1',
  sub: 'm1',
  iss: 'kasir-merchant-api',
  iat: seconds(NOW),
  exp: seconds(NOW) + ACCESS_TOKEN_SECONDS,
  ...overrides,
});
const pageClaims = (overrides: JWTPayload = {}): JWTPayload => ({
  uuid: 'session-1',
  iss: 'kasir-payment-page',
  exp: seconds(NOW) + 3600,
  ...overrides,
});

async function signed(payload: JWTPayload, alg = 'HS256', secret = SECRET): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg, typ: 'JWT' }).sign(createSecretKey(Buffer.from(secret)));
}

/** Replaces one segment of a compact token. */
function withSegment(token: string, index: number, segment: string): string {
  const parts = token.split('.');
  parts[index] = segment;
  return parts.join('.');
}

describe('interoperability', () => {
  it('signs standard JWTs: jose verifies both kinds with the right issuer and HS256', async () => {
    const key = createSecretKey(Buffer.from(SECRET));
    const access = await jwtVerify(await tokens.issueAccessToken('m1', NOW), key, {
      issuer: 'kasir-merchant-api',
      algorithms: ['HS256'],
      currentDate: NOW,
    });
    expect(access.protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(access.payload).toMatchObject({
      merchantId: 'm1',
      clientId: 'm1',
      sub: 'm1',
      iat: seconds(NOW),
      exp: seconds(NOW) + ACCESS_TOKEN_SECONDS,
    });
    const page = await jwtVerify(await tokens.issuePageToken('session-1', later(3600), NOW), key, {
      issuer: 'kasir-payment-page',
      algorithms: ['HS256'],
      currentDate: NOW,
    });
    expect(page.payload).toEqual({ uuid: 'session-1', iss: 'kasir-payment-page', exp: seconds(NOW) + 3600 });
  });
});

describe('access tokens', () => {
  it('accepts what it issued until exp', async () => {
    const token = await tokens.issueAccessToken('m1', NOW);
    expect(await tokens.verifyAccessToken(token, NOW)).toBe('m1');
    expect(await tokens.verifyAccessToken(token, later(ACCESS_TOKEN_SECONDS - 1))).toBe('m1');
  });

  it('refuses an expired token (exp is exclusive, no grace), also once it was accepted before', async () => {
    const token = await tokens.issueAccessToken('m1', NOW);
    expect(await new Tokens(SECRET).verifyAccessToken(token, later(ACCESS_TOKEN_SECONDS))).toBeUndefined();
    expect(await tokens.verifyAccessToken(token, NOW)).toBe('m1');
    expect(await tokens.verifyAccessToken(token, later(ACCESS_TOKEN_SECONDS))).toBeUndefined();
    expect(await tokens.verifyAccessToken(token, later(86400))).toBeUndefined();
  });

  it('accepts a token jose signs with the same claims (the verifier reads the standard format)', async () => {
    expect(await tokens.verifyAccessToken(await signed(accessClaims()), NOW)).toBe('m1');
  });

  it('refuses a token signed with another secret', async () => {
    const forged = await new Tokens('another-secret-of-at-least-32-characters').issueAccessToken('m1', NOW);
    expect(await tokens.verifyAccessToken(forged, NOW)).toBeUndefined();
    expect(await tokens.verifyAccessToken(await signed(accessClaims(), 'HS256', SECRET + 'x'), NOW)).toBeUndefined();
  });

  it('refuses alg none, other HMAC sizes and an asymmetric alg signed with the HMAC key', async () => {
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(accessClaims())}.`;
    expect(await tokens.verifyAccessToken(none, NOW)).toBeUndefined();
    expect(await tokens.verifyAccessToken(`${none}AAAA`, NOW)).toBeUndefined();
    expect(await tokens.verifyAccessToken(await signed(accessClaims(), 'HS384'), NOW)).toBeUndefined();
    expect(await tokens.verifyAccessToken(await signed(accessClaims(), 'HS512'), NOW)).toBeUndefined();
    // Right key, right HMAC, but the header says something else: the alg must be checked, not assumed.
    for (const alg of ['RS256', 'ES256', 'none', 'hs256', undefined]) {
      expect(await tokens.verifyAccessToken(handMade({ alg, typ: 'JWT' }, accessClaims()), NOW)).toBeUndefined();
    }
    expect(await tokens.verifyAccessToken(handMade({ alg: 'HS256', typ: 'JWT' }, accessClaims()), NOW)).toBe('m1');
  });

  it('refuses headers it does not understand: crit extensions, a foreign typ', async () => {
    expect(
      await tokens.verifyAccessToken(handMade({ alg: 'HS256', crit: ['b64'], b64: false }, accessClaims()), NOW),
    ).toBeUndefined();
    expect(await tokens.verifyAccessToken(handMade({ alg: 'HS256', typ: 'at+jwt' }, accessClaims()), NOW)).toBeUndefined();
    expect(await tokens.verifyAccessToken(handMade({ alg: 'HS256' }, accessClaims()), NOW)).toBe('m1');
  });

  it('refuses a page token, or any other issuer, as an access token', async () => {
    const page = await tokens.issuePageToken('m1', later(3600), NOW);
    expect(await tokens.verifyAccessToken(page, NOW)).toBeUndefined();
    expect(await tokens.verifyAccessToken(await signed(accessClaims({ iss: 'kasir-payment-page' })), NOW)).toBeUndefined();
    expect(await tokens.verifyAccessToken(await signed(accessClaims({ iss: undefined })), NOW)).toBeUndefined();
  });

  it('refuses tampered tokens: payload swapped, signature altered, segments added or mangled', async () => {
    const token = await tokens.issueAccessToken('m1', NOW);
    const other = await tokens.issueAccessToken('m2', NOW);
    expect(await tokens.verifyAccessToken(withSegment(token, 1, other.split('.')[1]!), NOW)).toBeUndefined();
    expect(
      await tokens.verifyAccessToken(withSegment(token, 1, b64(accessClaims({ merchantId: 'm2', sub: 'm2' }))), NOW),
    ).toBeUndefined();
    expect(
      await tokens.verifyAccessToken(withSegment(token, 1, b64(accessClaims({ exp: seconds(NOW) + 86400 }))), NOW),
    ).toBeUndefined();
    const signature = token.split('.')[2]!;
    const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
    expect(await tokens.verifyAccessToken(withSegment(token, 2, flipped), NOW)).toBeUndefined();
    expect(await tokens.verifyAccessToken(withSegment(token, 2, signature.slice(0, -1)), NOW)).toBeUndefined();
    expect(await tokens.verifyAccessToken(withSegment(token, 2, ''), NOW)).toBeUndefined();
    expect(await tokens.verifyAccessToken(`${token}.`, NOW)).toBeUndefined();
    expect(await tokens.verifyAccessToken(`${token}.${signature}`, NOW)).toBeUndefined();
    expect(await tokens.verifyAccessToken(` ${token}`, NOW)).toBeUndefined();
    expect(await tokens.verifyAccessToken(token.replace('.', '.!'), NOW)).toBeUndefined();
    expect(await tokens.verifyAccessToken('', NOW)).toBeUndefined();
    expect(await tokens.verifyAccessToken('a.b.c', NOW)).toBeUndefined();
  });

  it('refuses another spelling of the right signature (base64url trailing bits)', async () => {
    const token = await tokens.issueAccessToken('m1', NOW);
    const signature = token.split('.')[2]!;
    // 32 bytes → 43 characters whose last carries 2 unused bits: flipping them decodes to the same bytes.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(signature.at(-1)!);
    const respelt = signature.slice(0, -1) + alphabet[last ^ 1];
    expect(Buffer.from(respelt, 'base64url').equals(Buffer.from(signature, 'base64url'))).toBe(true);
    expect(await tokens.verifyAccessToken(withSegment(token, 2, respelt), NOW)).toBeUndefined();
  });

  it('refuses claims that do not hold together: no exp, exp not a number, nbf ahead, merchantId not the subject', async () => {
    expect(await tokens.verifyAccessToken(await signed(accessClaims({ exp: undefined })), NOW)).toBeUndefined();
    expect(
      await tokens.verifyAccessToken(handMade({ alg: 'HS256' }, { ...accessClaims(), exp: String(seconds(NOW) + 60) }), NOW),
    ).toBeUndefined();
    expect(await tokens.verifyAccessToken(await signed(accessClaims({ nbf: seconds(NOW) + 60 })), NOW)).toBeUndefined();
    expect(await tokens.verifyAccessToken(await signed(accessClaims({ nbf: seconds(NOW) })), NOW)).toBe('m1');
    expect(
      await tokens.verifyAccessToken(handMade({ alg: 'HS256' }, { ...accessClaims(), iat: 'yesterday' }), NOW),
    ).toBeUndefined();
    expect(await tokens.verifyAccessToken(await signed(accessClaims({ sub: 'm2' })), NOW)).toBeUndefined();
    expect(await tokens.verifyAccessToken(await signed(accessClaims({ merchantId: 7 })), NOW)).toBeUndefined();
    expect(await tokens.verifyAccessToken(handMade({ alg: 'HS256' }, ['not', 'claims']), NOW)).toBeUndefined();
  });
});

describe('page tokens', () => {
  const expiryAt = later(3600);
  const GRACE = 7 * 24 * 3600;

  it('accepts what it issued, and for a week after the session expires', async () => {
    const token = await tokens.issuePageToken('session-1', expiryAt, NOW);
    expect(await tokens.verifyPageToken(token, NOW)).toBe('session-1');
    expect(await tokens.verifyPageToken(token, later(3600 + GRACE - 1))).toBe('session-1');
  });

  it('refuses it once the grace is over, also once it was accepted before', async () => {
    const token = await tokens.issuePageToken('session-1', expiryAt, NOW);
    expect(await new Tokens(SECRET).verifyPageToken(token, later(3600 + GRACE))).toBeUndefined();
    expect(await tokens.verifyPageToken(token, NOW)).toBe('session-1');
    expect(await tokens.verifyPageToken(token, later(3600 + GRACE))).toBeUndefined();
  });

  it('gives a session without expiry 30 days', async () => {
    const token = await tokens.issuePageToken('session-1', null, NOW);
    expect(await tokens.verifyPageToken(token, later(30 * 86400 + GRACE - 1))).toBe('session-1');
    expect(await tokens.verifyPageToken(token, later(30 * 86400 + GRACE))).toBeUndefined();
  });

  it('refuses an access token, or any other issuer, as a page token', async () => {
    expect(await tokens.verifyPageToken(await tokens.issueAccessToken('m1', NOW), NOW)).toBeUndefined();
    expect(await tokens.verifyPageToken(await signed(pageClaims({ iss: 'kasir-merchant-api' })), NOW)).toBeUndefined();
    expect(await tokens.verifyPageToken(await signed(pageClaims()), NOW)).toBe('session-1');
  });

  it('refuses forged, wrong-alg and tampered page tokens', async () => {
    const token = await tokens.issuePageToken('session-1', expiryAt, NOW);
    expect(await tokens.verifyPageToken(await signed(pageClaims(), 'HS256', SECRET + 'x'), NOW)).toBeUndefined();
    expect(await tokens.verifyPageToken(await signed(pageClaims(), 'HS512'), NOW)).toBeUndefined();
    expect(await tokens.verifyPageToken(`${b64({ alg: 'none' })}.${b64(pageClaims())}.`, NOW)).toBeUndefined();
    expect(await tokens.verifyPageToken(handMade({ alg: 'RS256' }, pageClaims()), NOW)).toBeUndefined();
    expect(
      await tokens.verifyPageToken(withSegment(token, 1, b64(pageClaims({ uuid: 'session-2', exp: seconds(expiryAt) }))), NOW),
    ).toBeUndefined();
    expect(await tokens.verifyPageToken(withSegment(token, 2, token.split('.')[2]!.slice(1)), NOW)).toBeUndefined();
    expect(await tokens.verifyPageToken(await signed(pageClaims({ uuid: 42 })), NOW)).toBeUndefined();
    // Validly signed but oversized: never worth hashing and parsing.
    expect(await tokens.verifyPageToken(await signed(pageClaims({ uuid: 'x'.repeat(4096) })), NOW)).toBeUndefined();
    expect(await tokens.verifyPageToken(await signed(pageClaims({ uuid: 'x'.repeat(2048) })), NOW)).toBe('x'.repeat(2048));
  });
});

describe('credentials version', () => {
  it('names the version it was issued under; tokens without one are version 1', async () => {
    expect(await tokens.accessTokenHolder(await tokens.issueAccessToken('m1', NOW, 3), NOW)).toEqual({
      merchantId: 'm1',
      credentialsVersion: 3,
    });
    expect(await tokens.accessTokenHolder(await signed(accessClaims()), NOW)).toEqual({
      merchantId: 'm1',
      credentialsVersion: 1,
    });
  });

  it('refuses a version that is not a positive integer', async () => {
    for (const credentialsVersion of [0, -1, 1.5, '2', null]) {
      const token = handMade({ alg: 'HS256' }, { ...accessClaims(), credentialsVersion });
      expect(await tokens.accessTokenHolder(token, NOW)).toBeUndefined();
    }
  });
});
