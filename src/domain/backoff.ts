// How often periodic work (the expiry sweeper, the callback dispatcher's poll) tries again while it keeps
// failing, e.g. through a database outage: each failure doubles the pause, up to a ceiling, and the
// first success restores the normal pace. Without it a worker would log the same error on every tick.

export class Backoff {
  private failures = 0;
  private resumeAt = 0;

  /** `baseMs`: the pause after the first failure; `maxMs`: the longest pause (how late recovery is noticed). */
  constructor(
    private readonly baseMs: number,
    private readonly maxMs: number,
  ) {}

  /** Whether a tick at `now` (epoch ms) should run the work or skip it. */
  due(now: number): boolean {
    return now >= this.resumeAt;
  }

  /** Records a failed run at `now`; returns the pause before the next try (ms). */
  failed(now: number): number {
    this.failures++;
    const pause = Math.min(this.maxMs, this.baseMs * 2 ** Math.min(this.failures - 1, 30));
    this.resumeAt = now + pause;
    return pause;
  }

  succeeded(): void {
    this.failures = 0;
    this.resumeAt = 0;
  }
}
