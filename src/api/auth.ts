// POST /v1/access-token and the bearer check every /v2 route sits behind (pivot-api §2).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import rateLimit from '@fastify/rate-limit';
import { exchangeClientCredentials, merchantOfAccessToken, type Merchant } from '../usecases/authenticate.ts';
import type { Context } from '../usecases/context.ts';
import { ApiError } from './errors.ts';
import { Envelope, ErrorEnvelope } from './schemas.ts';

declare module 'fastify' {
  interface FastifyRequest {
    merchant: Merchant;
  }
}

const TokenBody = Type.Object({ grantType: Type.Literal('client_credentials') });
const TokenHeaders = Type.Object({
  'x-merchant-id': Type.Optional(Type.String({ maxLength: 200 })),
  'x-merchant-secret': Type.Optional(Type.String({ maxLength: 500 })),
});
const TokenData = Type.Object({ accessToken: Type.String(), expiresIn: Type.String(), tokenType: Type.Literal('Bearer') });

/**
 * Each exchange costs a scrypt hash (tens of ms of CPU by design), so exchanges are limited per client
 * address and merchant id: Pivot's 429 frequency_above_limit. Kept in memory, so per instance.
 */
export async function accessTokenRoute(app: FastifyInstance, ctx: Context, perMinute: number) {
  await app.register(rateLimit, { global: false });
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    '/v1/access-token',
    {
      config: {
        rateLimit: {
          max: perMinute,
          timeWindow: 60_000,
          keyGenerator: (request: FastifyRequest) => `${request.ip}|${String(request.headers['x-merchant-id'] ?? '')}`,
          errorResponseBuilder: (_request: FastifyRequest, context: { after: string }) =>
            new ApiError(429, 'frequency_above_limit', `Too many access-token requests; retry after ${context.after}`),
        },
      },
      schema: {
        tags: ['Authentication'],
        summary: 'Exchange client credentials for a 900-second bearer token',
        headers: TokenHeaders,
        body: TokenBody,
        response: { 200: Envelope(TokenData), 400: ErrorEnvelope, 401: ErrorEnvelope, 429: ErrorEnvelope },
      },
    },
    async (request) => {
      const id = request.headers['x-merchant-id'];
      const secret = request.headers['x-merchant-secret'];
      if (!id || !secret) throw ApiError.credentials('X-MERCHANT-ID and X-MERCHANT-SECRET headers are required');
      const issued = await exchangeClientCredentials(ctx, id, secret);
      if (!issued) throw ApiError.credentials('The client id or client secret is wrong');
      const data = { accessToken: issued.accessToken, expiresIn: String(issued.expiresInSeconds), tokenType: 'Bearer' as const };
      return { code: '00' as const, message: 'Success', data };
    },
  );
}

/** onRequest hook: resolves the bearer token to a merchant or answers 401 before any parsing happens. */
export function requireMerchant(ctx: Context) {
  return async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+([A-Za-z0-9._~+/=-]{1,4096})$/i.exec(header) : null;
    if (!match) throw ApiError.credentials('Authorization: Bearer <accessToken> is required');
    const merchant = await merchantOfAccessToken(ctx, match[1]);
    if (!merchant) throw ApiError.credentials();
    request.merchant = merchant;
  };
}

export const bearerSecurity = [{ bearerAuth: [] }];
