// The method registry: every Pivot method type is either offered (a module) or reported as not offered;
// each module reads back exactly what it stored; rules come from the module, not from branches elsewhere.
import { describe, expect, it } from 'vitest';
import { checkMethod } from '../../../src/domain/method-rules.ts';
import { METHODS, OFFERED_METHOD_TYPES, methodConfig, methodOf } from '../../../src/domain/methods/registry.ts';
import type { Charge, MethodChoice, Session } from '../../../src/domain/session.ts';
import { PAYMENT_METHOD_TYPES } from '../../../src/domain/statuses.ts';
import { rangesOfMerchantCode } from '../../../src/domain/va-number.ts';

const at = new Date('2026-01-01T00:00:00Z');
const session = {
  id: 's1',
  merchantId: 'm1',
  clientReferenceId: 'r1',
  amount: { value: 20_000, currency: 'IDR' },
  statementDescriptor: 'Toko',
} as Pick<Session, 'id' | 'merchantId' | 'clientReferenceId' | 'amount' | 'statementDescriptor'>;
const choices: Record<keyof typeof METHODS, MethodChoice> = {
  VIRTUAL_ACCOUNT: {
    type: 'VIRTUAL_ACCOUNT',
    options: {
      virtualAccount: { channel: 'BRI', virtualAccountName: 'Toko', virtualAccountNumber: '2621500001012345', expiryAt: at },
    },
  },
  QR: { type: 'QR', options: { qr: { expiryAt: at } } },
  EWALLET: { type: 'EWALLET', options: { ewallet: { channel: 'OVO', expiryAt: at, accountIdentifier: '0811-1111-1001' } } },
  CARD: {
    type: 'CARD',
    options: {
      card: {
        threeDsMethod: 'CHALLENGE',
        captureMethod: 'automatic',
        sessionKey: { publicKey: 'cHVi', sealedPrivateKey: 'c2VhbGVk' },
      },
    },
  },
};
/** A card charge learns its card after it is issued: the round trip covers that part too. */
const takenCard = {
  first6: '444000',
  first8: '44400001',
  last4: '0001',
  brand: 'VISA' as const,
  expMonth: '12',
  expYear: '2030',
  fingerprint: 'f'.repeat(32),
  sandboxIssuer: true,
};
const [bri, bca] = ['BRI', 'BCA'].map((channel) => rangesOfMerchantCode(1).find((r) => r.channel === channel)!);

describe('payment method registry', () => {
  it('lists every Pivot method type: offered ones with a module, the rest disabled in the configs', () => {
    for (const type of PAYMENT_METHOD_TYPES) {
      const config = methodConfig(type);
      expect(config.enabled, type).toBe(methodOf(type) !== undefined);
      expect(config.minimumAmount).toBeGreaterThan(0);
      if (!config.enabled) expect(config.acceptedChannels).toEqual([]);
    }
    expect([...OFFERED_METHOD_TYPES].sort()).toEqual(['CARD', 'EWALLET', 'QR', 'VIRTUAL_ACCOUNT']);
  });

  it('each method says which way its refunds go: QRIS, e-wallets and cards back through the channel, a VA by bank transfer only', () => {
    expect(Object.fromEntries(OFFERED_METHOD_TYPES.map((t) => [t, METHODS[t].refundsThroughChannel]))).toEqual({
      VIRTUAL_ACCOUNT: false,
      QR: true,
      EWALLET: true,
      CARD: true,
    });
  });

  it('offers every method type Pivot documents, so none is left to refuse by type', () => {
    expect([...OFFERED_METHOD_TYPES].sort()).toEqual([...PAYMENT_METHOD_TYPES].sort());
    for (const type of PAYMENT_METHOD_TYPES) {
      const problems = checkMethod({ type, options: {} }, { amount: { value: 20_000, currency: 'IDR' }, paymentType: 'SINGLE' });
      expect(problems.filter((p) => p.field === 'paymentMethod.type')).toEqual([]);
    }
  });

  for (const type of OFFERED_METHOD_TYPES) {
    it(`${type}: options and charge details read back exactly as written`, () => {
      const method = METHODS[type];
      const choice = choices[type];
      const stored = JSON.parse(JSON.stringify(method.encodeOptions(choice.options)));
      expect(method.decodeOptions(stored)).toEqual(choice.options);

      const issued = method.issue({
        session: { ...session, amount: session.amount } as Session,
        choice,
        expiryAt: at,
        merchantName: 'Toko Test',
        randomDigits: (n) => '7'.repeat(n),
        stableDigits: (_seed, n) => '3'.repeat(n),
        vaRange: method.rangeChannel(choice) === undefined ? undefined : bri,
      });
      const details0 = issued.details.card
        ? {
            card: {
              ...issued.details.card,
              card: takenCard,
              challenge: { verdict: 'SUCCESS', wrongOtps: 1 },
              fds: {
                score: 12,
                level: 'LOW' as const,
                recommendation: 'Approve' as const,
                status: 'PASSED' as const,
                evaluatedAt: at,
              },
            },
          }
        : issued.details;
      const charge = { id: 'c1', methodType: type, expiryAt: at, ...details0 } as Charge;
      const details = JSON.parse(JSON.stringify(method.encodeDetails(charge)));
      expect(method.decodeDetails(details, at)).toEqual(details0);
      expect(Object.keys(method.chargeWire(charge))[0]).toBe(method.optionsKey);
    });
  }

  it('a VA charge reserves its number; a requested one is what it reserves', () => {
    const input = {
      session: session as Session,
      expiryAt: at,
      merchantName: 'Toko',
      randomDigits: (n: number) => '1'.repeat(n),
      stableDigits: (_s: string, n: number) => '0'.repeat(n),
      vaRange: bri,
    };
    const issued = METHODS.VIRTUAL_ACCOUNT.issue({ ...input, choice: choices.VIRTUAL_ACCOUNT });
    expect(issued.reservation).toEqual({ channel: 'BRI', number: '2621500001012345' });
    const generated = METHODS.VIRTUAL_ACCOUNT.issue({
      ...input,
      choice: { type: 'VIRTUAL_ACCOUNT', options: { virtualAccount: { channel: 'BRI' } } },
    });
    expect(generated.reservation).toEqual({ channel: 'BRI', number: '2621500001211111' });
    expect(METHODS.VIRTUAL_ACCOUNT.rangeChannel(choices.VIRTUAL_ACCOUNT)).toBe('BRI');
    expect(METHODS.VIRTUAL_ACCOUNT.requestedReservation(choices.VIRTUAL_ACCOUNT, bri)).toEqual({
      channel: 'BRI',
      number: '2621500001012345',
      field: 'paymentMethodOptions.virtualAccount.virtualAccountNumber',
      takenMessage: 'requested VA number already assigned',
    });
    expect(METHODS.QR.rangeChannel(choices.QR)).toBeUndefined();
    expect(METHODS.QR.requestedReservation(choices.QR, undefined)).toBeUndefined();
  });

  it("a requested VA number outside the merchant's range at that bank carries Pivot's refusal", () => {
    const outside = { outsideRangeMessage: 'requested VA number not within assigned static VA range' };
    const asking = (virtualAccountNumber: string): MethodChoice => ({
      type: 'VIRTUAL_ACCOUNT',
      options: { virtualAccount: { channel: 'BRI', virtualAccountNumber } },
    });
    const check = (number: string, range = bri) => METHODS.VIRTUAL_ACCOUNT.requestedReservation(asking(number), range);
    expect(check('2621500001012345')).not.toHaveProperty('outsideRangeMessage');
    // The merchant's generated part, another merchant's range, another bank's range, and no range at all.
    expect(check('2621500001112345')).toMatchObject(outside);
    expect(check('2621500002012345')).toMatchObject(outside);
    expect(check('2621500001012345', bca)).toMatchObject(outside);
    expect(METHODS.VIRTUAL_ACCOUNT.requestedReservation(asking('2621500001012345'), undefined)).toMatchObject(outside);
  });
});
