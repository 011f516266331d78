// Building blocks every operation shares: named-schema references, money, envelopes, the error envelope
// with per-route code enums, pagination. OpenAPI 3.0 is the target dialect (what @fastify/swagger emits and
// Pivot's integrators read), so no `const`, and every `nullable` sits beside a `type`.
import { Type, type Static, type TSchema } from 'typebox';
import { CURRENCIES } from '../domain/payment-methods.ts';

/**
 * A reference to a named schema (one with an `$id`, registered once by `sharedSchemas`): validation,
 * serialisation and /openapi.json all resolve it, and the TypeScript type is the referenced schema's.
 */
export function Ref<T extends TSchema>(schema: T) {
  if (!('$id' in schema) || typeof schema.$id !== 'string') throw new Error('Ref() needs a schema with an $id');
  return Type.Unsafe<Static<T>>({ $ref: `${schema.$id}#` });
}

/**
 * `nullable: true` rather than anyOf [T, null]: fast-json-stringify must otherwise run an ajv check on
 * every value to pick the branch (measured as the largest serialisation cost), and OpenAPI 3.0 reads
 * the keyword directly. OpenAPI 3.0.3 lets `nullable` add null to `type` only: an `enum` keeps refusing
 * null unless it lists it, so a nullable enum does.
 */
export const Nullable = <T extends TSchema>(schema: T) =>
  Type.Unsafe<Static<T> | null>({
    ...schema,
    nullable: true,
    ...('enum' in schema && Array.isArray(schema.enum) && { enum: [...schema.enum, null] }),
  });

/**
 * A named object that may be null. OpenAPI 3.0 ignores siblings of `$ref`, and `nullable` beside an allOf
 * does not reach into it (the referenced schema still refuses null), so null is a branch of its own.
 * Four fields use it; serialising a page of 31 charges with the branch was within the noise of the allOf
 * form on the shared 2-core machine (91–163 µs against 84–192 µs).
 */
export function NullableRef<T extends TSchema>(schema: T) {
  const ref = Ref(schema);
  return Type.Unsafe<Static<T> | null>({
    type: 'object',
    nullable: true,
    anyOf: [{ type: 'object', nullable: true, enum: [null] }, ref],
  });
}

/** A string enum that OpenAPI 3.0 tools read (TypeBox's Enum leaves out `type`). */
export function Enum<const T extends readonly string[]>(values: T, options: Record<string, unknown> = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

export const Str = (max: number, min = 1, extra: Record<string, unknown> = {}) =>
  Type.String({ minLength: min, maxLength: max, ...extra });
export const Timestamp = Type.String({ format: 'date-time', maxLength: 40, description: 'ISO-8601 timestamp, UTC' });
/** Any JSON object, kept as sent (metadata, customer, orderInformation): its members are the merchant's. */
export const FreeObject = Type.Unsafe<Record<string, unknown>>(Type.Object({}, { additionalProperties: true }));

/** An amount a merchant sends (pivot-api §3.6): a positive integer (IDR has no decimals). */
export const AmountInput = Type.Object(
  {
    value: Type.Integer({ minimum: 1, maximum: 999_999_999_999_999, description: 'Integer amount (IDR has no decimals)' }),
    currency: Enum(CURRENCIES, { description: 'ISO 4217 code' }),
  },
  { $id: 'AmountInput', additionalProperties: true, description: 'Amount Object as a request carries it' },
);

/** An amount Kasir answers with: 0 for an open-amount MULTIPLE session. */
export const Amount = Type.Object(
  { value: Type.Integer(), currency: Type.String() },
  { $id: 'Amount', description: 'Amount Object (0 for an open-amount MULTIPLE session)' },
);
export type AmountWire = Static<typeof Amount>;

export const Pagination = Type.Object(
  { page: Type.Integer(), perPage: Type.Integer(), totalItems: Type.Integer(), totalPages: Type.Integer() },
  { $id: 'Pagination' },
);

/** Query fields every list endpoint shares (pivot-api §3.4: max 100 per page, default 20). */
export const PageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1 })),
  perPage: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
};

export function pageOf(query: { page?: number; perPage?: number }): { page: number; perPage: number } {
  return { page: query.page ?? 1, perPage: query.perPage ?? 20 };
}

const SuccessCode = Enum(['00'] as const);

export function Envelope<T extends TSchema>(data: T) {
  return Type.Object({ code: SuccessCode, message: Type.String(), data }, { description: 'Success' });
}

export function ListEnvelope<T extends TSchema>(item: T) {
  return Type.Object(
    { code: SuccessCode, message: Type.String(), data: Type.Array(item), pagination: Ref(Pagination) },
    { description: 'Success, one page' },
  );
}

export const FieldProblem = Type.Object(
  { field: Type.String({ description: 'The field (dotted path, or a header name) at fault' }), message: Type.String() },
  { $id: 'FieldProblem' },
);

export const ErrorEnvelope = Type.Object(
  {
    code: Type.String({ description: 'Error code; each response lists the codes its route can answer' }),
    message: Type.String(),
    error: Type.Object({
      type: Enum(['API_ERROR', 'GATEWAY_ERROR'] as const),
      source: Enum(['UPSTREAM', 'DOWNSTREAM', 'SYSTEM'] as const),
      details: Type.Array(Ref(FieldProblem), { description: 'One entry per bad field (400); empty otherwise' }),
      traceId: Type.String({ description: "The request's id, also on its log lines" }),
    }),
  },
  { $id: 'ErrorEnvelope', description: "Pivot's error envelope" },
);
export type ErrorEnvelopeWire = Static<typeof ErrorEnvelope>;

/** Every error code Kasir answers, by the status it comes with. */
export const ERROR_CODES = {
  400: ['api_validation_error', 'card_decryption_failed'],
  401: ['credentials_invalid'],
  404: ['resource_missing'],
  409: ['duplicate_error', 'idempotency_error'],
  413: ['payload_too_large'],
  415: ['unsupported_media_type'],
  422: ['invalid_state', 'payment_session_expired', 'concurrent_update', 'capture_amount_exceeded', 'refund_amount_exceeded'],
  429: ['frequency_above_limit'],
  503: ['service_unavailable'],
} as const;
type ErrorStatus = keyof typeof ERROR_CODES;

const STATUS_TEXT: Record<ErrorStatus, string> = {
  400: 'The request is invalid (one details entry per bad field)',
  401: 'Missing, wrong or expired credentials',
  404: 'No such resource for this merchant',
  409: 'Conflicts with an open session or an earlier request',
  413: 'The body is larger than 256 KB',
  415: 'The body is not application/json',
  422: 'Valid, but not allowed in the current state',
  429: 'Too many requests',
  503: 'The database is unreachable or not answering in time; retry after Retry-After seconds',
};

export type ErrorCode = (typeof ERROR_CODES)[ErrorStatus][number];

/** What each code means for the merchant; every error response's description lists its codes with these. */
export const ERROR_CODE_MEANINGS: Record<ErrorCode, string> = {
  api_validation_error: 'a field, header or query parameter is missing or wrong; `error.details` names each',
  card_decryption_failed: "`encryptedCard` is not a ciphertext of the session's `encryptionKey`",
  credentials_invalid: 'the bearer token (or the client id and secret) is missing, wrong or expired',
  resource_missing: 'no such id among this merchant’s resources',
  duplicate_error: 'the `clientReferenceId` is already used by an open session or another refund',
  idempotency_error: 'this `X-REQUEST-ID` came before with a different body',
  payload_too_large: 'the body is larger than 256 KB',
  unsupported_media_type: 'the body is not `application/json`',
  invalid_state: 'the resource’s status does not allow this now',
  payment_session_expired: 'the session is past its `expiryAt`',
  concurrent_update: 'another request changed the same resource at the same moment; retry',
  capture_amount_exceeded: 'more than is left of the authorization',
  refund_amount_exceeded: 'more than is left to refund on the charge',
  frequency_above_limit: 'too many requests; wait `Retry-After` seconds',
  service_unavailable: 'the database is not answering; retry after `Retry-After` seconds',
};

/** A response's description: what the status means, then each code the route answers with it. */
function describeCodes(status: ErrorStatus, codes: readonly ErrorCode[]): string {
  return [`${STATUS_TEXT[status]}.`, '', ...codes.map((code) => `- \`${code}\`: ${ERROR_CODE_MEANINGS[code]}`)].join('\n');
}

/** The error envelope narrowed to the codes one route can answer with one status. */
export function ErrorResponse<S extends ErrorStatus, const C extends readonly (typeof ERROR_CODES)[S][number][]>(
  status: S,
  codes: C,
) {
  return Type.Unsafe<ErrorEnvelopeWire & { code: C[number] }>({
    description: describeCodes(status, codes),
    allOf: [Ref(ErrorEnvelope), { type: 'object', properties: { code: { type: 'string', enum: [...codes] } } }],
  });
}

export const BadRequest = ErrorResponse(400, ['api_validation_error']);
export const Unauthorized = ErrorResponse(401, ['credentials_invalid']);
export const NotFound = ErrorResponse(404, ['resource_missing']);
export const PayloadTooLarge = ErrorResponse(413, ['payload_too_large']);
export const UnsupportedMediaType = ErrorResponse(415, ['unsupported_media_type']);
/** What any route with a JSON body can answer before its handler runs. */
export const BodyErrors = { 400: BadRequest, 413: PayloadTooLarge, 415: UnsupportedMediaType };
/**
 * Every route that reads or writes the database (all of them: the bearer check loads the merchant) can
 * answer this while the database is down, frozen or full.
 */
export const ServiceUnavailable = Type.Unsafe<ErrorEnvelopeWire & { code: 'service_unavailable' }>({
  ...ErrorResponse(503, ['service_unavailable']),
  headers: { 'Retry-After': { type: 'integer', minimum: 1, description: 'Seconds to wait before retrying' } },
});
/** A state refusal on a session action (confirm, cancel, simulate). */
export const SessionStateConflict = ErrorResponse(422, ['invalid_state', 'payment_session_expired', 'concurrent_update']);
