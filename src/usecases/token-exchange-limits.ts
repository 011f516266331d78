// Who may spend a secret check on POST /v1/access-token. Each exchange costs a scrypt hash (tens of ms of
// CPU on libuv's small thread pool, which DNS lookups and file I/O share), so it is limited three ways:
// per client address whatever merchant id it names (rotating ids buys nothing), per merchant id from all
// addresses together (guessing one merchant's secret from many addresses), and by how many checks run at
// once. The counters live in the database, so instances sharing it share the limits.
import { createHash } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import type { Context } from './context.ts';
import { RateLimiter } from './rate-limits.ts';

export interface TokenExchangeLimits {
  perAddressPerMinute: number;
  perMerchantPerMinute: number;
  /** Secret checks running at once: half of libuv's default four threads, so the others stay free. */
  concurrentSecretChecks?: number;
  /** Checks waiting for a slot; beyond this an exchange is refused at once rather than queued without bound. */
  queuedSecretChecks?: number;
}

const MINUTE_MS = 60_000;

/**
 * The bucket of a client address: IPv4 as is (IPv4-mapped IPv6 too), IPv6 by its /64, since one host
 * usually holds a whole /64 and would otherwise get an allowance per address.
 */
export function addressBucket(address: string): string {
  if (!ipaddr.isValid(address)) return `other:${boundedKey(address)}`;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${parsed.toString()}/64`).toString()}/64`;
}

/** Merchant ids arrive unvalidated (the limit is checked before the body and headers are): keep keys short and plain. */
function boundedKey(value: string): string {
  return /^[\w.@:-]{1,100}$/.test(value) ? value : `sha256:${createHash('sha256').update(value).digest('base64url')}`;
}

export class TokenExchangeGuard {
  private readonly counters = new RateLimiter();
  private readonly secretChecks: BoundedConcurrency;

  constructor(private readonly limits: TokenExchangeLimits) {
    this.secretChecks = new BoundedConcurrency(limits.concurrentSecretChecks ?? 2, limits.queuedSecretChecks ?? 8);
  }

  /**
   * Counts an attempt against its client address and, if that allows it, against the merchant id it names.
   * Undefined when both allow it; otherwise the seconds until the exhausted window ends.
   */
  async admit(ctx: Context, attempt: { clientAddress: string; merchantId: unknown }): Promise<number | undefined> {
    const byAddress = await this.counters.hit(ctx, `token-address:${addressBucket(attempt.clientAddress)}`, {
      limit: this.limits.perAddressPerMinute,
      windowMs: MINUTE_MS,
    });
    if (byAddress !== undefined || typeof attempt.merchantId !== 'string' || attempt.merchantId === '') return byAddress;
    return this.counters.hit(ctx, `token-merchant:${boundedKey(attempt.merchantId)}`, {
      limit: this.limits.perMerchantPerMinute,
      windowMs: MINUTE_MS,
    });
  }

  /** Runs `check` when a slot is free; undefined (run nothing) when the queue is full. */
  secretCheck<T>(check: () => Promise<T>): Promise<T> | undefined {
    return this.secretChecks.run(check);
  }
}

/** At most `slots` tasks at once, at most `queue` waiting; a task beyond both is refused, not queued. */
export class BoundedConcurrency {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly slots: number,
    private readonly queue: number,
  ) {}

  run<T>(task: () => Promise<T>): Promise<T> | undefined {
    if (this.running >= this.slots && this.waiting.length >= this.queue) return undefined;
    return this.acquire().then(async () => {
      try {
        return await task();
      } finally {
        this.release();
      }
    });
  }

  private acquire(): Promise<void> {
    if (this.running < this.slots) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Hands the slot to the next waiting task, if any. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}
