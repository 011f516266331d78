// Status and event names: one constant list each, shared by schemas, domain, store and tests.
import { isOneOf } from './json.ts';

export const SESSION_STATUSES = [
  'REQUIRE_PAYMENT_METHOD',
  'REQUIRE_CONFIRMATION',
  'REQUIRE_ACTION',
  'ACTIVE',
  'PROCESSING',
  'PAID',
  'CANCELLED',
  'EXPIRED',
  'INACTIVE',
] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export const FINAL_SESSION_STATUSES = ['PAID', 'CANCELLED', 'EXPIRED', 'INACTIVE'] as const satisfies readonly SessionStatus[];
export const OPEN_SESSION_STATUSES = SESSION_STATUSES.filter((s) => !isOneOf(FINAL_SESSION_STATUSES, s));

export function isFinal(status: SessionStatus): boolean {
  return isOneOf(FINAL_SESSION_STATUSES, status);
}

export const CHARGE_STATUSES = [
  'WAITING_FOR_USER_ACTION',
  'WAITING_FOR_AUTHENTICATION',
  'PROCESSING',
  'WAITING_FOR_CAPTURE',
  'SUCCESS',
  'FAILED',
  'EXPIRED',
] as const;
export type ChargeStatus = (typeof CHARGE_STATUSES)[number];

export const PAYMENT_TYPES = ['SINGLE', 'MULTIPLE'] as const;
export type PaymentType = (typeof PAYMENT_TYPES)[number];

export const MODES = ['REDIRECT', 'API'] as const;
export type Mode = (typeof MODES)[number];

export const PAYMENT_METHOD_TYPES = ['VIRTUAL_ACCOUNT', 'QR', 'EWALLET', 'CARD'] as const;
export type PaymentMethodType = (typeof PAYMENT_METHOD_TYPES)[number];
export function isPaymentMethodType(value: string): value is PaymentMethodType {
  return isOneOf(PAYMENT_METHOD_TYPES, value);
}

export const CANCELLATION_REASONS = [
  'REQUESTED_BY_CUSTOMER',
  'DUPLICATED',
  'VOID_SESSION',
  'CHARGE_FAILED',
  'FRAUDULENT',
] as const;
export type CancellationReason = (typeof CANCELLATION_REASONS)[number];
/** Reasons a merchant may give on POST /cancel; CHARGE_FAILED and FRAUDULENT are set by Kasir itself. */
export const MERCHANT_CANCELLATION_REASONS = ['REQUESTED_BY_CUSTOMER', 'DUPLICATED', 'VOID_SESSION'] as const;

/**
 * What a callback can be about; the outbox names its resource by type and id. A merchant: the dashboard's
 * "send test callback" (PAYMENT.TEST), about the merchant's own endpoint rather than a payment.
 */
export const RESOURCE_TYPES = ['payment_session', 'refund', 'merchant'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

/** Every callback event and the resource its body carries: the one list the outbox, history and docs share. */
export const EVENT_RESOURCES = {
  'PAYMENT.PROCESSING': 'payment_session',
  'PAYMENT.PAID': 'payment_session',
  'CHARGE.SUCCESS': 'payment_session',
  'PAYMENT.CANCELLED': 'payment_session',
  'REFUND.PENDING': 'refund',
  // Pivot's spelling (sic, no S), sent as is so merchant code written for Pivot matches it; the status it
  // announces is WAITING_BANK_TRANSFER.
  'REFUND.WAITING_BANK_TRANFER': 'refund',
  'REFUND.SUCCESS': 'refund',
  'REFUND.FAILED': 'refund',
  // Pivot's dashboard test button (third-party receivers handle it); Kasir's is on the Developers screen.
  'PAYMENT.TEST': 'merchant',
} as const satisfies Record<string, ResourceType>;
export type CallbackEvent = keyof typeof EVENT_RESOURCES;
export const CALLBACK_EVENTS = Object.keys(EVENT_RESOURCES) as CallbackEvent[];
export function isCallbackEvent(value: string): value is CallbackEvent {
  return Object.hasOwn(EVENT_RESOURCES, value);
}

export const SIMULATION_OUTCOMES = ['SUCCESS', 'EXPIRED', 'FAILED'] as const;
export type SimulationOutcome = (typeof SIMULATION_OUTCOMES)[number];

/** Refund statuses (pivot-api §5.10). CANCELLED is Pivot's (an operator's decision); Kasir never moves a refund there. */
export const REFUND_STATUSES = ['PENDING', 'WAITING_BANK_TRANSFER', 'SUCCESS', 'FAILED', 'CANCELLED'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

export const REFUND_REASONS = ['SUSPECT_FRAUDULENT', 'DUPLICATE', 'REQUESTED_BY_CUSTOMER', 'CANCELLATION', 'OTHERS'] as const;
export type RefundReason = (typeof REFUND_REASONS)[number];

/** AUTO: back through the payment channel where the method allows it, else by bank transfer. */
export const REFUND_METHODS = ['AUTO', 'TRANSFER_ONLY'] as const;
export type RefundMethod = (typeof REFUND_METHODS)[number];

/** Where the money went (or failed to go): the payment channel, or a bank account by transfer. */
export const DESTINATION_TYPES = ['CHANNEL', 'ACCOUNT'] as const;
export type DestinationType = (typeof DESTINATION_TYPES)[number];

/** What the sandbox refund endpoint may do to an open refund at once. */
export const REFUND_SIMULATION_OUTCOMES = ['SUCCESS', 'FAILED'] as const;
export type RefundSimulationOutcome = (typeof REFUND_SIMULATION_OUTCOMES)[number];
