import { describe, expect, it } from 'vitest';
import { CHARGE_FAILURE_CODES, CHARGE_FAILURES, failureMessageFor, recommendationFor } from '../../src/domain/charge-failures.ts';
import { CARD_FAILURES } from '../../src/domain/card/sandbox-cards.ts';

describe('charge failure texts', () => {
  it('every code Pivot lists has its own message and a recommendation', () => {
    const messages = CHARGE_FAILURE_CODES.map((code) => failureMessageFor(code));
    expect(new Set(messages).size).toBe(CHARGE_FAILURE_CODES.length);
    for (const code of CHARGE_FAILURE_CODES) expect(recommendationFor(code)).toBe(CHARGE_FAILURES[code].recommendation);
  });

  it('a code Pivot does not list gets no recommendation and a message naming it', () => {
    expect(recommendationFor('SOMETHING_ELSE')).toBeUndefined();
    expect(failureMessageFor('SOMETHING_ELSE')).toBe('The payment failed (SOMETHING_ELSE)');
  });

  it('every card failure uses a code from the list', () => {
    for (const failure of Object.values(CARD_FAILURES)) expect(CHARGE_FAILURE_CODES).toContain(failure.failureCode);
  });
});
