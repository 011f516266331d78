// The access token: exchanged for the merchant's id and secret (POST /v1/access-token), kept while it is
// valid, exchanged again shortly before it expires, and dropped when the server refuses it (a 401 after a
// secret rotation or a clock jump). Concurrent calls share one exchange.

export interface IssuedToken {
  accessToken: string;
  /** Seconds the token lives, from the moment it was issued (Pivot sends it as a string, "900"). */
  expiresInSeconds: number;
}

/** Exchange this long before expiry, so a call started just before the end does not arrive with a dead token. */
const REFRESH_MARGIN_MS = 60_000;

interface Cached {
  token: string;
  refreshAt: number;
}

export class TokenCache {
  private cached: Cached | null = null;
  private pending: Promise<string> | null = null;

  constructor(
    private readonly exchange: () => Promise<IssuedToken>,
    private readonly now: () => number,
  ) {}

  /** A token valid for a while yet: the cached one, or a fresh one (one exchange, however many callers wait). */
  async get(): Promise<string> {
    if (this.cached && this.now() < this.cached.refreshAt) return this.cached.token;
    this.pending ??= this.refresh().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  /** The server refused `token`: forget it, unless a newer one has replaced it already. */
  invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = null;
  }

  private async refresh(): Promise<string> {
    // Counted from before the request: the token's life began no earlier than this.
    const startedAt = this.now();
    const issued = await this.exchange();
    const lifetimeMs = issued.expiresInSeconds * 1000;
    // A short-lived token (a test server's, say) is refreshed at 80 % of its life instead.
    const margin = Math.min(REFRESH_MARGIN_MS, lifetimeMs / 5);
    this.cached = { token: issued.accessToken, refreshAt: startedAt + lifetimeMs - margin };
    return issued.accessToken;
  }
}
