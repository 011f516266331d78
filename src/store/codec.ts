// Rows ⇄ domain objects, explicitly, once. Kasir's own structured data (method options, a charge's method
// details) is JSON with a version tag, decoded field by field; merchant JSON (customer, orderInformation,
// metadata, redirect URLs, echoed extras) is stored as the text it arrived as and parsed back untouched —
// no reviver ever guesses a type from a key name.
import type { Charge, MethodChoice, MethodOptions, Session, SessionEcho } from '../domain/session.ts';
import type { CancellationReason, ChargeStatus, Mode, PaymentMethodType, PaymentType, SessionStatus } from '../domain/statuses.ts';
import type { VaChannel } from '../domain/payment-methods.ts';
import type { ChargesTable, PaymentSessionsTable } from './schema.ts';

const CODEC_VERSION = 1;

const ms = (d: Date | null | undefined): number | null => (d ? d.getTime() : null);
const date = (n: number | string | null | undefined): Date | null => (n === null || n === undefined ? null : new Date(Number(n)));
const bool = (n: number | boolean): boolean => n === true || Number(n) === 1;
const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));
const parsed = <T>(text: string | null): T | undefined => (text === null ? undefined : (JSON.parse(text) as T));

interface EncodedOptions {
  v: number;
  virtualAccount?: { channel?: string; virtualAccountName?: string; virtualAccountNumber?: string; expiryAt?: number };
  qr?: { expiryAt?: number };
}

export function encodeMethodOptions(options: MethodOptions): string {
  const out: EncodedOptions = { v: CODEC_VERSION };
  const va = options.virtualAccount;
  if (va) {
    out.virtualAccount = {
      ...(va.channel !== undefined && { channel: va.channel }),
      ...(va.virtualAccountName !== undefined && { virtualAccountName: va.virtualAccountName }),
      ...(va.virtualAccountNumber !== undefined && { virtualAccountNumber: va.virtualAccountNumber }),
      ...(va.expiryAt !== undefined && { expiryAt: va.expiryAt.getTime() }),
    };
  }
  if (options.qr) out.qr = { ...(options.qr.expiryAt !== undefined && { expiryAt: options.qr.expiryAt.getTime() }) };
  return JSON.stringify(out);
}

export function decodeMethodOptions(text: string): MethodOptions {
  const raw = JSON.parse(text) as EncodedOptions;
  if (raw.v !== CODEC_VERSION) throw new Error(`method options in codec version ${raw.v}; this Kasir reads ${CODEC_VERSION}`);
  const options: MethodOptions = {};
  const va = raw.virtualAccount;
  if (va) {
    options.virtualAccount = {
      ...(va.channel !== undefined && { channel: va.channel as VaChannel }),
      ...(va.virtualAccountName !== undefined && { virtualAccountName: va.virtualAccountName }),
      ...(va.virtualAccountNumber !== undefined && { virtualAccountNumber: va.virtualAccountNumber }),
      ...(va.expiryAt !== undefined && { expiryAt: new Date(va.expiryAt) }),
    };
  }
  if (raw.qr) options.qr = { ...(raw.qr.expiryAt !== undefined && { expiryAt: new Date(raw.qr.expiryAt) }) };
  return options;
}

interface EncodedChargeDetails {
  v: number;
  virtualAccount?: { channel: string; virtualAccountNumber: string; virtualAccountName: string };
  qr?: { acquirer: string; qrContent: string; qrType: 'DYNAMIC' | 'STATIC'; merchantName: string };
}

function chargeMethodType(charge: Charge): PaymentMethodType {
  if (charge.virtualAccount) return 'VIRTUAL_ACCOUNT';
  if (charge.qr) return 'QR';
  throw new Error(`charge ${charge.id} carries no method details`);
}

/** The charge's method details; their expiry is the charge's own `expiry_at` column. */
function encodeChargeDetails(charge: Charge): string {
  const out: EncodedChargeDetails = { v: CODEC_VERSION };
  if (charge.virtualAccount) {
    const { channel, virtualAccountNumber, virtualAccountName } = charge.virtualAccount;
    out.virtualAccount = { channel, virtualAccountNumber, virtualAccountName };
  }
  if (charge.qr) {
    const { acquirer, qrContent, qrType, merchantName } = charge.qr;
    out.qr = { acquirer, qrContent, qrType, merchantName };
  }
  return JSON.stringify(out);
}

function chargeExpiry(charge: Charge): Date | null {
  return charge.virtualAccount?.expiryAt ?? charge.qr?.expiryAt ?? null;
}

export function chargeToRow(session: Pick<Session, 'id' | 'merchantId' | 'clientReferenceId'>, charge: Charge, seq: number): ChargesTable {
  return {
    id: charge.id,
    session_id: session.id,
    merchant_id: session.merchantId,
    client_reference_id: session.clientReferenceId,
    seq,
    ...chargeChanges(charge),
    amount_value: charge.amount.value,
    currency: charge.amount.currency,
    statement_descriptor: charge.statementDescriptor,
    method_type: chargeMethodType(charge),
    details: encodeChargeDetails(charge),
    expiry_at: ms(chargeExpiry(charge)),
    created_at: charge.createdAt.getTime(),
  };
}

/** The columns a charge's life changes (status, payment, failure). */
export function chargeChanges(charge: Charge) {
  return {
    status: charge.status,
    paid_at: ms(charge.paidAt),
    failure_code: charge.failureCode ?? null,
    failure_message: charge.failureMessage ?? null,
    updated_at: charge.updatedAt.getTime(),
  };
}

export function rowToCharge(row: ChargesTable): Charge {
  const details = JSON.parse(row.details) as EncodedChargeDetails;
  if (details.v !== CODEC_VERSION) throw new Error(`charge details in codec version ${details.v}; this Kasir reads ${CODEC_VERSION}`);
  const expiryAt = date(row.expiry_at);
  return {
    id: row.id,
    status: row.status as ChargeStatus,
    amount: { value: Number(row.amount_value), currency: row.currency },
    statementDescriptor: row.statement_descriptor,
    createdAt: new Date(Number(row.created_at)),
    updatedAt: new Date(Number(row.updated_at)),
    paidAt: date(row.paid_at),
    ...(details.virtualAccount && {
      virtualAccount: { ...details.virtualAccount, channel: details.virtualAccount.channel as VaChannel, expiryAt },
    }),
    ...(details.qr && { qr: { ...details.qr, expiryAt } }),
    ...(row.failure_code !== null && { failureCode: row.failure_code }),
    ...(row.failure_message !== null && { failureMessage: row.failure_message }),
  };
}

interface EchoExtras {
  expirationMode?: string;
  recurringId?: string;
  initiateFirstAuthorization?: boolean;
  splitRoutingConfigurations?: unknown[];
}

/** The session columns a transition may change (everything but identity and what the merchant sent). */
export function sessionChanges(session: Session) {
  return {
    status: session.status,
    version: session.version,
    expiry_at: ms(session.expiryAt),
    updated_at: session.updatedAt.getTime(),
    method_type: session.paymentMethod?.type ?? null,
    method_options: session.paymentMethod ? encodeMethodOptions(session.paymentMethod.options) : null,
    cancelled_at: ms(session.cancelledAt),
    cancellation_reason: session.cancellationReason,
    charge_count: session.chargeCount,
  };
}

export function sessionToRow(session: Session): PaymentSessionsTable {
  const { customerId, customer, orderInformation, metadata, ...extras } = session.echo;
  const echoExtras: EchoExtras = extras;
  return {
    id: session.id,
    merchant_id: session.merchantId,
    client_reference_id: session.clientReferenceId,
    created_at: session.createdAt.getTime(),
    amount_value: session.amount.value,
    currency: session.amount.currency,
    payment_type: session.paymentType,
    mode: session.mode,
    auto_confirm: session.autoConfirm ? 1 : 0,
    bypass_status_page: session.bypassStatusPage ? 1 : 0,
    save_for_future_use: session.saveForFutureUse ? 1 : 0,
    show_saved_payment: session.showSavedPayment ? 1 : 0,
    statement_descriptor: session.statementDescriptor,
    payment_url: session.paymentUrl,
    customer_id: customerId ?? null,
    customer: json(customer),
    order_information: json(orderInformation),
    metadata: json(metadata),
    redirect_url: JSON.stringify(session.redirectUrl),
    echo_extras: JSON.stringify(echoExtras),
    ...sessionChanges(session),
  };
}

/** `charges`: the session's latest charges, oldest first (see CHARGE_WINDOW). */
export function rowToSession(row: PaymentSessionsTable, charges: Charge[]): Session {
  const extras = JSON.parse(row.echo_extras) as EchoExtras;
  const echo: SessionEcho = {
    ...(row.customer_id !== null && { customerId: row.customer_id }),
    ...(row.customer !== null && { customer: parsed<Record<string, unknown>>(row.customer) }),
    ...(row.order_information !== null && { orderInformation: parsed<Record<string, unknown>>(row.order_information) }),
    ...(row.metadata !== null && { metadata: parsed<Record<string, unknown>>(row.metadata) }),
    ...extras,
  };
  const paymentMethod: MethodChoice | null =
    row.method_type === null
      ? null
      : { type: row.method_type as PaymentMethodType, options: row.method_options ? decodeMethodOptions(row.method_options) : {} };
  return {
    id: row.id,
    merchantId: row.merchant_id,
    clientReferenceId: row.client_reference_id,
    amount: { value: Number(row.amount_value), currency: row.currency },
    paymentType: row.payment_type as PaymentType,
    mode: row.mode as Mode,
    autoConfirm: bool(row.auto_confirm),
    bypassStatusPage: bool(row.bypass_status_page),
    saveForFutureUse: bool(row.save_for_future_use),
    showSavedPayment: bool(row.show_saved_payment),
    redirectUrl: JSON.parse(row.redirect_url) as Session['redirectUrl'],
    paymentMethod,
    statementDescriptor: row.statement_descriptor,
    paymentUrl: row.payment_url,
    status: row.status as SessionStatus,
    createdAt: new Date(Number(row.created_at)),
    updatedAt: new Date(Number(row.updated_at)),
    expiryAt: date(row.expiry_at),
    cancelledAt: date(row.cancelled_at),
    cancellationReason: row.cancellation_reason as CancellationReason | null,
    echo,
    charges,
    chargeCount: Number(row.charge_count),
    version: Number(row.version),
  };
}
