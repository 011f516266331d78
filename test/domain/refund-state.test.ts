// The refund state machine and its money rule, without a database: which moves are allowed, what a refund
// reserves and releases on its charge, and that no sequence of refunds ever reserves more than was paid.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  assertRefundable,
  canRefundTransition,
  decideCreateRefund,
  decideSandboxStep,
  decideSettle,
  pickRefundCharge,
  refundableAmount,
  type NewRefund,
} from '../../src/domain/refund-state.ts';
import type { Refund, RefundRequest } from '../../src/domain/refund.ts';
import { Refusal } from '../../src/domain/refusal.ts';
import type { Charge, Session } from '../../src/domain/session.ts';
import { REFUND_STATUSES, type RefundStatus, type SessionStatus } from '../../src/domain/statuses.ts';

const t0 = new Date('2026-01-01T00:00:00Z');
const destination = { channelCode: 'BCA', channelInformation: { accountNumber: '1234567890', accountName: 'A' } };

function charge(overrides: Partial<Charge> = {}): Charge {
  return {
    id: 'c1',
    methodType: 'QR',
    status: 'SUCCESS',
    amount: { value: 10_000, currency: 'IDR' },
    statementDescriptor: 'Toko',
    createdAt: t0,
    updatedAt: t0,
    paidAt: t0,
    expiryAt: null,
    ...overrides,
  };
}

function session(status: SessionStatus = 'PAID', overrides: Partial<Session> = {}): Session {
  return {
    id: 's1',
    merchantId: 'm1',
    clientReferenceId: 'r1',
    amount: { value: 10_000, currency: 'IDR' },
    paymentType: 'SINGLE',
    mode: 'REDIRECT',
    autoConfirm: true,
    bypassStatusPage: false,
    saveForFutureUse: false,
    showSavedPayment: false,
    redirectUrl: {},
    paymentMethod: { type: 'QR', options: {} },
    statementDescriptor: 'Toko',
    paymentUrl: null,
    status,
    createdAt: t0,
    updatedAt: t0,
    expiryAt: null,
    cancelledAt: null,
    cancellationReason: null,
    echo: {},
    charges: [charge(status === 'PAID' ? {} : { status: 'WAITING_FOR_USER_ACTION', paidAt: null })],
    chargeCount: 1,
    version: 2,
    ...overrides,
  };
}

const request = (overrides: Partial<RefundRequest> = {}): RefundRequest => ({
  clientReferenceId: 'rf1',
  isFullAmount: false,
  amount: { value: 3000, currency: 'IDR' },
  reason: 'REQUESTED_BY_CUSTOMER',
  ...overrides,
});

function create(overrides: Partial<NewRefund> = {}) {
  const s = overrides.session ?? session();
  return decideCreateRefund({
    id: 'rf-id',
    session: s,
    charge: s.charges[0]!,
    request: request(),
    refundsThroughChannel: true,
    stepDelayMs: 5000,
    now: t0,
    ...overrides,
  });
}

const refusalOf = (fn: () => unknown): Refusal => {
  try {
    fn();
  } catch (error) {
    if (error instanceof Refusal) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('refund transitions', () => {
  it('allow exactly PENDING → SUCCESS | WAITING_BANK_TRANSFER | FAILED and WAITING_BANK_TRANSFER → SUCCESS | FAILED', () => {
    const allowed = REFUND_STATUSES.flatMap((from) =>
      REFUND_STATUSES.filter((to) => canRefundTransition(from, to)).map((to) => `${from}→${to}`),
    );
    expect(allowed).toEqual([
      'PENDING→WAITING_BANK_TRANSFER',
      'PENDING→SUCCESS',
      'PENDING→FAILED',
      'WAITING_BANK_TRANSFER→SUCCESS',
      'WAITING_BANK_TRANSFER→FAILED',
    ]);
  });

  it('a final refund never moves: settling it again is a state refusal', () => {
    const { refund, charge: c } = create();
    const done = decideSettle(refund, c, 'SUCCESS', t0);
    for (const outcome of ['SUCCESS', 'FAILED'] as const) {
      expect(refusalOf(() => decideSettle(done.refund, done.charge, outcome, t0))).toMatchObject({
        kind: 'state',
        code: 'invalid_state',
      });
    }
    expect(refusalOf(() => decideSandboxStep(done.refund, done.charge, t0, 5000)).kind).toBe('state');
  });
});

describe('creating a refund', () => {
  it('reserves its amount on the charge and owes REFUND.PENDING; due one delay later in the sandbox', () => {
    const change = create();
    expect(change.refund).toMatchObject({
      status: 'PENDING',
      amount: { value: 3000, currency: 'IDR' },
      capturedAmount: { value: 10_000, currency: 'IDR' },
      route: 'CHANNEL',
      destinationType: null,
      method: 'AUTO',
      nextStepAt: new Date(t0.getTime() + 5000),
    });
    expect(change.charge.refunds).toEqual({ reserved: 3000, refunded: 0 });
    expect(change.events).toEqual(['REFUND.PENDING']);
    expect(create({ stepDelayMs: null }).refund.nextStepAt).toBeNull();
  });

  it('isFullAmount takes what remains; more than remains, or nothing left, is refund_amount_exceeded', () => {
    const partly = charge({ refunds: { reserved: 7000, refunded: 2000 } });
    const s = session('PAID', { charges: [partly] });
    expect(refundableAmount(partly)).toBe(3000);
    expect(
      create({ session: s, charge: partly, request: request({ isFullAmount: true, amount: undefined }) }).refund.amount.value,
    ).toBe(3000);
    expect(
      refusalOf(() => create({ session: s, charge: partly, request: request({ amount: { value: 3001, currency: 'IDR' } }) })),
    ).toMatchObject({
      kind: 'state',
      code: 'refund_amount_exceeded',
    });
    const spent = charge({ refunds: { reserved: 10_000, refunded: 10_000 } });
    const none = refusalOf(() =>
      create({
        session: session('PAID', { charges: [spent] }),
        charge: spent,
        request: request({ isFullAmount: true, amount: undefined }),
      }),
    );
    expect(none.message).toMatch(/nothing left/);
  });

  it('a card captured in part is refundable up to what was captured, not what was authorized', () => {
    const captured = charge({
      methodType: 'CARD',
      card: {
        captureMethod: 'manual',
        captures: [{ id: 'cap1', amount: 6000, releaseRemainingAmount: true, createdAt: t0 }],
      } as unknown as NonNullable<Charge['card']>,
    });
    const s = session('PAID', { charges: [captured] });
    expect(refundableAmount(captured)).toBe(6000);
    const full = create({ session: s, charge: captured, request: request({ isFullAmount: true, amount: undefined }) });
    expect(full.refund).toMatchObject({ amount: { value: 6000 }, capturedAmount: { value: 6000 } });
    expect(
      refusalOf(() => create({ session: s, charge: captured, request: request({ amount: { value: 6001, currency: 'IDR' } }) }))
        .code,
    ).toBe('refund_amount_exceeded');
  });

  it('only a PAID SINGLE session, or a SUCCESS charge of a MULTIPLE one', () => {
    for (const status of ['REQUIRE_ACTION', 'PROCESSING', 'CANCELLED', 'EXPIRED'] as const) {
      const s = session(status);
      expect(refusalOf(() => pickRefundCharge(s))).toMatchObject({ kind: 'state', code: 'invalid_state' });
      expect(refusalOf(() => assertRefundable(s, s.charges[0]!)).code).toBe('invalid_state');
    }
    const multiple = session('INACTIVE', {
      paymentType: 'MULTIPLE',
      charges: [charge({ status: 'WAITING_FOR_USER_ACTION' }), charge({ id: 'c2' })],
    });
    expect(refusalOf(() => pickRefundCharge(multiple))).toMatchObject({ kind: 'validation', details: [{ field: 'chargeId' }] });
    expect(() => assertRefundable(multiple, multiple.charges[1]!)).not.toThrow();
    expect(refusalOf(() => assertRefundable(multiple, multiple.charges[0]!)).code).toBe('invalid_state');
  });

  it('the method decides the way: channel when it can (AUTO), else a transfer that needs a destination', () => {
    expect(create({ refundsThroughChannel: false, request: request({ transferDestination: destination }) }).refund.route).toBe(
      'ACCOUNT',
    );
    expect(refusalOf(() => create({ refundsThroughChannel: false })).details).toEqual([
      { field: 'transferDestination', message: expect.any(String) },
    ]);
    expect(refusalOf(() => create({ request: request({ method: 'TRANSFER_ONLY' }) })).details[0]?.field).toBe(
      'transferDestination',
    );
    const preferring = session('PAID', {
      echo: { customer: { email: 'a@b.c', refundPreference: { method: 'TRANSFER_ONLY', transferDestination: destination } } },
    });
    const byPreference = create({ session: preferring });
    expect(byPreference.refund).toMatchObject({ method: 'TRANSFER_ONLY', route: 'ACCOUNT', payoutDestination: destination });
    expect(byPreference.refund.transferDestination).toBeUndefined();
    expect(refusalOf(() => create({ request: request({ amount: { value: 1000, currency: 'USD' } }) })).details[0]?.field).toBe(
      'amount.currency',
    );
  });

  it('no sequence of refunds, settled any way, ever reserves more than the charge paid', () => {
    type Op = { kind: 'create'; value: number; full: boolean } | { kind: 'settle'; index: number; outcome: 'SUCCESS' | 'FAILED' };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant('create' as const), value: fc.integer({ min: 1, max: 12_000 }), full: fc.boolean() }),
      fc.record({
        kind: fc.constant('settle' as const),
        index: fc.nat(20),
        outcome: fc.constantFrom('SUCCESS' as const, 'FAILED' as const),
      }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        let current = charge();
        const refunds: Refund[] = [];
        for (const o of ops) {
          try {
            if (o.kind === 'create') {
              const change = create({
                session: session('PAID', { charges: [current] }),
                charge: current,
                request: request({ isFullAmount: o.full, amount: o.full ? undefined : { value: o.value, currency: 'IDR' } }),
              });
              refunds.push(change.refund);
              current = change.charge;
            } else {
              const target = refunds[o.index % Math.max(refunds.length, 1)];
              if (!target) continue;
              const change = decideSettle(target, current, o.outcome, t0);
              refunds[refunds.indexOf(target)] = change.refund;
              current = change.charge;
            }
          } catch (error) {
            if (!(error instanceof Refusal)) throw error;
          }
          const held = refunds.filter((r) => r.status !== 'FAILED').reduce((sum, r) => sum + r.amount.value, 0);
          const succeeded = refunds.filter((r) => r.status === 'SUCCESS').reduce((sum, r) => sum + r.amount.value, 0);
          expect(current.refunds ?? { reserved: 0, refunded: 0 }).toEqual({ reserved: held, refunded: succeeded });
          expect(held).toBeLessThanOrEqual(10_000);
        }
      }),
    );
  });
});

describe('sandbox steps (pivot-api §12)', () => {
  const walk = (overrides: Partial<NewRefund>, s = session()): Array<[RefundStatus, string | null]> => {
    let change = create({ session: s, ...overrides });
    const seen: Array<[RefundStatus, string | null]> = [[change.refund.status, change.refund.destinationType]];
    while (change.refund.status === 'PENDING' || change.refund.status === 'WAITING_BANK_TRANSFER') {
      change = decideSandboxStep(change.refund, change.charge, t0, 5000);
      seen.push([change.refund.status, change.refund.destinationType]);
    }
    return seen;
  };
  const to = (accountNumber: string) => ({
    ...destination,
    channelInformation: { ...destination.channelInformation, accountNumber },
  });

  it('a channel refund succeeds through the channel', () => {
    expect(walk({})).toEqual([
      ['PENDING', null],
      ['SUCCESS', 'CHANNEL'],
    ]);
  });

  it('999966660001: the transfer succeeds', () => {
    expect(walk({ request: request({ method: 'TRANSFER_ONLY', transferDestination: to('999966660001') }) })).toEqual([
      ['PENDING', null],
      ['WAITING_BANK_TRANSFER', null],
      ['SUCCESS', 'ACCOUNT'],
    ]);
  });

  it('1001-: channel fails, fallback transfer succeeds; without any destination the refund fails on the channel', () => {
    expect(walk({ request: request({ clientReferenceId: '1001-a', transferDestination: to('5555') }) }).map(([s]) => s)).toEqual([
      'PENDING',
      'WAITING_BANK_TRANSFER',
      'SUCCESS',
    ]);
    expect(walk({ request: request({ clientReferenceId: '1001-a' }) })).toEqual([
      ['PENDING', null],
      ['FAILED', 'CHANNEL'],
    ]);
  });

  it('2001- + 999966660008: the fallback transfer fails; 2002- + 999966660002: the account does not exist', () => {
    expect(walk({ request: request({ clientReferenceId: '2001-a', transferDestination: to('999966660008') }) })).toEqual([
      ['PENDING', null],
      ['WAITING_BANK_TRANSFER', null],
      ['FAILED', 'ACCOUNT'],
    ]);
    const notFound = create({ request: request({ clientReferenceId: '2002-a', transferDestination: to('999966660002') }) });
    const failed = decideSandboxStep(notFound.refund, notFound.charge, t0, 5000);
    expect(failed.refund).toMatchObject({
      status: 'FAILED',
      destinationType: 'ACCOUNT',
      failureCode: 'INVALID_ACCOUNT',
      nextStepAt: null,
    });
    expect(failed.charge.refunds).toEqual({ reserved: 0, refunded: 0 });
    expect(failed.events).toEqual(['REFUND.FAILED']);
  });

  it('WAITING_BANK_TRANSFER owes the callback under Pivot’s spelling', () => {
    const change = create({ request: request({ method: 'TRANSFER_ONLY', transferDestination: destination }) });
    expect(decideSandboxStep(change.refund, change.charge, t0, 5000).events).toEqual(['REFUND.WAITING_BANK_TRANFER']);
  });
});
