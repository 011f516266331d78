// The payment session and its charges as the domain sees them: plain data, dates as Date, money as integers.
import type { CancellationReason, ChargeStatus, Mode, PaymentMethodType, PaymentType, SessionStatus } from './statuses.ts';
import type { EwalletChannel, VaChannel } from './payment-methods.ts';
import type { CardCharge, CardOptions } from './card/card-charge.ts';

export interface Money {
  /** Integer amount in the currency's unit as the API sends it (IDR has no decimals). */
  value: number;
  currency: string;
}

export interface RedirectUrls {
  successReturnUrl?: string;
  failureReturnUrl?: string;
  expirationReturnUrl?: string;
}

export interface VirtualAccountOptions {
  channel?: VaChannel;
  virtualAccountName?: string;
  virtualAccountNumber?: string;
  expiryAt?: Date;
}

export interface EwalletOptions {
  channel?: EwalletChannel;
  expiryAt?: Date;
  /** The shopper's registered mobile number as the merchant sent it (paymentMethod.ewallet.accountIdentifier). */
  accountIdentifier?: string;
}

export interface MethodOptions {
  virtualAccount?: VirtualAccountOptions;
  qr?: { expiryAt?: Date };
  ewallet?: EwalletOptions;
  card?: CardOptions;
}

export interface MethodChoice {
  type: PaymentMethodType;
  options: MethodOptions;
}

export interface VirtualAccountCharge {
  channel: VaChannel;
  virtualAccountNumber: string;
  virtualAccountName: string;
  expiryAt: Date | null;
}

/** A QRIS code made for this charge's amount, or the merchant's fixed code the shopper types the amount into. */
export const QR_TYPES = ['DYNAMIC', 'STATIC'] as const;

export interface QrCharge {
  acquirer: string;
  qrContent: string;
  qrType: (typeof QR_TYPES)[number];
  merchantName: string;
  expiryAt: Date | null;
}

export interface EwalletCharge {
  channel: EwalletChannel;
  /** The wallet account the charge is pulled from, in E.164; null until the shopper names it. */
  mobileNumber: string | null;
  /** The account holder's name as the wallet reports it; null when it has not. */
  accountName: string | null;
}

/** What has been refunded of a SUCCESS charge, in the currency's unit; absent: nothing yet. */
export interface ChargeRefunds {
  /** Refunds that are not FAILED or CANCELLED (open and succeeded): no longer refundable. */
  reserved: number;
  /** Refunds that succeeded: what the charge object shows as `refundedAmount`. */
  refunded: number;
}

export interface Charge {
  id: string;
  /** The method that issued it (its module in domain/methods/ reads and writes its details). */
  methodType: PaymentMethodType;
  status: ChargeStatus;
  amount: Money;
  statementDescriptor: string;
  createdAt: Date;
  updatedAt: Date;
  paidAt: Date | null;
  /** When it stops being payable (null: never, for an open MULTIPLE session). */
  expiryAt: Date | null;
  virtualAccount?: VirtualAccountCharge;
  qr?: QrCharge;
  ewallet?: EwalletCharge;
  card?: CardCharge;
  failureCode?: string;
  failureMessage?: string;
  /** Written only by refunds (domain/refund-state.ts), under the session's version. */
  refunds?: ChargeRefunds;
}

/** Merchant-supplied data Kasir stores and echoes but does not interpret. */
export interface SessionEcho {
  customerId?: string;
  customer?: Record<string, unknown>;
  orderInformation?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  expirationMode?: string;
  recurringId?: string;
  initiateFirstAuthorization?: boolean;
  splitRoutingConfigurations?: Array<Record<string, unknown>>;
}

export interface Session {
  id: string;
  merchantId: string;
  clientReferenceId: string;
  amount: Money;
  paymentType: PaymentType;
  mode: Mode;
  autoConfirm: boolean;
  bypassStatusPage: boolean;
  saveForFutureUse: boolean;
  showSavedPayment: boolean;
  redirectUrl: RedirectUrls;
  paymentMethod: MethodChoice | null;
  statementDescriptor: string;
  /** The hosted page (REDIRECT mode); signed once at creation so the link never changes. */
  paymentUrl: string | null;
  status: SessionStatus;
  createdAt: Date;
  updatedAt: Date;
  /** null only for MULTIPLE sessions that never expire. */
  expiryAt: Date | null;
  cancelledAt: Date | null;
  cancellationReason: CancellationReason | null;
  echo: SessionEcho;
  /**
   * The latest charges, oldest first: all of a SINGLE session's, and at most CHARGE_WINDOW of a MULTIPLE
   * session's (GET /v2/charges pages through the rest), so a session never grows without bound in memory,
   * in GET or in a callback.
   */
  charges: Charge[];
  /** How many charges the session has ever had (the window above may hold fewer). */
  chargeCount: number;
  /** Bumped by every change; the compare-and-set key. */
  version: number;
}

/** How many of a session's latest charges it carries (GET, callbacks); the rest are paged by /v2/charges. */
export const CHARGE_WINDOW = 10;
