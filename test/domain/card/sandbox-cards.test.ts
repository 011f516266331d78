// Pivot's test cards decide the sandbox outcome (pivot-api §12): frictionless and challenge successes, and
// the …3344… failure numbers on every network.
import { describe, expect, it } from 'vitest';
import { luhnValid } from '../../../src/domain/card/pan.ts';
import { CARD_FAILURES, sandboxScenario, testCardNumber } from '../../../src/domain/card/sandbox-cards.ts';

describe('sandbox test cards', () => {
  it('frictionless and challenge successes, as documented, on each network', () => {
    for (const n of ['4440000112200001', '5550000112230001', '3550000112280001']) {
      expect(sandboxScenario(n)).toEqual({ challenge: false, verdict: 'SUCCESS', testCard: true });
    }
    for (const n of ['4440000112290002', '5550000112220002', '3550000112270002']) {
      expect(sandboxScenario(n)).toEqual({ challenge: true, verdict: 'SUCCESS', testCard: true });
    }
  });

  it("Pivot's documented failure numbers give their failure code", () => {
    const documented: Array<[string, string]> = [
      ['4440000334480001', 'DECLINED_BY_CHANNEL'],
      ['5550000334410001', 'DECLINED_BY_CHANNEL'],
      ['3550000334460001', 'DECLINED_BY_CHANNEL'],
      ['4440000334450004', 'INVALID_ACCOUNT'],
      ['5550000334470005', 'AUTHENTICATION_FAILED'],
      ['3550000334410006', 'SUSPECTED_FRAUD'],
      ['4440000334410008', 'BLOCKED_BY_FDS'],
      ['4440000334470010', 'INSUFFICIENT_FUND'],
      ['4440000334450012', 'CANCELLED_BY_USER'],
    ];
    for (const [number, code] of documented) {
      const scenario = sandboxScenario(number);
      expect(scenario.challenge, number).toBe(true);
      expect(scenario.verdict === 'SUCCESS' ? undefined : CARD_FAILURES[scenario.verdict].failureCode, number).toBe(code);
    }
  });

  it('every failure scenario exists on all three networks, Luhn-valid', () => {
    for (const network of ['VISA', 'MASTERCARD', 'JCB'] as const) {
      for (let i = 1; i <= 12; i++) {
        const number = testCardNumber(network, String(i).padStart(4, '0'));
        expect(luhnValid(number)).toBe(true);
        expect(sandboxScenario(number).verdict).not.toBe('SUCCESS');
      }
    }
    expect(testCardNumber('MASTERCARD', '0001')).toBe('5550000334410001');
    expect(testCardNumber('JCB', '0008')).toBe('3550000334490008');
  });

  it('any other valid card pays without a challenge; a near-miss of a test number is just a card', () => {
    expect(sandboxScenario('4111111111111111')).toEqual({ challenge: false, verdict: 'SUCCESS', testCard: false });
    expect(sandboxScenario('4440000334480013').verdict).toBe('SUCCESS');
  });
});
