// Coalesces writes that arrive close together into one call: whatever is added while a write runs (or in
// the same turn of the event loop as the first) goes out in the next one. Recording each callback attempt
// on its own cost a transaction and a commit per callback; a burst of answers now shares one.

export class WriteBatch<T> {
  private queued: Array<{ item: T; settle: (error?: unknown) => void }> = [];
  private writing: Promise<void> | undefined;

  constructor(private readonly write: (items: T[]) => Promise<unknown>) {}

  /** Resolves once `item` is written, or rejects with the error its batch failed with. */
  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queued.push({ item, settle: (error) => (error === undefined ? resolve() : reject(error)) });
      this.writing ??= this.drain();
    });
  }

  private async drain(): Promise<void> {
    // Let the rest of this turn's additions join the first batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.queued.length > 0) {
      const batch = this.queued;
      this.queued = [];
      try {
        await this.write(batch.map(({ item }) => item));
        for (const { settle } of batch) settle();
      } catch (error) {
        for (const { settle } of batch) settle(error ?? new Error('batch write failed'));
      }
    }
    this.writing = undefined;
  }
}
