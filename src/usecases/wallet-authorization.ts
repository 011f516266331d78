// The shopper's side of an e-wallet charge (pivot-api §7.3, §12): naming the wallet account (the OVO number
// on the payment page, or signing in on the sandbox wallet page), then answering in the wallet — the OTP or
// PIN and approve, or turn it down. In the sandbox the wallet's answer is Pivot's for the test number; in
// production Kasir has no wallet to ask, so a charge with a named account waits like a VA or QR does.
import {
  CANCELLED_BY_USER,
  SANDBOX_DECLINE_CODE,
  SANDBOX_OTP,
  sandboxAccountName,
  sandboxAnswer,
  type WalletAnswer,
} from '../domain/methods/ewallet.ts';
import { toE164 } from '../domain/mobile-number.ts';
import { Refusal } from '../domain/refusal.ts';
import {
  decideAwaitAuthentication,
  decideExpire,
  decideFail,
  decidePay,
  decideProcess,
  type Change,
} from '../domain/session-state.ts';
import type { EwalletCharge, Session } from '../domain/session.ts';
import type { Context } from './context.ts';
import { transition } from './persist.ts';

/** The e-wallet part of the session's latest charge, or a refusal: nothing else has a wallet account. */
function walletOf(session: Session): EwalletCharge {
  const wallet = session.charges[session.charges.length - 1]?.ewallet;
  if (!wallet) throw new Refusal('state', 'invalid_state', `Payment session ${session.id} has no e-wallet charge`);
  return wallet;
}

function accountOf(session: Session): string {
  const mobileNumber = walletOf(session).mobileNumber;
  if (!mobileNumber) throw new Refusal('state', 'invalid_state', 'The wallet has no account to charge yet');
  return mobileNumber;
}

/** The shopper named their wallet account (`raw` as typed): the charge now waits for their OTP or PIN. */
export async function nameWalletAccount(ctx: Context, session: Session, raw: string): Promise<Session> {
  const mobileNumber = toE164(raw);
  if (!mobileNumber) throw Refusal.field('mobileNumber', 'mobileNumber must be an Indonesian mobile number');
  return transition(ctx, session.merchantId, session.id, (current, now) => {
    const wallet = walletOf(current);
    const accountName = ctx.env === 'sandbox' ? sandboxAccountName(mobileNumber) : null;
    return decideAwaitAuthentication(current, { ewallet: { ...wallet, mobileNumber, accountName } }, now);
  });
}

export type WalletReply = { approve: true; otp: string } | { approve: false };

const SETTLE: Record<Exclude<WalletAnswer, 'PROCESSING'>, (session: Session, now: Date) => Change> = {
  SUCCESS: (session, now) => decidePay(session, now),
  FAILED: (session, now) => decideFail(session, now, SANDBOX_DECLINE_CODE),
  EXPIRED: (session, now) => decideExpire(session, now),
};

/**
 * Sandbox only: the shopper answers in the wallet. Turning it down cancels the session; approving with
 * the right OTP moves the charge to PROCESSING, and then the test number decides how the wallet settles
 * it (a PROCESSING number leaves it there). A wrong OTP changes nothing: the shopper may try again.
 */
export async function answerWallet(ctx: Context, session: Session, reply: WalletReply): Promise<Session> {
  if (ctx.env !== 'sandbox') throw new Refusal('not_found', 'not_found', 'The sandbox wallet exists only in the sandbox');
  const { merchantId, id } = session;
  if (!reply.approve) return transition(ctx, merchantId, id, (current, now) => decideFail(current, now, CANCELLED_BY_USER));
  if (reply.otp !== SANDBOX_OTP) throw Refusal.field('otp', 'The code is not the one the wallet sent; try again');
  const processing = await transition(ctx, merchantId, id, (current, now) => {
    accountOf(current);
    return decideProcess(current, now);
  });
  const answer = sandboxAnswer(accountOf(processing));
  if (answer === 'PROCESSING') return processing;
  return transition(ctx, merchantId, id, (current, now) => SETTLE[answer](current, now));
}
