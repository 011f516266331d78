// POST /v1/access-token and the bearer check every /v2 route sits behind (pivot-api §2).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { exchangeClientCredentials, merchantOfAccessToken, type Merchant } from '../usecases/authenticate.ts';
import type { Context } from '../usecases/context.ts';
import { TokenExchangeGuard, type TokenExchangeLimits } from '../usecases/token-exchange-limits.ts';
import { ApiError } from './errors.ts';
import { createAccessToken } from '../contract/operations.ts';

declare module 'fastify' {
  interface FastifyRequest {
    merchant: Merchant;
  }
}

/** Pivot's 429, with how long to wait. */
function tooFrequent(reply: FastifyReply, retryAfterSeconds: number, why: string): ApiError {
  reply.header('retry-after', String(retryAfterSeconds));
  return new ApiError(429, 'frequency_above_limit', `${why}; retry after ${retryAfterSeconds} s`);
}

/**
 * Each exchange costs a scrypt hash, so exchanges are limited per client address and per merchant id
 * (usecases/token-exchange-limits.ts), counted before the body is read, and the secret checks running
 * at once are capped: Pivot's 429 frequency_above_limit either way.
 */
export async function accessTokenRoute(app: FastifyInstance, ctx: Context, limits: TokenExchangeLimits) {
  const guard = new TokenExchangeGuard(limits);
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    '/v1/access-token',
    {
      onRequest: async (request, reply) => {
        const wait = await guard.admit(ctx, { clientAddress: request.ip, merchantId: request.headers['x-merchant-id'] });
        if (wait !== undefined) throw tooFrequent(reply, wait, 'Too many access-token requests');
      },
      schema: createAccessToken,
      // A missing credential header is a credentials problem, answered like a wrong one (401), not a 400.
      schemaErrorFormatter: (issues, dataVar) =>
        dataVar === 'headers' && issues.some((issue) => issue.keyword === 'required')
          ? ApiError.credentials('X-MERCHANT-ID and X-MERCHANT-SECRET headers are required')
          : new Error(`Invalid ${dataVar}`),
    },
    async (request, reply) => {
      // Queued behind the checks under way, or refused when too many wait: a flood from many addresses
      // gets quick 429s instead of making every exchange wait behind it.
      const exchange = guard.secretCheck(() =>
        exchangeClientCredentials(ctx, request.headers['x-merchant-id'], request.headers['x-merchant-secret']),
      );
      if (!exchange) throw tooFrequent(reply, 1, 'Too many access-token requests at once');
      const issued = await exchange;
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
