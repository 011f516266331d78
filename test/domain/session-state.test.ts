import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  canTransition,
  decideAwaitAuthentication,
  decideCancel,
  decideExpire,
  decideFail,
  decidePay,
  decideProcess,
  viewAt,
} from '../../src/domain/session-state.ts';
import { Refusal } from '../../src/domain/refusal.ts';
import type { Session } from '../../src/domain/session.ts';
import { FINAL_SESSION_STATUSES, SESSION_STATUSES, type SessionStatus } from '../../src/domain/statuses.ts';

const t0 = new Date('2026-01-01T00:00:00Z');
function session(status: SessionStatus, overrides: Partial<Session> = {}): Session {
  return {
    id: 's1',
    merchantId: 'm1',
    clientReferenceId: 'r1',
    amount: { value: 10000, currency: 'IDR' },
    paymentType: 'SINGLE',
    mode: 'REDIRECT',
    autoConfirm: true,
    bypassStatusPage: false,
    saveForFutureUse: false,
    showSavedPayment: false,
    redirectUrl: {},
    paymentMethod: null,
    statementDescriptor: 'Toko',
    paymentUrl: null,
    status,
    createdAt: t0,
    updatedAt: t0,
    expiryAt: new Date(t0.getTime() + 900_000),
    cancelledAt: null,
    cancellationReason: null,
    echo: {},
    chargeCount: 0,
    version: 3,
    // A session waiting for payment carries the charge that put it there (decideIssueCharge).
    charges:
      status === 'REQUIRE_ACTION' || status === 'ACTIVE'
        ? [
            {
              id: 'c1',
              methodType: 'QR',
              expiryAt: null,
              status: 'WAITING_FOR_USER_ACTION',
              amount: { value: 10000, currency: 'IDR' },
              statementDescriptor: 'Toko',
              createdAt: t0,
              updatedAt: t0,
              paidAt: null,
            },
          ]
        : [],
    ...overrides,
  };
}
const later = new Date(t0.getTime() + 60_000);

describe('session state machine', () => {
  it('final statuses allow no transition at all', () => {
    for (const from of FINAL_SESSION_STATUSES) for (const to of SESSION_STATUSES) expect(canTransition(from, to)).toBe(false);
  });

  it('pays only from REQUIRE_ACTION/PROCESSING/ACTIVE, and a paid session can never move (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SESSION_STATUSES), fc.constantFrom('pay', 'cancel', 'fail', 'expire'), (status, action) => {
        const s = session(status);
        const run = () => {
          if (action === 'pay') return decidePay(s, later, { id: 'c2', amount: s.amount });
          if (action === 'cancel') return decideCancel(s, 'VOID_SESSION', later);
          if (action === 'fail') return decideFail(s, later);
          return decideExpire(s, later);
        };
        if ((FINAL_SESSION_STATUSES as readonly string[]).includes(status)) {
          expect(run).toThrow(Refusal);
          return;
        }
        try {
          const change = run();
          expect(change.session.version).toBe(s.version + 1);
          expect(canTransition(s.status, change.session.status)).toBe(true);
          expect(change.events.length).toBeGreaterThan(0);
        } catch (error) {
          expect(error).toBeInstanceOf(Refusal);
          expect((error as Refusal).kind).toBe('state');
        }
      }),
    );
  });

  it('pay moves a SINGLE session to PAID with one PAYMENT.PAID event', () => {
    const change = decidePay(session('REQUIRE_ACTION'), later);
    expect(change.session.status).toBe('PAID');
    expect(change.session.charges[0]).toMatchObject({ status: 'SUCCESS', paidAt: later });
    expect(change.events).toEqual(['PAYMENT.PAID']);
  });

  it('cancel is refused once a charge is out (allow-list, pivot-api §5.6)', () => {
    expect(() => decideCancel(session('REQUIRE_ACTION'), 'VOID_SESSION', later)).toThrow(
      /REQUIRE_PAYMENT_METHOD or REQUIRE_CONFIRMATION/,
    );
  });

  it('a session past its expiry is viewed as EXPIRED and refuses payment', () => {
    const s = session('REQUIRE_ACTION');
    const after = new Date(s.expiryAt!.getTime() + 1);
    expect(viewAt(s, after).status).toBe('EXPIRED');
    expect(viewAt(s, after).charges[0]?.status).toBe('EXPIRED');
    expect(viewAt(s, later).status).toBe('REQUIRE_ACTION');
    expect(() => decidePay(s, after)).toThrow(expect.objectContaining({ code: 'payment_session_expired' }));
  });

  it('expiry of a MULTIPLE session makes it INACTIVE', () => {
    expect(decideExpire(session('ACTIVE'), later).session.status).toBe('INACTIVE');
  });
});

describe('pull payments (e-wallets): the charge moves on while the session is PROCESSING (pivot-api §7.3)', () => {
  const wallet = { channel: 'DANA' as const, mobileNumber: '+628111111001', accountName: 'Sandbox 1001' };
  const waiting = () => {
    const s = session('REQUIRE_ACTION');
    return {
      ...s,
      charges: s.charges.map((c) => ({ ...c, methodType: 'EWALLET' as const, ewallet: { ...wallet, mobileNumber: null } })),
    };
  };

  it('naming the account: REQUIRE_ACTION → PROCESSING, the charge waits for authentication with the account on it', () => {
    const change = decideAwaitAuthentication(waiting(), { ewallet: wallet }, later);
    expect(change.session.status).toBe('PROCESSING');
    expect(change.session.charges[0]).toMatchObject({ status: 'WAITING_FOR_AUTHENTICATION', ewallet: wallet, updatedAt: later });
    expect(change.events).toEqual(['PAYMENT.PROCESSING']);
    // Another account while still waiting replaces it, PROCESSING → PROCESSING, without a second callback.
    const other = { ...wallet, mobileNumber: '+628111111002' };
    const again = decideAwaitAuthentication(change.session, { ewallet: other }, later);
    expect(again.session.charges[0]?.ewallet).toEqual(other);
    expect(again.events).toEqual([]);
  });

  it('authorised: the charge is PROCESSING; from PROCESSING that is PROCESSING → PROCESSING, an allowed transition', () => {
    expect(canTransition('PROCESSING', 'PROCESSING')).toBe(true);
    expect(canTransition('REQUIRE_ACTION', 'REQUIRE_ACTION')).toBe(false);
    const authenticated = decideAwaitAuthentication(waiting(), { ewallet: wallet }, later).session;
    const change = decideProcess(authenticated, later);
    expect(change.session.status).toBe('PROCESSING');
    expect(change.session.charges[0]?.status).toBe('PROCESSING');
    expect(change.session.version).toBe(authenticated.version + 1);
    expect(change.events).toEqual([]);
    // Straight from REQUIRE_ACTION (an OVO push the merchant addressed) it is news: PAYMENT.PROCESSING.
    expect(decideProcess(waiting(), later).events).toEqual(['PAYMENT.PROCESSING']);
    // A charge already processing is not authorised twice; nor is a session without a charge out.
    expect(() => decideProcess(change.session, later)).toThrow(Refusal);
    expect(() => decideAwaitAuthentication(change.session, { ewallet: wallet }, later)).toThrow(Refusal);
    expect(() => decideProcess(session('REQUIRE_CONFIRMATION'), later)).toThrow(/REQUIRE_ACTION or PROCESSING/);
  });

  it('a charge waiting for authentication expires with its session', () => {
    const authenticated = decideAwaitAuthentication(waiting(), { ewallet: wallet }, later).session;
    const expired = decideExpire(authenticated, later).session;
    expect(expired.status).toBe('EXPIRED');
    expect(expired.charges[0]?.status).toBe('EXPIRED');
  });
});
