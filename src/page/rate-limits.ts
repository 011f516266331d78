// Requests per minute to the page's routes, per client address and per page token: no one address or
// link can monopolise the event loop (ARCHITECTURE.md's invariants).
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { PageError } from './page-error.ts';

/**
 * Requests per minute to the page's routes. Per token: a page polls its status every 1.5 s (40 a minute),
 * so 120 leaves room for a few tabs. Per address: shoppers on mobile networks share addresses (carrier
 * NAT), so it is ten times that.
 */
export interface PageRateLimits {
  perTokenPerMinute: number;
  perAddressPerMinute: number;
}

export const DEFAULT_PAGE_RATE_LIMITS: PageRateLimits = { perTokenPerMinute: 120, perAddressPerMinute: 1200 };

type LimitHook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/**
 * The two limits as hooks: `byAddress` needs only the socket, so it runs before the body is read;
 * `byToken` runs once it is (a form post carries its token in the body), on requests that name one.
 */
export async function pageRateLimiters(
  app: FastifyInstance,
  limits: PageRateLimits,
  tokenOf: (request: FastifyRequest) => string | undefined,
): Promise<{ byAddress: LimitHook; byToken: LimitHook }> {
  await app.register(rateLimit, { global: false });
  const byAddress = app.createRateLimit({ max: limits.perAddressPerMinute, timeWindow: 60_000, keyGenerator: (r) => r.ip });
  // Keyed by a digest: tokens are up to 4 KB, and the limiter keeps its keys in memory.
  const byToken = app.createRateLimit({
    max: limits.perTokenPerMinute,
    timeWindow: 60_000,
    keyGenerator: (r) =>
      createHash('sha256')
        .update(tokenOf(r) ?? '')
        .digest('base64url'),
  });
  async function refuseOverLimit(limiter: typeof byAddress, request: FastifyRequest, reply: FastifyReply) {
    const verdict = await limiter(request);
    if (verdict.isAllowed || !verdict.isExceeded) return;
    reply.header('retry-after', String(verdict.ttlInSeconds));
    throw new PageError(429, 'errorBusyTitle', 'errorTooManyRequests');
  }
  return {
    byAddress: (request, reply) => refuseOverLimit(byAddress, request, reply),
    byToken: async (request, reply) => {
      if (tokenOf(request) !== undefined) await refuseOverLimit(byToken, request, reply);
    },
  };
}
