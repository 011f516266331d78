// @kasir/sdk: a typed client for Kasir and Pivot Payment's v2 API, and a callback verifier.
export { Kasir, type KasirOptions } from './client.js';
export type { CallOptions } from './transport.js';
export { KasirApiError, KasirNetworkError } from './errors.js';
export type { EventStream, StreamEventsOptions } from './events.js';
export { RETRYABLE_STATUSES, type RetrySettings } from './retry.js';
export {
  verifyCallback,
  CallbackVerificationError,
  type CallbackEvent,
  type CallbackHeaders,
  type CallbackVerificationFailure,
  type PaymentCallbackEvent,
  type RefundCallbackEvent,
  type TestCallbackEvent,
  type TestPayment,
  type VerifyCallbackOptions,
} from './webhooks.js';
export type * from './types.js';
export type { components, operations, paths } from './generated/openapi.js';
