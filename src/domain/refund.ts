// A refund as the domain sees it (pivot-api §5.10): plain data, dates as Date, money as integers. What the
// merchant sent (transferDestination, metadata) is kept as given and echoed; Kasir reads only the account
// number out of a destination, and only in the sandbox.
import type { Money } from './session.ts';
import type { DestinationType, RefundMethod, RefundReason, RefundStatus } from './statuses.ts';
import { isJsonObject } from './json.ts';

export interface Refund {
  id: string;
  merchantId: string;
  clientReferenceId: string;
  paymentSessionId: string;
  chargeId: string;
  isFullAmount: boolean;
  /** What this refund returns: the amount asked for, or with isFullAmount what remained. */
  amount: Money;
  /** What the refunded charge paid. */
  capturedAmount: Money;
  reason: RefundReason;
  description?: string;
  /** As asked, or the customer's refundPreference.method, or AUTO. */
  method: RefundMethod;
  /** The merchant's transferDestination, as sent (undefined when not sent). */
  transferDestination?: Record<string, unknown>;
  /**
   * Where a bank transfer goes: the request's transferDestination, or else the customer's
   * refundPreference.transferDestination; undefined when neither exists.
   */
  payoutDestination?: Record<string, unknown>;
  /** The way the money is being sent now: the channel first (AUTO, where the method can), else an account. */
  route: DestinationType;
  /** Set at the final status: the way the money went (SUCCESS) or the way that failed (FAILED). */
  destinationType: DestinationType | null;
  metadata?: Record<string, unknown>;
  status: RefundStatus;
  failureCode?: string;
  failureMessage?: string;
  /** When the sandbox moves it on by itself; null in production, where an operator or processor settles it. */
  nextStepAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** Bumped by every change; the compare-and-set key. */
  version: number;
}

/** What a merchant asks for, after the wire's amount text became an integer. */
export interface RefundRequest {
  clientReferenceId: string;
  isFullAmount: boolean;
  /** Required unless isFullAmount (the API checks it first). */
  amount?: Money;
  reason: RefundReason;
  description?: string;
  method?: RefundMethod;
  transferDestination?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

/** The customer's refundPreference (pivot-api §5.2 Customer Object), read from the session's customer as sent. */
export function refundPreferenceOf(customer: Record<string, unknown> | undefined): {
  method?: RefundMethod;
  transferDestination?: Record<string, unknown>;
} {
  const preference = customer?.refundPreference;
  if (!isJsonObject(preference)) return {};
  const method = preference.method === 'AUTO' || preference.method === 'TRANSFER_ONLY' ? preference.method : undefined;
  const destination = isJsonObject(preference.transferDestination) ? preference.transferDestination : undefined;
  return { ...(method && { method }), ...(destination && { transferDestination: destination }) };
}

/** The account number of a transfer destination (channelInformation.accountNumber), if it has one. */
export function accountNumberOf(destination: Record<string, unknown> | undefined): string | undefined {
  const information = destination?.channelInformation;
  const number = isJsonObject(information) ? information.accountNumber : undefined;
  return typeof number === 'string' ? number : undefined;
}
