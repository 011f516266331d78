// The callback events by the kind of data they carry, checked against the contract's list at compile time (a
// Record over CallbackEventName: a new event in the generated types fails the build here until it is placed).
// verifyCallback reads a body's `data` by it; the event stream skips the names it does not hold.
import type { CallbackEventName } from './types.js';

type DataKind = 'payment' | 'refund' | 'test';

const KIND_OF = {
  'PAYMENT.PROCESSING': 'payment',
  'PAYMENT.PAID': 'payment',
  'PAYMENT.CANCELLED': 'payment',
  'CHARGE.SUCCESS': 'payment',
  'REFUND.PENDING': 'refund',
  'REFUND.WAITING_BANK_TRANFER': 'refund',
  'REFUND.SUCCESS': 'refund',
  'REFUND.FAILED': 'refund',
  'PAYMENT.TEST': 'test',
} as const satisfies Record<CallbackEventName, DataKind>;

export type PaymentEventName = {
  [Name in CallbackEventName]: (typeof KIND_OF)[Name] extends 'payment' ? Name : never;
}[CallbackEventName];
export type RefundEventName = Exclude<CallbackEventName, PaymentEventName | 'PAYMENT.TEST'>;

export const isCallbackEventName = (value: unknown): value is CallbackEventName =>
  typeof value === 'string' && Object.hasOwn(KIND_OF, value);
export const isPaymentEventName = (value: string): value is PaymentEventName =>
  isCallbackEventName(value) && KIND_OF[value] === 'payment';
export const isRefundEventName = (value: string): value is RefundEventName =>
  isCallbackEventName(value) && KIND_OF[value] === 'refund';
