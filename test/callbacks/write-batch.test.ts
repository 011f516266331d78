import { describe, expect, it } from 'vitest';
import { WriteBatch } from '../../src/callbacks/write-batch.ts';

describe('WriteBatch', () => {
  it('writes what is added in one turn in one call, and what comes during a write in the next', async () => {
    const writes: number[][] = [];
    let release: () => void = () => {};
    const batch = new WriteBatch<number>(async (items) => {
      writes.push(items);
      if (writes.length === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    const first = [1, 2, 3].map((n) => batch.add(n));
    await new Promise<void>((resolve) => setImmediate(resolve));
    const second = [4, 5].map((n) => batch.add(n));
    release();
    await Promise.all([...first, ...second]);
    expect(writes).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('rejects every item of a failed write with its error, and goes on with the next batch', async () => {
    let fail = true;
    const batch = new WriteBatch<string>(async () => {
      if (fail) throw new Error('disk full');
    });
    const failed = [batch.add('a'), batch.add('b')].map((p) =>
      p.then(
        () => 'ok',
        (e: Error) => e.message,
      ),
    );
    expect(await Promise.all(failed)).toEqual(['disk full', 'disk full']);
    fail = false;
    await expect(batch.add('c')).resolves.toBeUndefined();
  });
});
