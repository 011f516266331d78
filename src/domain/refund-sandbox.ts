// How a refund moves on in the sandbox (pivot-api §12, Pivot's refund simulation page): the merchant's
// clientReferenceId prefix decides whether the payment channel takes the money back, and the destination
// account number decides whether a bank transfer goes through. Production has none of this: a refund
// stays where it is until an operator or processor settles it.
import { accountNumberOf, type Refund } from './refund.ts';
import type { DestinationType, RefundStatus } from './statuses.ts';

/** Pivot's documented magic values. */
export const SANDBOX_REFUND = {
  /** Any reference: a bank transfer to this account succeeds (so does one to any account not below). */
  transferSucceedsAccount: '999966660001',
  /** With 2001-…: the bank transfer fails. */
  transferFailsAccount: '999966660008',
  /** With 2002-…: the account does not exist. */
  accountNotFoundAccount: '999966660002',
  /** References whose channel refund fails, so the bank transfer fallback is tried. */
  channelFailsPrefixes: ['1001-', '2001-', '2002-'],
} as const;

/** The next step of an open refund: its next status, and for a final one where the money went and why it failed. */
export interface SandboxStep {
  status: RefundStatus;
  route: DestinationType;
  failure?: { code: string; message: string };
}

const channelFails = (refund: Refund) => SANDBOX_REFUND.channelFailsPrefixes.some((p) => refund.clientReferenceId.startsWith(p));

const accountNotFound = {
  code: 'INVALID_ACCOUNT',
  message: 'The destination account does not exist',
};

/**
 * PENDING through the channel: back to the channel, or (channel refused) on to the bank transfer fallback;
 * PENDING towards an account: the account is checked, then WAITING_BANK_TRANSFER; WAITING_BANK_TRANSFER:
 * the transfer goes through or fails.
 */
export function sandboxStep(refund: Refund): SandboxStep {
  const account = accountNumberOf(refund.payoutDestination);
  if (refund.status === 'WAITING_BANK_TRANSFER') {
    return account === SANDBOX_REFUND.transferFailsAccount
      ? { status: 'FAILED', route: 'ACCOUNT', failure: { code: 'DECLINED_BY_CHANNEL', message: 'The bank refused the transfer' } }
      : { status: 'SUCCESS', route: 'ACCOUNT' };
  }
  if (refund.route === 'CHANNEL') {
    if (!channelFails(refund)) return { status: 'SUCCESS', route: 'CHANNEL' };
    if (account === undefined) {
      return {
        status: 'FAILED',
        route: 'CHANNEL',
        failure: {
          code: 'DECLINED_BY_CHANNEL',
          message: 'The payment channel refused the refund and there is no transferDestination to fall back to',
        },
      };
    }
  }
  if (account === SANDBOX_REFUND.accountNotFoundAccount) return { status: 'FAILED', route: 'ACCOUNT', failure: accountNotFound };
  return { status: 'WAITING_BANK_TRANSFER', route: 'ACCOUNT' };
}
