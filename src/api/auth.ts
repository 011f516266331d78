// POST /v1/access-token and the bearer check every /v2 route sits behind (pivot-api §2).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import rateLimit from '@fastify/rate-limit';
import { exchangeClientCredentials, merchantOfAccessToken, type Merchant } from '../usecases/authenticate.ts';
import type { Context } from '../usecases/context.ts';
import { ApiError } from './errors.ts';
import { createAccessToken } from '../contract/operations.ts';

declare module 'fastify' {
  interface FastifyRequest {
    merchant: Merchant;
  }
}

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
      schema: createAccessToken,
      // A missing credential header is a credentials problem, answered like a wrong one (401), not a 400.
      schemaErrorFormatter: (issues, dataVar) =>
        dataVar === 'headers' && issues.some((issue) => issue.keyword === 'required')
          ? ApiError.credentials('X-MERCHANT-ID and X-MERCHANT-SECRET headers are required')
          : new Error(`Invalid ${dataVar}`),
    },
    async (request) => {
      const issued = await exchangeClientCredentials(ctx, request.headers['x-merchant-id'], request.headers['x-merchant-secret']);
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
    const token = header ? /^Bearer\s+([A-Za-z0-9._~+/=-]{1,4096})$/i.exec(header)?.[1] : undefined;
    if (!token) throw ApiError.credentials('Authorization: Bearer <accessToken> is required');
    const merchant = await merchantOfAccessToken(ctx, token);
    if (!merchant) throw ApiError.credentials();
    request.merchant = merchant;
  };
}
