import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canTransition, decideCancel, decideExpire, decideFail, decidePay, viewAt } from '../../src/domain/session-state.ts';
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
