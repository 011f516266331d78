import { describe, it, expect } from 'vitest';
import type { Session } from '../../src/domain/session.ts';
import { outcomeOf, returnOrigins, returnUrlFor } from '../../src/page/return-url.ts';

function session(patch: Partial<Session>): Session {
  return {
    id: 'sess-1',
    clientReferenceId: 'ORDER-1',
    status: 'PAID',
    cancellationReason: null,
    charges: [],
    redirectUrl: {
      successReturnUrl: 'https://shop.example/ok?x=1',
      failureReturnUrl: 'https://shop.example/fail',
      expirationReturnUrl: 'https://other.example/late',
    },
    ...patch,
  } as Session;
}

describe('outcomeOf', () => {
  it.each([
    ['PAID', null, 'paid'],
    ['CANCELLED', 'CHARGE_FAILED', 'failed'],
    ['CANCELLED', 'REQUESTED_BY_CUSTOMER', 'cancelled'],
    ['EXPIRED', null, 'expired'],
    ['INACTIVE', null, 'expired'],
    ['REQUIRE_ACTION', null, undefined],
    ['REQUIRE_PAYMENT_METHOD', null, undefined],
  ] as const)('%s/%s → %s', (status, reason, outcome) => {
    expect(outcomeOf(session({ status, cancellationReason: reason }))).toBe(outcome);
  });
});

describe('returnUrlFor', () => {
  it('maps each outcome to its stored URL and appends the session id, reference and status', () => {
    const paid = new URL(returnUrlFor(session({}), 'paid')!);
    expect(paid.origin + paid.pathname).toBe('https://shop.example/ok');
    expect(Object.fromEntries(paid.searchParams)).toEqual({
      x: '1',
      paymentSessionId: 'sess-1',
      clientReferenceId: 'ORDER-1',
      status: 'PAID',
    });
    expect(returnUrlFor(session({ status: 'CANCELLED' }), 'failed')).toMatch(/^https:\/\/shop\.example\/fail\?/);
    expect(returnUrlFor(session({ status: 'CANCELLED' }), 'cancelled')).toMatch(/^https:\/\/shop\.example\/fail\?/);
    expect(returnUrlFor(session({ status: 'EXPIRED' }), 'expired')).toMatch(/^https:\/\/other\.example\/late\?/);
  });

  it('DANA sends the shopper to successReturnUrl whatever the outcome; the status parameter tells them apart', () => {
    const viaDana = (status: Session['status']) =>
      session({
        status,
        charges: [{ ewallet: { channel: 'DANA', mobileNumber: null, accountName: null } }] as Session['charges'],
      });
    for (const [status, outcome] of [
      ['PAID', 'paid'],
      ['CANCELLED', 'failed'],
      ['EXPIRED', 'expired'],
    ] as const) {
      const url = new URL(returnUrlFor(viaDana(status), outcome)!);
      expect(url.origin + url.pathname).toBe('https://shop.example/ok');
      expect(url.searchParams.get('status')).toBe(status);
    }
    const viaOvo = session({
      status: 'CANCELLED',
      charges: [{ ewallet: { channel: 'OVO', mobileNumber: null, accountName: null } }] as Session['charges'],
    });
    expect(returnUrlFor(viaOvo, 'failed')).toMatch(/^https:\/\/shop\.example\/fail\?/);
  });

  it('never returns a missing or non-http URL', () => {
    expect(returnUrlFor(session({ redirectUrl: {} }), 'paid')).toBeUndefined();
    expect(returnUrlFor(session({ redirectUrl: { successReturnUrl: 'javascript:alert(1)' } }), 'paid')).toBeUndefined();
    expect(returnUrlFor(session({ redirectUrl: { successReturnUrl: 'not a url' } }), 'paid')).toBeUndefined();
    expect(returnUrlFor(session({ redirectUrl: { successReturnUrl: 'data:text/html,x' } }), 'paid')).toBeUndefined();
  });

  it('lists the distinct return origins for form-action', () => {
    expect(returnOrigins(session({}))).toEqual(['https://shop.example', 'https://other.example']);
    expect(returnOrigins(session({ redirectUrl: { successReturnUrl: 'javascript:x' } }))).toEqual([]);
  });
});
