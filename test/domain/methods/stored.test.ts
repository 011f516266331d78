// A method's stored options and charge details are read back member by member (src/domain/methods/stored.ts):
// every member of every method's stored JSON, given a value of another type, is refused with its path,
// where a shape asserted for the whole object would hand the wrong type on to the page, the wire and the rules.
import { describe, expect, it } from 'vitest';
import { StoredObject } from '../../../src/domain/methods/stored.ts';
import { METHODS } from '../../../src/domain/methods/registry.ts';
import type { ChargeDetails } from '../../../src/domain/methods/method.ts';
import type { Charge, MethodOptions } from '../../../src/domain/session.ts';
import { PAYMENT_METHOD_TYPES, type PaymentMethodType } from '../../../src/domain/statuses.ts';

const at = new Date('2026-01-01T00:00:00Z');

const base: Charge = {
  id: 'c1',
  methodType: 'VIRTUAL_ACCOUNT',
  status: 'SUCCESS',
  amount: { value: 150_000, currency: 'IDR' },
  statementDescriptor: 'Toko',
  createdAt: at,
  updatedAt: at,
  paidAt: at,
  expiryAt: at,
};

/** Each method with every member its stored options and details can hold. */
const stored: Record<PaymentMethodType, { options: MethodOptions; details: ChargeDetails }> = {
  VIRTUAL_ACCOUNT: {
    options: {
      virtualAccount: { channel: 'BRI', virtualAccountName: 'Toko', virtualAccountNumber: '2621500001012345', expiryAt: at },
    },
    details: {
      virtualAccount: { channel: 'BRI', virtualAccountNumber: '2621500001012345', virtualAccountName: 'Toko', expiryAt: at },
    },
  },
  QR: {
    options: { qr: { expiryAt: at } },
    details: {
      qr: { acquirer: 'BNC', qrContent: '000201', qrType: 'DYNAMIC', merchantName: 'Toko', expiryAt: at },
    },
  },
  EWALLET: {
    options: { ewallet: { channel: 'DANA', expiryAt: at, accountIdentifier: '+6281234567890' } },
    details: { ewallet: { channel: 'DANA', mobileNumber: null, accountName: 'Budi' } },
  },
  CARD: {
    options: {
      card: { threeDsMethod: 'CHALLENGE', captureMethod: 'manual', sessionKey: { publicKey: 'pk', sealedPrivateKey: 'sk' } },
    },
    details: {
      card: {
        threeDsMethod: 'CHALLENGE',
        captureMethod: 'manual',
        card: {
          first6: '400000',
          first8: '40000000',
          last4: '1091',
          brand: 'VISA',
          expMonth: '12',
          expYear: '2030',
          fingerprint: 'f1',
          sandboxIssuer: true,
        },
        challenge: { verdict: 'SUCCESS', wrongOtps: 1 },
        authentication: { threeDsVersion: '2.2.0', threeDsResult: 'Y', threeDsMethod: 'CHALLENGE', eciCode: '05' },
        authorization: {
          acquirerReferenceNumber: 'arn',
          retrievalReferenceNumber: 'rrn',
          stan: '123456',
          avsResult: 'U',
          cvvResult: 'M',
          authorizedAmount: { value: 150_000, currency: 'IDR' },
          issuerAuthorizationCode: null,
        },
        fds: { score: 12, level: 'LOW', recommendation: 'Approve', status: 'PASSED', evaluatedAt: at },
        recommendation: 'Retry',
        captures: [{ id: 'cap1', amount: 50_000, releaseRemainingAmount: false, createdAt: at, requestId: 'r1' }],
      },
    },
  },
};

/** The JSON text the store keeps, read back as the store reads it. */
const asStored = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** Every member of a JSON value, with its path's last step, its parent and a value of another type. */
function* members(value: unknown): Generator<{ step: string; replace: () => void; restore: () => void }> {
  if (typeof value !== 'object' || value === null) return;
  const holder: Record<string, unknown> | unknown[] = Array.isArray(value) ? value : Object(value);
  for (const key of Object.keys(holder)) {
    const own = Array.isArray(holder) ? holder[Number(key)] : holder[key];
    const other =
      typeof own === 'string' ? 7 : typeof own === 'number' || typeof own === 'boolean' ? 'seven' : own === null ? 7 : 'x';
    const set = (v: unknown) => (Array.isArray(holder) ? (holder[Number(key)] = v) : (holder[key] = v));
    yield { step: Array.isArray(holder) ? `[${key}]` : `.${key}`, replace: () => set(other), restore: () => set(own) };
    yield* members(own);
  }
}

describe('stored method options and charge details', () => {
  for (const type of PAYMENT_METHOD_TYPES) {
    const method = METHODS[type];
    const { options, details } = stored[type];
    const charge: Charge = { ...base, methodType: type, ...details };

    it(`${type}: what is written reads back the same`, () => {
      expect(method.decodeOptions(asStored(method.encodeOptions(options)))).toEqual(options);
      expect(method.decodeDetails(asStored(method.encodeDetails(charge)), at)).toEqual(details);
    });

    it(`${type}: a member of another type is refused, named`, () => {
      for (const [what, written, decode] of [
        ['options', method.encodeOptions(options), (v: unknown) => method.decodeOptions(v)],
        ['details', method.encodeDetails(charge), (v: unknown) => method.decodeDetails(v, at)],
      ] as const) {
        const json = asStored(written);
        let checked = 0;
        for (const member of members(json)) {
          member.replace();
          expect(() => decode(json), `${what} ${member.step}`).toThrow(member.step);
          member.restore();
          checked++;
        }
        expect(checked, `${type} ${what} has members`).toBeGreaterThan(0);
        expect(() => decode([json])).toThrow(/is not an object/);
      }
    });
  }

  it('a name outside its list is refused, with the names it may be', () => {
    const details = asStored(METHODS.VIRTUAL_ACCOUNT.encodeDetails({ ...base, ...stored.VIRTUAL_ACCOUNT.details }));
    expect(() => METHODS.VIRTUAL_ACCOUNT.decodeDetails({ ...Object(details), channel: 'NOBANK' }, at)).toThrow(
      /stored virtual-account charge\.channel is not one of BCA, .*BRI/,
    );
  });
});

describe('StoredObject', () => {
  it('reads only its own members', () => {
    const inherited = StoredObject.read(Object.create({ name: 'from a prototype' }), 'thing');
    expect(() => inherited.string('name')).toThrow('stored thing.name is not a string');
    expect(inherited.optional('name', (n) => inherited.string(n))).toBeUndefined();
  });

  it('tells absent from null, and a number from what is not finite', () => {
    const o = StoredObject.read({ gone: null, n: 1 }, 'thing');
    expect(o.nullable('gone', (n) => o.string(n))).toBeNull();
    expect(() => o.optional('gone', (n) => o.string(n))).toThrow('stored thing.gone is not a string');
    expect(o.optional('absent', (n) => o.number(n))).toBeUndefined();
    expect(o.number('n')).toBe(1);
    expect(() => StoredObject.read({ n: '1' }, 'thing').number('n')).toThrow('stored thing.n is not a number');
  });

  it('names the path of a nested member and of a list item', () => {
    const o = StoredObject.read({ a: { b: [{ c: 1 }, 'x'] } }, 'thing');
    expect(() => o.object('a').objects('b')).toThrow('stored thing.a.b[1] is not an object');
    expect(() =>
      StoredObject.read({ a: { b: [{ c: 1 }] } }, 'thing')
        .object('a')
        .objects('b')[0]!
        .string('c'),
    ).toThrow('stored thing.a.b[0].c is not a string');
  });
});
