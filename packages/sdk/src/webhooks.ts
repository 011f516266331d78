// Verifying a callback Kasir (or Pivot) sent: the Standard Webhooks signature (`v1,` + base64 HMAC-SHA256 of
// "<webhook-id>.<webhook-timestamp>.<raw body>" under the `whsec_` secret; several space-separated during a
// rotation) and/or Pivot's X-API-Key, then the body read as the typed event union. WebCrypto only, so it runs
// wherever `crypto.subtle` does: Node 20+, Deno, Bun, browsers, edge runtimes.
import { isPaymentEventName, isRefundEventName, type PaymentEventName, type RefundEventName } from './event-names.js';
import type { PaymentSession, Refund } from './types.js';

/** What a PAYMENT.TEST (the dashboard's "send test callback") carries: a sample payment, not a real one. */
export type TestPayment = Pick<PaymentSession, 'id' | 'clientReferenceId' | 'amount' | 'status' | 'createdAt'> &
  Partial<PaymentSession>;

interface EventBase {
  /** The webhook-id header: the same on every retry of this callback, for de-duplication; null when not sent (Pivot). */
  id: string | null;
}
export interface PaymentCallbackEvent extends EventBase {
  event: PaymentEventName;
  data: PaymentSession;
}
export interface TestCallbackEvent extends EventBase {
  event: 'PAYMENT.TEST';
  data: TestPayment;
}
export interface RefundCallbackEvent extends EventBase {
  event: RefundEventName;
  data: Refund;
}
/** Discriminated by `event`. */
export type CallbackEvent = PaymentCallbackEvent | TestCallbackEvent | RefundCallbackEvent;

export type CallbackVerificationFailure =
  'missing_header' | 'invalid_signature' | 'timestamp_out_of_tolerance' | 'invalid_api_key' | 'invalid_payload';

/** The callback is not to be trusted (answer it with a 4xx); `code` says why. */
export class CallbackVerificationError extends Error {
  override readonly name = 'CallbackVerificationError';
  constructor(
    readonly code: CallbackVerificationFailure,
    message: string,
  ) {
    super(message);
  }
}

export type CallbackHeaders = Headers | Record<string, string | string[] | undefined>;

export interface VerifyCallbackOptions {
  /** The raw request body exactly as received (re-serialised JSON does not match the signature). */
  payload: string | Uint8Array;
  /** A Headers, or a Node-style record (any case; arrays are joined as HTTP joins repeated headers). */
  headers: CallbackHeaders;
  /** `whsec_…`; several during a rotation on your side (any one that matches will do). */
  webhookSecret?: string | readonly string[];
  /** Pivot's X-API-Key, compared in constant time. */
  apiKey?: string;
  /** How far webhook-timestamp may be from now, either way, in seconds; default 300. */
  toleranceSeconds?: number;
  /** The receiver's clock, epoch milliseconds; default Date.now. */
  now?: () => number;
}

const encoder = new TextEncoder();

function header(headers: CallbackHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value.join(', ') : value;
  }
  return undefined;
}

function base64Bytes(text: string): Uint8Array | null {
  try {
    return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
  } catch {
    return null;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * Imported keys by secret, a few at most: importing costs more than the HMAC itself, and a receiver verifies
 * under the same one or two secrets all day.
 */
const importedKeys = new Map<string, Promise<CryptoKey>>();
const MAX_IMPORTED_KEYS = 8;

function hmacKey(secret: string): Promise<CryptoKey> {
  const known = importedKeys.get(secret);
  if (known) return known;
  const keyBytes = base64Bytes(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret);
  if (!keyBytes || keyBytes.length === 0) throw new TypeError('verifyCallback: webhookSecret is not whsec_ + base64');
  const key = crypto.subtle.importKey('raw', new Uint8Array(keyBytes), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  const oldest = importedKeys.keys().next();
  if (importedKeys.size >= MAX_IMPORTED_KEYS && !oldest.done) importedKeys.delete(oldest.value);
  importedKeys.set(secret, key);
  return key;
}

/** True when some `v1,` signature is the HMAC of the signed content under some secret (WebCrypto's verify is constant-time). */
async function signatureMatches(
  secrets: readonly string[],
  signatures: string,
  signed: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  const candidates = signatures
    .split(' ')
    .filter((part) => part.startsWith('v1,'))
    .map((part) => base64Bytes(part.slice(3)))
    .filter((bytes) => bytes !== null);
  for (const secret of secrets) {
    const key = await hmacKey(secret);
    for (const candidate of candidates) {
      if (await crypto.subtle.verify('HMAC', key, new Uint8Array(candidate), signed)) return true;
    }
  }
  return false;
}

/** Equal strings, in time that does not depend on where they differ: both are hashed, the digests compared whole. */
async function sameSecret(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([
    crypto.subtle.digest('SHA-256', encoder.encode(given)),
    crypto.subtle.digest('SHA-256', encoder.encode(expected)),
  ]);
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  let difference = 0;
  for (let i = 0; i < x.length; i++) difference |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return difference === 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The body, read as an event. Only what tells the events apart is checked: the signature or the API key has
 * already proved who sent it, and its `data` is the contract's Payment Session or Refund Object.
 */
function parseEvent(id: string | null, text: string): CallbackEvent {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new CallbackVerificationError('invalid_payload', 'The callback body is not JSON');
  }
  if (!isRecord(body) || typeof body.event !== 'string' || !isRecord(body.data) || typeof body.data.id !== 'string') {
    throw new CallbackVerificationError('invalid_payload', 'The callback body is not {"event", "data": {"id", …}}');
  }
  const { event, data } = body;
  if (isPaymentEventName(event) && isPaymentSession(data)) return { id, event, data };
  if (event === 'PAYMENT.TEST' && isPaymentSession(data)) return { id, event, data };
  if (isRefundEventName(event) && isRefund(data)) return { id, event, data };
  throw new CallbackVerificationError('invalid_payload', `Unknown callback event or data: ${event.slice(0, 60)}`);
}

const isPaymentSession = (data: Record<string, unknown>): data is PaymentSession =>
  typeof data.status === 'string' && typeof data.clientReferenceId === 'string' && isRecord(data.amount);
const isRefund = (data: Record<string, unknown>): data is Refund =>
  typeof data.status === 'string' && typeof data.paymentSessionId === 'string' && isRecord(data.amount);

/**
 * Checks a callback and returns its event. Give `webhookSecret` (Standard Webhooks signature and timestamp),
 * `apiKey` (Pivot's X-API-Key), or both (both must pass). Rejects with CallbackVerificationError.
 */
export async function verifyCallback(options: VerifyCallbackOptions): Promise<CallbackEvent> {
  const secrets = options.webhookSecret === undefined ? [] : [options.webhookSecret].flat();
  if (secrets.length === 0 && options.apiKey === undefined) {
    throw new TypeError('verifyCallback: give webhookSecret, apiKey, or both');
  }
  const text = typeof options.payload === 'string' ? options.payload : new TextDecoder().decode(options.payload);
  const id = header(options.headers, 'webhook-id') ?? null;

  if (options.apiKey !== undefined) {
    const given = header(options.headers, 'x-api-key');
    if (given === undefined) throw new CallbackVerificationError('missing_header', 'No X-API-Key header');
    if (!(await sameSecret(given, options.apiKey)))
      throw new CallbackVerificationError('invalid_api_key', 'X-API-Key does not match');
  }

  if (secrets.length > 0) {
    const timestamp = header(options.headers, 'webhook-timestamp');
    const signatures = header(options.headers, 'webhook-signature');
    if (id === null || timestamp === undefined || signatures === undefined) {
      throw new CallbackVerificationError('missing_header', 'webhook-id, webhook-timestamp and webhook-signature are required');
    }
    if (!/^\d{1,15}$/.test(timestamp))
      throw new CallbackVerificationError('missing_header', 'webhook-timestamp is not a number of seconds');
    const nowSeconds = Math.floor((options.now ?? Date.now)() / 1000);
    if (Math.abs(nowSeconds - Number(timestamp)) > (options.toleranceSeconds ?? 300)) {
      throw new CallbackVerificationError('timestamp_out_of_tolerance', 'webhook-timestamp is too far from now (a replay?)');
    }
    const body = typeof options.payload === 'string' ? encoder.encode(options.payload) : options.payload;
    const signed = concat(encoder.encode(`${id}.${timestamp}.`), body);
    if (!(await signatureMatches(secrets, signatures, signed))) {
      throw new CallbackVerificationError('invalid_signature', 'No webhook-signature matches the body under the secret');
    }
  }
  return parseEvent(id, text);
}
