// Friendly names for the wire types, all taken from the one generated copy of the contract
// (generated/openapi.ts, openapi-typescript output of Kasir's /openapi.json): nothing here is written by hand.
import type { components, operations } from './generated/openapi.js';

type Schemas = components['schemas'];
/** The query parameters an operation accepts (all optional). */
type Query<Name extends keyof operations> = NonNullable<operations[Name]['parameters']['query']>;

export type Amount = Schemas['Amount'];
export type AmountInput = Schemas['AmountInput'];
export type Pagination = Schemas['Pagination'];
export type FieldProblem = Schemas['FieldProblem'];
export type ErrorEnvelope = Schemas['ErrorEnvelope'];
export type AccessToken = Schemas['AccessToken'];

export type PaymentSession = Schemas['PaymentSession'];
export type PaymentSessionStatus = PaymentSession['status'];
export type Charge = Schemas['Charge'];
export type Capture = Schemas['Capture'];
export type CreatePaymentRequest = Schemas['CreatePaymentRequest'];
export type ConfirmPaymentRequest = Schemas['ConfirmPaymentRequest'];
export type CancelPaymentRequest = Schemas['CancelPaymentRequest'];
export type CaptureRequest = Schemas['CaptureRequest'];
export type SimulationRequest = Schemas['SimulationRequest'];
export type SimulationResult = Schemas['SimulationResult'];

export type Refund = Schemas['Refund'];
export type RefundStatus = Refund['status'];
export type CreateRefundRequest = Schemas['CreateRefundRequest'];
export type RefundSimulationRequest = Schemas['RefundSimulationRequest'];

/** What `GET /v1/customers/{customerId}` answers: the customer's id and saved payment methods. */
export type Customer = Schemas['CustomerObject'];
/** The customer fields a payment session carries, as the merchant sent them. */
export type SessionCustomer = Schemas['Customer'];
export type StoredPaymentMethod = Schemas['StoredPaymentMethod'];

export type PaymentMethodConfigs = Schemas['PaymentMethodConfigs'];
export type MethodConfig = Schemas['MethodConfig'];

export type Callback = Schemas['Callback'];
export type CallbackAttempt = Schemas['CallbackAttempt'];
export type CallbackEventName = Callback['event'];

/** One message of the event stream (GET /v2/events/stream, Kasir extension): a callback with its exact body and signed headers. */
export type StreamedEvent = operations['streamEvents']['responses'][200]['content']['text/event-stream'];
export type StreamedResourceType = StreamedEvent['resourceType'];

export type ListPaymentsQuery = Query<'listPayments'>;
export type ListChargesQuery = Query<'listCharges'>;
export type ListRefundsQuery = Query<'listRefunds'>;
export type ListCallbacksQuery = Query<'listCallbacks'>;

/** One page of a list: the items and where they sit among all of them. */
export interface Page<T> {
  data: T[];
  pagination: Pagination;
}
