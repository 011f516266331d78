// 3-D Secure decisions: what taking a card does under each threeDsMethod, the OTP and the cancel, and
// what a failure leaves on the charge.
import { describe, expect, it } from 'vitest';
import type { CardCharge, TakenCard } from '../../../src/domain/card/card-charge.ts';
import { cardDigits } from '../../../src/domain/card/pan.ts';
import { sandboxScenario } from '../../../src/domain/card/sandbox-cards.ts';
import { decideCardTaken, decideChallengeCancelled, decideOtp } from '../../../src/domain/card/three-ds.ts';
import type { Session } from '../../../src/domain/session.ts';

const NOW = new Date('2026-03-15T10:00:00Z');
const digits = (n: number) => '9'.repeat(n);

function cardSession(threeDsMethod: CardCharge['threeDsMethod']): Session {
  return {
    id: 's1',
    merchantId: 'm1',
    clientReferenceId: 'r1',
    amount: { value: 50_000, currency: 'IDR' },
    paymentType: 'SINGLE',
    mode: 'REDIRECT',
    autoConfirm: true,
    bypassStatusPage: false,
    saveForFutureUse: false,
    showSavedPayment: false,
    redirectUrl: {},
    paymentMethod: { type: 'CARD', options: { card: { threeDsMethod } } },
    statementDescriptor: 'Toko',
    paymentUrl: null,
    status: 'REQUIRE_ACTION',
    createdAt: NOW,
    updatedAt: NOW,
    expiryAt: new Date(NOW.getTime() + 900_000),
    cancelledAt: null,
    cancellationReason: null,
    echo: {},
    charges: [
      {
        id: 'c1',
        methodType: 'CARD',
        status: 'WAITING_FOR_USER_ACTION',
        amount: { value: 50_000, currency: 'IDR' },
        statementDescriptor: 'Toko',
        createdAt: NOW,
        updatedAt: NOW,
        paidAt: null,
        expiryAt: null,
        card: { threeDsMethod, captureMethod: 'automatic' },
      },
    ],
    chargeCount: 1,
    version: 1,
  };
}

const taken = (number: string): TakenCard => ({
  ...cardDigits(number),
  expMonth: '12',
  expYear: '2030',
  fingerprint: 'fp',
  sandboxIssuer: true,
});
const take = (number: string, method: CardCharge['threeDsMethod'] = 'AUTOMATIC') =>
  decideCardTaken(cardSession(method), taken(number), sandboxScenario(number), NOW, digits);

describe('3-D Secure decisions', () => {
  it('a frictionless card pays at once, authenticated without a challenge', () => {
    const { session, events } = take('4440000112200001');
    expect(session.status).toBe('PAID');
    expect(events).toEqual(['PAYMENT.PAID']);
    const charge = session.charges[0]!;
    expect(charge.status).toBe('SUCCESS');
    expect(charge.card?.authentication).toMatchObject({ threeDsResult: 'Y', threeDsMethod: 'FRICTIONLESS', eciCode: '05' });
    expect(charge.card?.authorization?.authorizedAmount).toEqual({ value: 50_000, currency: 'IDR' });
  });

  it('a challenge card waits for the OTP; 000000 pays it', () => {
    const waiting = take('5550000112220002');
    expect(waiting.session.status).toBe('PROCESSING');
    expect(waiting.events).toEqual(['PAYMENT.PROCESSING']);
    expect(waiting.session.charges[0]!.status).toBe('WAITING_FOR_AUTHENTICATION');
    const paid = decideOtp(waiting.session, '000000', NOW, digits);
    expect(paid.session.status).toBe('PAID');
    expect(paid.session.charges[0]!.card?.authentication).toMatchObject({ threeDsMethod: 'CHALLENGE', eciCode: '02' });
  });

  it('a wrong OTP keeps the challenge open and counts; the third fails AUTHENTICATION_FAILED', () => {
    let s = take('4440000112290002').session;
    for (let i = 1; i <= 2; i++) {
      const retry = decideOtp(s, '123456', NOW, digits);
      expect(retry.events).toEqual([]);
      expect(retry.session.charges[0]!.card?.challenge?.wrongOtps).toBe(i);
      s = retry.session;
    }
    const failed = decideOtp(s, '111111', NOW, digits).session;
    expect(failed.status).toBe('CANCELLED');
    expect(failed.cancellationReason).toBe('CHARGE_FAILED');
    expect(failed.charges[0]).toMatchObject({ status: 'FAILED', failureCode: 'AUTHENTICATION_FAILED' });
  });

  it('cancel at the ACS page ends CANCELLED_BY_USER', () => {
    const s = take('3550000112270002').session;
    const cancelled = decideChallengeCancelled(s, NOW, digits).session;
    expect(cancelled.charges[0]).toMatchObject({ status: 'FAILED', failureCode: 'CANCELLED_BY_USER' });
    expect(cancelled.charges[0]!.card?.recommendation).toEqual(expect.any(String));
  });

  it('a failure card fails after the challenge with its code, message and recommendation', () => {
    const s = take('4440000334470010').session;
    const failed = decideOtp(s, '000000', NOW, digits);
    expect(failed.events).toEqual(['PAYMENT.CANCELLED']);
    expect(failed.session.charges[0]).toMatchObject({
      status: 'FAILED',
      failureCode: 'INSUFFICIENT_FUND',
      failureMessage: expect.stringContaining('insufficient funds'),
    });
    expect(failed.session.charges[0]!.card?.authorization).toMatchObject({
      authorizedAmount: null,
      issuerAuthorizationCode: null,
    });
  });

  it('CHALLENGE asks even a frictionless card; NEVER skips 3-D Secure even for a challenge card', () => {
    expect(take('4440000112200001', 'CHALLENGE').session.charges[0]!.status).toBe('WAITING_FOR_AUTHENTICATION');
    const never = take('4440000112290002', 'NEVER').session;
    expect(never.status).toBe('PAID');
    expect(never.charges[0]!.card?.authentication).toBeUndefined();
    expect(take('4440000334480001', 'NEVER').session.charges[0]).toMatchObject({ failureCode: 'DECLINED_BY_CHANNEL' });
  });

  it('the fraud check rejects BLOCKED_BY_FDS before the issuer is asked', () => {
    const s = decideOtp(take('4440000334410008').session, '000000', NOW, digits).session;
    expect(s.charges[0]!.card?.fds).toMatchObject({ level: 'HIGH', status: 'REJECTED', recommendation: 'Reject' });
    expect(s.charges[0]!.card?.authorization).toBeUndefined();
  });

  it('without a sandbox scenario (production) the charge waits for the processor', () => {
    const { session } = decideCardTaken(cardSession('AUTOMATIC'), taken('4440000112200001'), undefined, NOW, digits);
    expect(session.status).toBe('PROCESSING');
    expect(session.charges[0]!.status).toBe('PROCESSING');
  });

  it('a card cannot be taken twice', () => {
    const paid = take('4440000112200001').session;
    expect(() => decideCardTaken(paid, taken('4440000112200001'), undefined, NOW, digits)).toThrow(/already submitted|PAID/);
  });
});
