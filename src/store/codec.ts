// Rows ⇄ domain objects, explicitly, once. Kasir's own structured data (method options, a charge's method
// details) is JSON with a version tag, decoded field by field; merchant JSON (customer, orderInformation,
// metadata, redirect URLs, echoed extras) is stored as the text it arrived as and parsed back untouched —
// no reviver ever guesses a type from a key name.
import type { PaymentMethod } from '../domain/methods/method.ts';
import { methodOf } from '../domain/methods/registry.ts';
import { paymentSessionObject } from '../domain/payment-session-object.ts';
import type { Refund } from '../domain/refund.ts';
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { isJsonObject, isOneOf, memberOf } from '../domain/json.ts';
import type { Charge, MethodChoice, Session, SessionEcho } from '../domain/session.ts';
import {
  CANCELLATION_REASONS,
  CHARGE_STATUSES,
  DESTINATION_TYPES,
  isPaymentMethodType,
  MODES,
  PAYMENT_TYPES,
  REFUND_METHODS,
  REFUND_REASONS,
  REFUND_STATUSES,
  SESSION_STATUSES,
} from '../domain/statuses.ts';
import type { ChargeRow, ChargesTable, PaymentSessionsTable, RefundsTable } from './schema.ts';

const CODEC_VERSION = 1;

const ms = (d: Date | null | undefined): number | null => (d ? d.getTime() : null);
const date = (n: number | string | null | undefined): Date | null => (n === null || n === undefined ? null : new Date(Number(n)));
const bool = (n: number | boolean): boolean => n === true || Number(n) === 1;
const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));
/** A JSON object column (what the merchant sent, kept verbatim); anything else there is a damaged row. */
function storedObject(text: string | null, column: string): Record<string, unknown> | undefined {
  if (text === null) return undefined;
  const value: unknown = JSON.parse(text);
  if (!isJsonObject(value)) throw new Error(`stored ${column} is not a JSON object`);
  return value;
}

/** Kasir's own JSON, tagged with the codec version it was written in. */
function versioned(body: unknown): string {
  return JSON.stringify({ v: CODEC_VERSION, body });
}

function unversioned(text: string, what: string): unknown {
  const stored: unknown = JSON.parse(text);
  const version = memberOf(stored, 'v');
  if (version !== CODEC_VERSION)
    throw new Error(`${what} in codec version ${String(version)}; this Kasir reads ${CODEC_VERSION}`);
  return memberOf(stored, 'body');
}

/**
 * A text column holding one of a fixed list of names (a status, a mode, a reason), checked as it is read:
 * a value Kasir never writes is a damaged row, refused here rather than passed on as if it were valid.
 */
export function named<T extends string>(allowed: readonly T[], value: string, column: string): T {
  if (isOneOf(allowed, value)) return value;
  throw new Error(`stored ${column} ${JSON.stringify(value)} is not one of ${allowed.join(', ')}`);
}

function namedOrNull<T extends string>(allowed: readonly T[], value: string | null, column: string): T | null {
  return value === null ? null : named(allowed, value, column);
}

/** The module of a stored method type; a type Kasir no longer offers cannot be read back silently. */
function storedMethod(type: string): PaymentMethod {
  const method = isPaymentMethodType(type) ? methodOf(type) : undefined;
  if (!method) throw new Error(`stored payment method ${type} is not one this Kasir offers`);
  return method;
}

export function encodeMethodOptions(choice: MethodChoice): string {
  return versioned(storedMethod(choice.type).encodeOptions(choice.options));
}

export function decodeMethodChoice(type: string, text: string | null): MethodChoice {
  const method = storedMethod(type);
  return { type: method.type, options: text === null ? {} : method.decodeOptions(unversioned(text, 'method options')) };
}

/**
 * A new charge's row. Its refund totals are left to their column defaults (0): a charge is refunded only
 * once it exists and succeeded, through chargeRefundColumns; and migration 0002, which writes rows with
 * this, runs before those columns exist.
 */
export function chargeToRow(
  session: Pick<Session, 'id' | 'merchantId' | 'clientReferenceId'>,
  charge: Charge,
  seq: number,
): Omit<ChargesTable, 'refund_reserved' | 'refunded'> {
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
    method_type: charge.methodType,
    expiry_at: ms(charge.expiryAt),
    created_at: charge.createdAt.getTime(),
  };
}

/**
 * The columns a charge's life changes (status, payment, failure, and its method details: a pull payment
 * learns the shopper's account, a card charge its card and 3-D Secure result, after it was issued).
 */
export function chargeChanges(charge: Charge) {
  return {
    status: charge.status,
    details: versioned(storedMethod(charge.methodType).encodeDetails(charge)),
    paid_at: ms(charge.paidAt),
    failure_code: charge.failureCode ?? null,
    failure_message: charge.failureMessage ?? null,
    updated_at: charge.updatedAt.getTime(),
  };
}

/** The refund totals a refund's change writes (under the session's version). */
export function chargeRefundColumns(charge: Charge): Pick<ChargeRow, 'refund_reserved' | 'refunded'> {
  return { refund_reserved: charge.refunds?.reserved ?? 0, refunded: charge.refunds?.refunded ?? 0 };
}

export function rowToCharge(row: ChargeRow): Charge {
  const method = storedMethod(row.method_type);
  const expiryAt = date(row.expiry_at);
  const details = method.decodeDetails(unversioned(row.details, 'charge details'), expiryAt);
  return {
    id: row.id,
    methodType: method.type,
    status: named(CHARGE_STATUSES, row.status, 'charges.status'),
    amount: { value: Number(row.amount_value), currency: row.currency },
    statementDescriptor: row.statement_descriptor,
    createdAt: new Date(Number(row.created_at)),
    updatedAt: new Date(Number(row.updated_at)),
    paidAt: date(row.paid_at),
    expiryAt,
    ...details,
    ...(row.failure_code !== null && { failureCode: row.failure_code }),
    ...(row.failure_message !== null && { failureMessage: row.failure_message }),
    ...((Number(row.refund_reserved) > 0 || Number(row.refunded) > 0) && {
      refunds: { reserved: Number(row.refund_reserved), refunded: Number(row.refunded) },
    }),
  };
}

// Kasir's own JSON columns, checked against the shape they are written in as they are read back.
const EchoExtrasShape = Type.Object({
  expirationMode: Type.Optional(Type.String()),
  recurringId: Type.Optional(Type.String()),
  initiateFirstAuthorization: Type.Optional(Type.Boolean()),
  splitRoutingConfigurations: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()))),
});
/** Pivot's optional echo fields, stored together in one column. */
type EchoExtras = Static<typeof EchoExtrasShape>;
const StoredEchoExtras = Compile(EchoExtrasShape);
const StoredRedirectUrls = Compile(
  Type.Object({
    successReturnUrl: Type.Optional(Type.String()),
    failureReturnUrl: Type.Optional(Type.String()),
    expirationReturnUrl: Type.Optional(Type.String()),
  }),
);

/** Kasir's own JSON column text, checked against `shape`; a damaged one is refused naming `column`. */
export function storedJson<T>(shape: { Check(value: unknown): value is T }, text: string, column: string): T {
  const value: unknown = JSON.parse(text);
  if (!shape.Check(value)) throw new Error(`stored ${column} is not in the shape Kasir writes`);
  return value;
}

/** The session columns a transition may change (everything but identity and what the merchant sent). */
export function sessionChanges(session: Session) {
  return {
    status: session.status,
    version: session.version,
    expiry_at: ms(session.expiryAt),
    updated_at: session.updatedAt.getTime(),
    method_type: session.paymentMethod?.type ?? null,
    method_options: session.paymentMethod ? encodeMethodOptions(session.paymentMethod) : null,
    // Set at creation (REDIRECT) or when an API-mode card payment needs its 3-D Secure page.
    payment_url: session.paymentUrl,
    cancelled_at: ms(session.cancelledAt),
    cancellation_reason: session.cancellationReason,
    charge_count: session.chargeCount,
  };
}

/** Every column but the derived `wire` (see sessionWire), so migrations that write rows never depend on it. */
export function sessionToRow(session: Session): Omit<PaymentSessionsTable, 'wire'> {
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
    customer_id: customerId ?? null,
    customer: json(customer),
    order_information: json(orderInformation),
    metadata: json(metadata),
    redirect_url: JSON.stringify(session.redirectUrl),
    echo_extras: JSON.stringify(echoExtras),
    ...sessionChanges(session),
  };
}

/**
 * The Payment Session Object GET answers for this session as stored (readers still apply expiry by time:
 * see domain/session-state.ts#viewAt), as JSON text.
 */
export function sessionWire(session: Session): string {
  // A session value is never changed, only replaced: its text is built once however many readers ask
  // (the compare-and-set that stores it, then the callbacks that carry it).
  let text = wireOf.get(session);
  if (text === undefined) wireOf.set(session, (text = JSON.stringify(paymentSessionObject(session))));
  return text;
}
const wireOf = new WeakMap<Session, string>();

/** `charges`: the session's latest charges, oldest first (see CHARGE_WINDOW). */
export function rowToSession(row: Omit<PaymentSessionsTable, 'wire'>, charges: Charge[]): Session {
  const extras = storedJson(StoredEchoExtras, row.echo_extras, 'payment_sessions.echo_extras');
  const echo: SessionEcho = {
    ...(row.customer_id !== null && { customerId: row.customer_id }),
    ...(row.customer !== null && { customer: storedObject(row.customer, 'payment_sessions.customer') }),
    ...(row.order_information !== null && {
      orderInformation: storedObject(row.order_information, 'payment_sessions.order_information'),
    }),
    ...(row.metadata !== null && { metadata: storedObject(row.metadata, 'payment_sessions.metadata') }),
    ...extras,
  };
  const paymentMethod = row.method_type === null ? null : decodeMethodChoice(row.method_type, row.method_options);
  return {
    id: row.id,
    merchantId: row.merchant_id,
    clientReferenceId: row.client_reference_id,
    amount: { value: Number(row.amount_value), currency: row.currency },
    paymentType: named(PAYMENT_TYPES, row.payment_type, 'payment_sessions.payment_type'),
    mode: named(MODES, row.mode, 'payment_sessions.mode'),
    autoConfirm: bool(row.auto_confirm),
    bypassStatusPage: bool(row.bypass_status_page),
    saveForFutureUse: bool(row.save_for_future_use),
    showSavedPayment: bool(row.show_saved_payment),
    redirectUrl: storedJson(StoredRedirectUrls, row.redirect_url, 'payment_sessions.redirect_url'),
    paymentMethod,
    statementDescriptor: row.statement_descriptor,
    paymentUrl: row.payment_url,
    status: named(SESSION_STATUSES, row.status, 'payment_sessions.status'),
    createdAt: new Date(Number(row.created_at)),
    updatedAt: new Date(Number(row.updated_at)),
    expiryAt: date(row.expiry_at),
    cancelledAt: date(row.cancelled_at),
    cancellationReason: namedOrNull(CANCELLATION_REASONS, row.cancellation_reason, 'payment_sessions.cancellation_reason'),
    echo,
    charges,
    chargeCount: Number(row.charge_count),
    version: Number(row.version),
  };
}

/** The refund columns a change may write (status and where the money goes, failure, the sandbox's next step). */
export function refundChanges(refund: Refund) {
  return {
    status: refund.status,
    version: refund.version,
    route: refund.route,
    destination_type: refund.destinationType,
    failure_code: refund.failureCode ?? null,
    failure_message: refund.failureMessage ?? null,
    next_step_at: ms(refund.nextStepAt),
    updated_at: refund.updatedAt.getTime(),
  };
}

export function refundToRow(refund: Refund): RefundsTable {
  return {
    id: refund.id,
    merchant_id: refund.merchantId,
    client_reference_id: refund.clientReferenceId,
    payment_session_id: refund.paymentSessionId,
    charge_id: refund.chargeId,
    is_full_amount: refund.isFullAmount ? 1 : 0,
    amount_value: refund.amount.value,
    currency: refund.amount.currency,
    captured_value: refund.capturedAmount.value,
    reason: refund.reason,
    description: refund.description ?? null,
    method: refund.method,
    transfer_destination: json(refund.transferDestination),
    payout_destination: json(refund.payoutDestination),
    metadata: json(refund.metadata),
    created_at: refund.createdAt.getTime(),
    ...refundChanges(refund),
  };
}

export function rowToRefund(row: RefundsTable): Refund {
  const transferDestination = storedObject(row.transfer_destination, 'refunds.transfer_destination');
  const payoutDestination = storedObject(row.payout_destination, 'refunds.payout_destination');
  const metadata = storedObject(row.metadata, 'refunds.metadata');
  return {
    id: row.id,
    merchantId: row.merchant_id,
    clientReferenceId: row.client_reference_id,
    paymentSessionId: row.payment_session_id,
    chargeId: row.charge_id,
    isFullAmount: bool(row.is_full_amount),
    amount: { value: Number(row.amount_value), currency: row.currency },
    capturedAmount: { value: Number(row.captured_value), currency: row.currency },
    reason: named(REFUND_REASONS, row.reason, 'refunds.reason'),
    ...(row.description !== null && { description: row.description }),
    method: named(REFUND_METHODS, row.method, 'refunds.method'),
    ...(transferDestination !== undefined && { transferDestination }),
    ...(payoutDestination !== undefined && { payoutDestination }),
    route: named(DESTINATION_TYPES, row.route, 'refunds.route'),
    destinationType: namedOrNull(DESTINATION_TYPES, row.destination_type, 'refunds.destination_type'),
    ...(metadata !== undefined && { metadata }),
    status: named(REFUND_STATUSES, row.status, 'refunds.status'),
    ...(row.failure_code !== null && { failureCode: row.failure_code }),
    ...(row.failure_message !== null && { failureMessage: row.failure_message }),
    nextStepAt: date(row.next_step_at),
    createdAt: new Date(Number(row.created_at)),
    updatedAt: new Date(Number(row.updated_at)),
    version: Number(row.version),
  };
}
