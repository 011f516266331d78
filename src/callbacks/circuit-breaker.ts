// One circuit breaker per merchant endpoint, in this process's memory. After `failures` failed attempts
// in a row the endpoint is left alone for `cooldownMs` (open); then one probe is let through (half-open):
// its success closes the circuit, its failure opens it again. A dead endpoint then costs one request per
// cooldown instead of a slot per callback for a whole timeout each. Each instance learns on its own: a
// breaker is a guess about the network from here, and a wrong guess only delays, never loses, a callback.

export interface BreakerSettings {
  /** Failed attempts in a row that open the circuit. */
  failures: number;
  /** How long an open circuit stays open before a probe is let through. */
  cooldownMs: number;
}

export type BreakerState = { kind: 'closed' } | { kind: 'open'; until: Date; failures: number } | { kind: 'half-open' };

interface Entry {
  failures: number;
  /** Set once `failures` reached the threshold: no attempt before this moment. */
  openUntil?: number;
}

export class CircuitBreakers {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly settings: BreakerSettings) {}

  state(key: string, now: Date): BreakerState {
    const entry = this.entries.get(key);
    if (entry?.openUntil === undefined) return { kind: 'closed' };
    if (now.getTime() < entry.openUntil) return { kind: 'open', until: new Date(entry.openUntil), failures: entry.failures };
    return { kind: 'half-open' };
  }

  /** The endpoint answered (any status it chose to send): it is reachable and quick enough. */
  succeeded(key: string): void {
    this.entries.delete(key);
  }

  /** A network error, a timeout, or a status that says "try later" (5xx, 408, 429). */
  failed(key: string, now: Date): void {
    const entry = this.entries.get(key) ?? { failures: 0 };
    entry.failures += 1;
    if (entry.failures >= this.settings.failures) {
      // Failures of sends that began before the circuit opened extend it rather than shorten it.
      entry.openUntil = Math.max(entry.openUntil ?? 0, now.getTime() + this.settings.cooldownMs);
    }
    this.entries.set(key, entry);
  }

  /** How many circuits are open now (they need no send slot: their due callbacks are skipped). */
  openCount(now: Date): number {
    let count = 0;
    for (const entry of this.entries.values()) if (entry.openUntil !== undefined && now.getTime() < entry.openUntil) count++;
    return count;
  }
}
