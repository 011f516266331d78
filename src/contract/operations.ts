// Every operation of the merchant API in one place: its operationId, tags, security, inputs, and each
// response it can really give — success and, per status, the error codes that route can answer. Route
// files pass these to Fastify unchanged, so validation, handler types and /openapi.json cannot disagree.
import {
  BadRequest,
  BodyErrors,
  Envelope,
  ErrorResponse,
  ListEnvelope,
  NotFound,
  Ref,
  ServiceUnavailable,
  SessionStateConflict,
  Unauthorized,
} from './common.ts';
import { AccessToken, AccessTokenHeaders, AccessTokenRequest, bearerSecurity, clientCredentialsSecurity } from './auth.ts';
import {
  CancelPaymentRequest,
  ConfirmPaymentRequest,
  CreatePaymentHeaders,
  CreatePaymentRequest,
  ListPaymentsQuery,
  PaymentSession,
  SessionIdParams,
  SimulationRequest,
  SimulationResult,
} from './payments.ts';
import { Charge, ListChargesQuery } from './charges.ts';
import { Capture, CaptureHeaders, CaptureRequest } from './captures.ts';
import { CustomerIdParams, CustomerObject } from './customers.ts';
import { PaymentMethodConfigs } from './method-configs.ts';
import { Callback, CallbackIdParams, ListCallbacksQuery } from './callbacks.ts';
import { EventStreamHeaders, EventStreamQuery, StreamedEvent } from './events.ts';
import { CreateRefundRequest, ListRefundsQuery, Refund, RefundIdParams, RefundSimulationRequest } from './refunds.ts';

const SESSIONS = ['Payment sessions'];
const REFUNDS = ['Refunds'];
const KASIR_EXTENSION = ['Kasir extension'];

export const createAccessToken = {
  operationId: 'createAccessToken',
  tags: ['Authentication'],
  summary: 'Exchange client credentials for a 900-second bearer token',
  security: clientCredentialsSecurity,
  headers: AccessTokenHeaders,
  body: Ref(AccessTokenRequest),
  response: {
    200: Envelope(Ref(AccessToken)),
    ...BodyErrors,
    401: Unauthorized,
    429: ErrorResponse(429, ['frequency_above_limit']),
    503: ServiceUnavailable,
  },
};

export const createPayment = {
  operationId: 'createPayment',
  tags: SESSIONS,
  summary: 'Create a payment session',
  description: 'Idempotent on X-REQUEST-ID for 24 hours: the same key and body replay the first answer.',
  security: bearerSecurity,
  headers: CreatePaymentHeaders,
  body: Ref(CreatePaymentRequest),
  response: {
    200: Envelope(Ref(PaymentSession)),
    ...BodyErrors,
    401: Unauthorized,
    409: ErrorResponse(409, ['duplicate_error', 'idempotency_error']),
    422: ErrorResponse(422, ['concurrent_update']),
    503: ServiceUnavailable,
  },
};

export const listPayments = {
  operationId: 'listPayments',
  tags: SESSIONS,
  summary: 'List payment sessions, newest first',
  security: bearerSecurity,
  querystring: ListPaymentsQuery,
  response: { 200: ListEnvelope(Ref(PaymentSession)), 400: BadRequest, 401: Unauthorized, 503: ServiceUnavailable },
};

export const listCharges = {
  operationId: 'listCharges',
  tags: ['Charges'],
  summary: 'List charges, newest first',
  description:
    "Every charge of the merchant's sessions; a MULTIPLE session's chargeDetails holds only its latest 10, and this pages through all of them.",
  security: bearerSecurity,
  querystring: ListChargesQuery,
  response: { 200: ListEnvelope(Ref(Charge)), 400: BadRequest, 401: Unauthorized, 503: ServiceUnavailable },
};

export const getPayment = {
  operationId: 'getPayment',
  tags: SESSIONS,
  summary: 'Retrieve a payment session',
  security: bearerSecurity,
  params: SessionIdParams,
  response: { 200: Envelope(Ref(PaymentSession)), 400: BadRequest, 401: Unauthorized, 404: NotFound, 503: ServiceUnavailable },
};

export const confirmPayment = {
  operationId: 'confirmPayment',
  tags: SESSIONS,
  summary: 'Confirm a payment session',
  description: "paymentMethodOptions is accepted beside paymentMethod (Pivot's table) and inside it (Pivot's example).",
  security: bearerSecurity,
  params: SessionIdParams,
  body: Ref(ConfirmPaymentRequest),
  response: {
    200: Envelope(Ref(PaymentSession)),
    ...BodyErrors,
    // card_decryption_failed: paymentMethod.card.encryptedCard is not the session's encryptionKey's ciphertext of a card.
    400: ErrorResponse(400, ['api_validation_error', 'card_decryption_failed']),
    401: Unauthorized,
    404: NotFound,
    422: SessionStateConflict,
    503: ServiceUnavailable,
  },
};

export const cancelPayment = {
  operationId: 'cancelPayment',
  tags: SESSIONS,
  summary: 'Cancel a payment session',
  security: bearerSecurity,
  params: SessionIdParams,
  body: Ref(CancelPaymentRequest),
  response: {
    200: Envelope(Ref(PaymentSession)),
    ...BodyErrors,
    401: Unauthorized,
    404: NotFound,
    422: SessionStateConflict,
    503: ServiceUnavailable,
  },
};

export const capturePayment = {
  operationId: 'capturePayment',
  tags: SESSIONS,
  summary: 'Capture all or part of a manual-capture card authorization',
  description:
    'Only for a card charge created with captureMethod manual and now WAITING_FOR_CAPTURE. Several partial captures may be taken while their total stays within authorizedAmount; the capture that takes the rest, or one with releaseRemainingAmount, ends it (charge SUCCESS, session PAID). With X-REQUEST-ID a retried capture answers the first one.',
  security: bearerSecurity,
  headers: CaptureHeaders,
  params: SessionIdParams,
  body: Ref(CaptureRequest),
  response: {
    200: Envelope(Ref(Capture)),
    ...BodyErrors,
    401: Unauthorized,
    404: NotFound,
    409: ErrorResponse(409, ['idempotency_error']),
    // capture_amount_exceeded: more than is left of the authorization (also what a losing concurrent capture gets).
    422: ErrorResponse(422, ['invalid_state', 'payment_session_expired', 'concurrent_update', 'capture_amount_exceeded']),
    503: ServiceUnavailable,
  },
};

export const getCustomer = {
  operationId: 'getCustomer',
  tags: ['Customers'],
  summary: 'Retrieve a customer and its saved payment methods',
  description:
    'A customer is known once a card paid with saveForFutureUse for it; until then 404. Only storedPaymentMethods is kept: the customer object itself is on each session.',
  security: bearerSecurity,
  params: CustomerIdParams,
  response: { 200: Envelope(Ref(CustomerObject)), 400: BadRequest, 401: Unauthorized, 404: NotFound, 503: ServiceUnavailable },
};

export const simulatePayment = {
  operationId: 'simulatePayment',
  tags: ['Sandbox'],
  summary: 'Simulate a payment outcome (sandbox only)',
  security: bearerSecurity,
  body: Ref(SimulationRequest),
  response: {
    200: Envelope(Ref(SimulationResult)),
    ...BodyErrors,
    401: Unauthorized,
    404: NotFound,
    422: SessionStateConflict,
    503: ServiceUnavailable,
  },
};

export const getPaymentMethodConfigs = {
  operationId: 'getPaymentMethodConfigs',
  tags: ['Payment methods'],
  summary: 'Enabled payment methods, channels and limits',
  security: bearerSecurity,
  // 400: a query parameter or header carrying a NUL character, refused on every route (api/nul-guard.ts).
  response: { 200: Envelope(Ref(PaymentMethodConfigs)), 400: BadRequest, 401: Unauthorized, 503: ServiceUnavailable },
};

export const listCallbacks = {
  operationId: 'listCallbacks',
  tags: KASIR_EXTENSION,
  summary: 'List callbacks with every delivery attempt (Kasir extension)',
  security: bearerSecurity,
  querystring: ListCallbacksQuery,
  response: { 200: ListEnvelope(Ref(Callback)), 400: BadRequest, 401: Unauthorized, 503: ServiceUnavailable },
};

export const resendCallback = {
  operationId: 'resendCallback',
  tags: KASIR_EXTENSION,
  summary: 'Send a callback again now (Kasir extension)',
  security: bearerSecurity,
  params: CallbackIdParams,
  response: {
    200: Envelope(Ref(Callback)),
    // No body is expected, but one that is sent is still parsed (and can be malformed, too large or not JSON).
    ...BodyErrors,
    401: Unauthorized,
    404: NotFound,
    422: ErrorResponse(422, ['invalid_state']),
    503: ServiceUnavailable,
  },
};

export const streamEvents = {
  operationId: 'streamEvents',
  tags: KASIR_EXTENSION,
  summary: "Stream the merchant's callbacks as they are written (Server-Sent Events; Kasir extension)",
  description:
    'Each callback the outbox gains, in the order written, as one SSE message (`id:` the callback id, `data:` a StreamedEvent as JSON), with a `: keep-alive` comment every 15 seconds. Reconnect with Last-Event-ID (or ?after=) to resume after the last message seen. At most 5 streams per merchant are open on one instance at once; more answer 429.',
  security: bearerSecurity,
  querystring: EventStreamQuery,
  headers: EventStreamHeaders,
  response: {
    200: {
      description: 'The stream; it stays open until the client or the server ends it',
      content: { 'text/event-stream': { schema: StreamedEvent } },
    },
    400: BadRequest,
    401: Unauthorized,
    429: ErrorResponse(429, ['frequency_above_limit']),
    503: ServiceUnavailable,
  },
};

export const createRefund = {
  operationId: 'createRefund',
  tags: REFUNDS,
  summary: 'Refund a payment, in full or in part',
  description:
    'Idempotent on X-REQUEST-ID for 24 hours, like createPayment. The refunds of a charge that are not FAILED or CANCELLED never add up to more than it paid: a refund beyond what remains is refused with 422 refund_amount_exceeded.',
  security: bearerSecurity,
  headers: CreatePaymentHeaders,
  body: Ref(CreateRefundRequest),
  response: {
    200: Envelope(Ref(Refund)),
    ...BodyErrors,
    401: Unauthorized,
    404: NotFound,
    409: ErrorResponse(409, ['duplicate_error', 'idempotency_error']),
    422: ErrorResponse(422, ['invalid_state', 'refund_amount_exceeded', 'concurrent_update']),
    503: ServiceUnavailable,
  },
};

export const getRefund = {
  operationId: 'getRefund',
  tags: REFUNDS,
  summary: 'Retrieve a refund',
  security: bearerSecurity,
  params: RefundIdParams,
  response: { 200: Envelope(Ref(Refund)), 400: BadRequest, 401: Unauthorized, 404: NotFound, 503: ServiceUnavailable },
};

export const listRefunds = {
  operationId: 'listRefunds',
  tags: REFUNDS,
  summary: 'List refunds, newest first',
  security: bearerSecurity,
  querystring: ListRefundsQuery,
  response: { 200: ListEnvelope(Ref(Refund)), 400: BadRequest, 401: Unauthorized, 503: ServiceUnavailable },
};

export const simulateRefund = {
  operationId: 'simulateRefund',
  tags: KASIR_EXTENSION,
  summary: 'Settle an open refund now (sandbox only, Kasir extension)',
  description:
    'SUCCESS or FAILED at once, the way the refund is being sent (channel or account); its REFUND.* callback follows. Not served in production.',
  security: bearerSecurity,
  body: Ref(RefundSimulationRequest),
  response: {
    200: Envelope(Ref(Refund)),
    ...BodyErrors,
    401: Unauthorized,
    404: NotFound,
    422: ErrorResponse(422, ['invalid_state', 'concurrent_update']),
    503: ServiceUnavailable,
  },
};
