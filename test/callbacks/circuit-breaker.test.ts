// The per-merchant circuit breaker: closed until a run of failures, open for the cooldown, then one probe.
import { describe, expect, it } from 'vitest';
import { CircuitBreakers } from '../../src/callbacks/circuit-breaker.ts';

const at = (ms: number) => new Date(1_700_000_000_000 + ms);

describe('circuit breakers', () => {
  it('open after the configured failures in a row, and only then', () => {
    const breakers = new CircuitBreakers({ failures: 3, cooldownMs: 1000 });
    breakers.failed('a', at(0));
    breakers.failed('a', at(1));
    expect(breakers.state('a', at(2))).toEqual({ kind: 'closed' });
    breakers.failed('a', at(2));
    expect(breakers.state('a', at(3))).toEqual({ kind: 'open', until: at(1002), failures: 3 });
    expect(breakers.openCount(at(3))).toBe(1);
    // Another merchant's endpoint is not affected.
    expect(breakers.state('b', at(3))).toEqual({ kind: 'closed' });
  });

  it('an answer in between starts the count again', () => {
    const breakers = new CircuitBreakers({ failures: 2, cooldownMs: 1000 });
    breakers.failed('a', at(0));
    breakers.succeeded('a');
    breakers.failed('a', at(1));
    expect(breakers.state('a', at(2)).kind).toBe('closed');
  });

  it('half-opens after the cooldown; a failed probe opens it again, a good one closes it', () => {
    const breakers = new CircuitBreakers({ failures: 1, cooldownMs: 1000 });
    breakers.failed('a', at(0));
    expect(breakers.state('a', at(999)).kind).toBe('open');
    expect(breakers.state('a', at(1000))).toEqual({ kind: 'half-open' });
    expect(breakers.openCount(at(1000))).toBe(0);
    breakers.failed('a', at(1500));
    expect(breakers.state('a', at(1600))).toEqual({ kind: 'open', until: at(2500), failures: 2 });
    breakers.succeeded('a');
    expect(breakers.state('a', at(1600))).toEqual({ kind: 'closed' });
  });

  it('a late failure of a send begun before it opened extends the open time, never shortens it', () => {
    const breakers = new CircuitBreakers({ failures: 1, cooldownMs: 1000 });
    breakers.failed('a', at(500));
    breakers.failed('a', at(100));
    expect(breakers.state('a', at(1499))).toMatchObject({ kind: 'open', until: at(1500) });
  });
});
