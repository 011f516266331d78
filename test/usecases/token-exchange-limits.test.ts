import { describe, expect, it } from 'vitest';
import { BoundedConcurrency, addressBucket } from '../../src/usecases/token-exchange-limits.ts';

describe('addressBucket', () => {
  it('counts IPv4 as is, IPv4-mapped IPv6 as its IPv4, and IPv6 by its /64', () => {
    expect(addressBucket('203.0.113.7')).toBe('203.0.113.7');
    expect(addressBucket('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressBucket('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(addressBucket('2001:0db8:0001:0002::9')).toBe('2001:db8:1:2::/64');
    expect(addressBucket('2001:db8:1:3::9')).toBe('2001:db8:1:3::/64');
  });

  it('keeps anything else short', () => {
    expect(addressBucket('unknown')).toBe('other:unknown');
    expect(addressBucket('x'.repeat(500)).length).toBeLessThan(100);
  });
});

describe('BoundedConcurrency', () => {
  /** A task that finishes when the test says so. */
  function gate() {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    return { open, task: async () => opened };
  }

  it('runs `slots` tasks at once, queues `queue` more, and refuses the rest without running them', async () => {
    const limiter = new BoundedConcurrency(2, 1);
    const started: number[] = [];
    const gates = [gate(), gate(), gate()];
    const runs = gates.map((g, i) => limiter.run(async () => (started.push(i), g.task())));
    expect(runs.every((r) => r !== undefined)).toBe(true);
    let refusedRan = false;
    expect(limiter.run(async () => void (refusedRan = true))).toBeUndefined();
    await Promise.resolve();
    expect(started).toEqual([0, 1]);

    gates[0]!.open();
    await runs[0];
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    // A slot freed by the queue's turn: one waiting place again.
    expect(limiter.run(async () => {})).toBeDefined();
    gates[1]!.open();
    gates[2]!.open();
    await Promise.all(runs);
    expect(refusedRan).toBe(false);
  });

  it('frees the slot when a task fails', async () => {
    const limiter = new BoundedConcurrency(1, 0);
    await expect(limiter.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(async () => 'ran')).resolves.toBe('ran');
  });
});
