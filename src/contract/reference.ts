// What the reader of /docs needs beyond the route schemas: the introduction (authentication, idempotency,
// errors, sandbox), the tags' order and descriptions, every callback event with its headers and an example
// body (as `x-webhooks`, which Scalar and Redocly read in an OpenAPI 3.0 document), and the operations'
// examples from examples.ts. decorateDocument() adds them when @fastify/swagger builds the document.
import { CALLBACK_EVENTS, type CallbackEvent } from '../domain/statuses.ts';
import { ERROR_CODES, ERROR_CODE_MEANINGS } from './common.ts';
import { OPERATION_EXAMPLES, errorExample, type ErrorCode, type OperationId } from './examples.ts';
import * as sample from './example-objects.ts';

const codesByStatus = Object.entries(ERROR_CODES)
  .map(([status, codes]) => `- **${status}**: ${codes.map((code) => `\`${code}\``).join(', ')}`)
  .join('\n');

export const API_INTRO = `Kasir speaks Pivot Payment's v2 Payment Session API: create a payment session, send the shopper to its
\`paymentUrl\` (or charge in API mode), and hear the outcome by signed callbacks. Operations tagged
**Kasir extension** are not part of Pivot's API.

## Authentication

Exchange the merchant's client id and secret (\`X-MERCHANT-ID\`, \`X-MERCHANT-SECRET\`) for a bearer token with
\`POST /v1/access-token\`; send it as \`Authorization: Bearer <accessToken>\` on every other call. A token lives
900 seconds; get a new one when a call answers 401 \`credentials_invalid\`. Rotating the client secret ends every
token issued under the old one at once.

## Idempotency: X-REQUEST-ID

\`POST /v2/payments\` and \`POST /v1/refunds\` require \`X-REQUEST-ID\` (16–36 letters and digits; capture takes it
too). Kasir keeps the first answer for 24 hours: the same key with the same body answers it again, without
creating anything; the same key with another body is 409 \`idempotency_error\`. Retry a call that timed out
with the same key.

## Errors

Every refusal has the same envelope: \`code\` says what went wrong, \`message\` says it in words,
\`error.details\` names each bad field (400), and \`error.traceId\` is the request's id in Kasir's log — quote it.
Each operation lists, per status, the codes it can answer, with an example body for each.

\`\`\`json
${JSON.stringify(errorExample('createPayment', 400, 'api_validation_error'), null, 2)}
\`\`\`

Every code Kasir answers, by status (each operation's responses say what each of its codes means):

${codesByStatus}

## Sandbox

With \`KASIR_ENV=sandbox\` (the default) nothing moves real money: \`POST /v2/payments/simulations\` pays, fails
or expires a charge, \`POST /v1/refunds/simulations\` settles a refund, refunds move on by themselves every few
seconds, and Pivot's test cards and e-wallet numbers decide the outcome on the payment page. Those routes are
not served with \`KASIR_ENV=production\`.

## Callbacks

Each status change a merchant must hear of is \`POST\`ed to its callback URL as \`{"event", "data"}\`, at least
once, with \`X-API-Key\` and [Standard Webhooks](https://www.standardwebhooks.com/) signature headers. Answer any
2xx; a network error, timeout, 5xx, 408 or 429 is retried (by default after 5 min, 15 min, 1 h, 3 h, 6 h and 12 h). Every
event, its headers and an example body are under **Webhooks**.`;

/** The sidebar's order: the integration flow first, then what only some merchants need. */
const TAGS = [
  { name: 'Authentication', description: 'Client credentials for a 900-second bearer token.' },
  { name: 'Payment sessions', description: 'Create, confirm, cancel and capture payment sessions, and read them back.' },
  { name: 'Charges', description: "Every charge of the merchant's sessions." },
  { name: 'Customers', description: 'Saved cards and e-wallets of a customer.' },
  { name: 'Payment methods', description: 'The methods, channels and limits this Kasir accepts.' },
  { name: 'Refunds', description: 'Refund a paid charge, in full or in part, through its channel or by bank transfer.' },
  { name: 'Sandbox', description: 'Move a payment to its outcome without a shopper (sandbox only).' },
  { name: 'Kasir extension', description: "Beyond Pivot's API: callback history and resend, refund simulation." },
];

interface EventDoc {
  summary: string;
  description: string;
  schema: 'PaymentSession' | 'Refund' | 'TestCallbackData';
  data: unknown;
}

/** One entry per callback event of the domain: adding an event without documenting it fails the build. */
const EVENT_DOCS: Record<CallbackEvent, EventDoc> = {
  'PAYMENT.PROCESSING': {
    summary: 'A charge was issued (SINGLE)',
    description:
      'The VA number, QR or e-wallet step is ready: `autoConfirm: true` at create, or confirm. `data.status` is `REQUIRE_ACTION`.',
    schema: 'PaymentSession',
    data: sample.requireActionSession,
  },
  'PAYMENT.PAID': {
    summary: 'A SINGLE session was paid',
    description: '`data.status` is `PAID`; `chargeDetails[0]` is the SUCCESS charge with `paidAt`.',
    schema: 'PaymentSession',
    data: sample.paidSession,
  },
  'CHARGE.SUCCESS': {
    summary: 'A charge succeeded on a MULTIPLE session',
    description: 'One per charge; the session stays open: `data.status` is `ACTIVE`.',
    schema: 'PaymentSession',
    data: sample.activeMultipleSession,
  },
  'PAYMENT.CANCELLED': {
    summary: 'Cancelled, failed or expired',
    description:
      'Pivot folds these into one event: read `data.status` — `CANCELLED` (`cancellationReason` as the merchant gave it, or `CHARGE_FAILED`), `EXPIRED` (SINGLE) or `INACTIVE` (MULTIPLE).',
    schema: 'PaymentSession',
    data: sample.cancelledSession,
  },
  'REFUND.PENDING': {
    summary: 'A refund was created',
    description: '`data` is the Refund Object; `data.status` is `PENDING`.',
    schema: 'Refund',
    data: sample.pendingRefund,
  },
  'REFUND.WAITING_BANK_TRANFER': {
    summary: 'A refund waits for the bank transfer',
    description:
      "Pivot's spelling (sic, no S), sent exactly so that a handler written for Pivot matches; `data.status` is `WAITING_BANK_TRANSFER`.",
    schema: 'Refund',
    data: sample.waitingRefund,
  },
  'REFUND.SUCCESS': {
    summary: 'A refund arrived',
    description: '`data.destinationType` says how: `CHANNEL` (back through the payment channel) or `ACCOUNT` (bank transfer).',
    schema: 'Refund',
    data: sample.succeededRefund,
  },
  'REFUND.FAILED': {
    summary: 'A refund failed',
    description: '`data.failureCode` and `data.failureMessage` say why (Kasir extension).',
    schema: 'Refund',
    data: sample.failedRefund,
  },
  'PAYMENT.TEST': {
    summary: 'The dashboard’s test callback',
    description: 'Sent from the Developers screen on demand; `data` is a sample payment, not a real one. Acknowledge it.',
    schema: 'TestCallbackData',
    data: sample.testCallbackData,
  },
};

const TEST_CALLBACK_DATA = {
  type: 'object',
  required: ['id', 'clientReferenceId', 'amount', 'status', 'createdAt'],
  properties: {
    id: { type: 'string' },
    clientReferenceId: { type: 'string' },
    amount: { $ref: '#/components/schemas/Amount' },
    status: { type: 'string' },
    createdAt: { type: 'string' },
  },
};

const CALLBACK_HEADERS = [
  {
    name: 'X-API-Key',
    description: "The merchant's callback API key (Pivot's check): compare it in constant time",
    example: 'ck_7Qm2xV9pL4sT8wZ1',
  },
  {
    name: 'webhook-id',
    description: 'The callback id: the same on every retry of this event, so use it to ignore repeats',
    example: sample.CALLBACK_ID,
  },
  { name: 'webhook-timestamp', description: 'Seconds since the epoch, the time of this attempt', example: '1924755842' },
  {
    name: 'webhook-signature',
    description:
      "`v1,` + base64 HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<raw body>` under the merchant's signing secret; two values, space-separated, during a secret rotation",
    example: 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=',
  },
].map((header) => ({ in: 'header', required: true, schema: { type: 'string' }, ...header }));

function webhook(event: CallbackEvent, doc: EventDoc) {
  const data = doc.schema === 'TestCallbackData' ? TEST_CALLBACK_DATA : { $ref: `#/components/schemas/${doc.schema}` };
  return {
    post: {
      operationId: `callback_${event.replace(/\W/g, '_')}`,
      summary: `${event}: ${doc.summary}`,
      description: doc.description,
      security: [],
      parameters: CALLBACK_HEADERS,
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['event', 'data'],
              properties: { event: { type: 'string', enum: [event] }, data },
            },
            example: { event, data: doc.data },
          },
        },
      },
      responses: {
        '200': { description: 'Any 2xx acknowledges the callback' },
        '400': { description: 'Any other 4xx (and 3xx: redirects are not followed): recorded FAILED at once, not retried' },
        '503': { description: 'A 5xx, 408, 429, a network error or no answer within 10 s: retried on the schedule' },
      },
    },
  };
}

type Json = Record<string, unknown>;
const isJson = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isOperationId = (value: unknown): value is OperationId =>
  typeof value === 'string' && Object.hasOwn(OPERATION_EXAMPLES, value);

/** The codes an error response's schema narrows `code` to (see ErrorResponse in common.ts). */
function documentedCodes(response: Json): ErrorCode[] {
  const media = isJson(response.content) ? response.content['application/json'] : undefined;
  const schema = isJson(media) ? media.schema : undefined;
  const narrowing = isJson(schema) && Array.isArray(schema.allOf) ? schema.allOf[1] : undefined;
  const code = isJson(narrowing) && isJson(narrowing.properties) ? narrowing.properties.code : undefined;
  const codes = isJson(code) && Array.isArray(code.enum) ? code.enum : [];
  return codes.filter((c): c is ErrorCode => typeof c === 'string' && Object.hasOwn(ERROR_CODE_MEANINGS, c));
}

function jsonMedia(holder: unknown, type = 'application/json'): Json | undefined {
  const content = isJson(holder) ? holder.content : undefined;
  const media = isJson(content) ? content[type] : undefined;
  return isJson(media) ? media : undefined;
}

function attachExamples(operationId: OperationId, operation: Json): void {
  const examples = OPERATION_EXAMPLES[operationId];
  const body = jsonMedia(operation.requestBody);
  if (body && 'request' in examples) body.examples = examples.request;
  const responses = isJson(operation.responses) ? operation.responses : {};
  for (const [status, response] of Object.entries(responses)) {
    if (status === '200') {
      // JSON, or the event stream's messages (the example is one message's data).
      const media = jsonMedia(response) ?? jsonMedia(response, 'text/event-stream');
      if (media) media.example = examples.success;
      continue;
    }
    const media = jsonMedia(response);
    if (!media || !isJson(response)) continue;
    media.examples = Object.fromEntries(
      documentedCodes(response).map((code) => [code, { summary: code, value: errorExample(operationId, Number(status), code) }]),
    );
  }
}

/** Adds the introduction, tags, callbacks and examples to the document @fastify/swagger built (in place). */
export function decorateDocument(document: object): void {
  const doc: unknown = document;
  if (!isJson(doc)) return;
  if (isJson(doc.info)) doc.info.description = API_INTRO;
  doc.tags = TAGS;
  doc['x-webhooks'] = Object.fromEntries(CALLBACK_EVENTS.map((event) => [event, webhook(event, EVENT_DOCS[event])]));
  for (const item of Object.values(isJson(doc.paths) ? doc.paths : {})) {
    for (const operation of Object.values(isJson(item) ? item : {})) {
      if (isJson(operation) && isOperationId(operation.operationId)) attachExamples(operation.operationId, operation);
    }
  }
}
