// `kasir.events.stream()`: the merchant's callbacks as Kasir writes them (GET /v2/events/stream, a Kasir
// extension, Server-Sent Events), read with eventsource-parser into typed StreamedEvents. The connection is
// opened like any other call (the cached token, one re-send after a 401, the typed errors); reading it is an
// async iteration that remembers the last event id and the server's `retry:` so the caller can reconnect.
// Reconnecting is the caller's: when and how often is theirs to choose (see the README's "Follow events").
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { KasirNetworkError } from './errors.js';
import { isCallbackEventName } from './event-names.js';
import type { CallbackEventName, StreamedEvent, StreamedResourceType } from './types.js';

export interface StreamEventsOptions {
  /** Only these events; all of them when left out. */
  events?: readonly CallbackEventName[];
  /** Resume after this callback id (`?after=`); without it or `lastEventId` the stream starts from now. */
  after?: string;
  /** Resume after this id, sent as Last-Event-ID (wins over `after`): `stream.lastEventId` of a dropped stream. */
  lastEventId?: string;
  /** Aborting it ends the iteration cleanly (no error) and closes the connection. */
  signal?: AbortSignal;
}

const RESOURCE_TYPES = { payment_session: true, refund: true, merchant: true } as const satisfies Record<
  StreamedResourceType,
  true
>;
const isResourceType = (value: unknown): value is StreamedResourceType =>
  typeof value === 'string' && Object.hasOwn(RESOURCE_TYPES, value);
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function stringRecord(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined;
  const entries = Object.entries(value);
  return entries.every((entry): entry is [string, string] => typeof entry[1] === 'string')
    ? Object.fromEntries(entries)
    : undefined;
}

/** One message's data as a StreamedEvent; undefined when it is not one this version knows (a newer server's). */
export function streamedEventOf(data: string): StreamedEvent | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed)) return undefined;
  const { id, event, resourceType, resourceId, createdAt, body } = parsed;
  const headers = stringRecord(parsed.headers);
  if (
    typeof id !== 'string' ||
    !isCallbackEventName(event) ||
    !isResourceType(resourceType) ||
    typeof resourceId !== 'string' ||
    typeof createdAt !== 'string' ||
    typeof body !== 'string' ||
    !headers
  ) {
    return undefined;
  }
  return { id, event, resourceType, resourceId, createdAt, body, headers };
}

/**
 * An open event stream: iterate it once (`for await`), or close() it; until then it holds its connection.
 * `lastEventId` and `retryMs` follow the iteration, so after it ends (the server closed it) or throws
 * (KasirNetworkError: the connection dropped), a reconnect passes `lastEventId` on and waits `retryMs` first.
 */
export class EventStream implements AsyncIterable<StreamedEvent> {
  /** The id of the last message handed out (or skipped as unknown): what Last-Event-ID resumes after. */
  lastEventId: string | undefined;
  /** How long the server asks a client to wait before reconnecting (its `retry:` field), once it said. */
  retryMs: number | undefined;
  private iterated = false;
  /**
   * Taken when the stream opens, not when the iteration starts: Node's fetch cancels a body that is neither
   * locked nor read once the Response it came with is garbage-collected, and the caller holds this object,
   * not the Response. Unlocked, a stream opened and iterated later could end by itself in between.
   */
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;

  constructor(
    body: ReadableStream<Uint8Array>,
    private readonly requestId: string,
    private readonly signal: AbortSignal | undefined,
    resumedAfter: string | undefined,
  ) {
    this.reader = body.getReader();
    this.lastEventId = resumedAfter;
  }

  /** Closes the connection; an iteration under way ends as if the server had ended the stream. */
  async close(): Promise<void> {
    this.iterated = true;
    await this.reader.cancel().catch(() => undefined);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<StreamedEvent, void, undefined> {
    if (this.iterated) throw new TypeError('Kasir: an event stream is read once; open another to read again');
    this.iterated = true;
    const messages: EventSourceMessage[] = [];
    const parser = createParser({
      onEvent: (message) => messages.push(message),
      onRetry: (ms) => (this.retryMs = ms),
    });
    const reader = this.reader;
    const decoder = new TextDecoder();
    // The caller's signal reaches fetch through AbortSignal.any and undici's own controller, which undici
    // holds only weakly: once the request behind this stream is garbage-collected, an abort can miss the
    // body and leave a read waiting for ever. Cancelling the reader here ends that read whatever fetch does.
    const cancelOnAbort = () => void reader.cancel().catch(() => undefined);
    this.signal?.addEventListener('abort', cancelOnAbort, { once: true });
    try {
      if (this.signal?.aborted) return;
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (cause) {
          if (this.signal?.aborted) return;
          throw new KasirNetworkError('Kasir: the event stream dropped', { cause, requestId: this.requestId, timedOut: false });
        }
        if (chunk.done) return;
        parser.feed(decoder.decode(chunk.value, { stream: true }));
        while (messages.length > 0) {
          const message = messages.shift();
          if (message === undefined) break;
          const event = streamedEventOf(message.data);
          // Advanced as each message is handed out, not as it is parsed: a resume repeats nothing the caller
          // saw and loses nothing it did not.
          if (message.id !== undefined) this.lastEventId = message.id;
          if (event) yield event;
          if (this.signal?.aborted) return;
        }
      }
    } finally {
      this.signal?.removeEventListener('abort', cancelOnAbort);
      // Ends the connection when the caller stops early (break, return, abort) as well as at the end.
      await reader.cancel().catch(() => undefined);
    }
  }
}

/** The query and headers of GET /v2/events/stream for these options. */
export function streamRequest(options: StreamEventsOptions): {
  query: { events?: string; after?: string };
  header: { 'last-event-id'?: string };
} {
  if (options.events !== undefined && options.events.length === 0) {
    throw new TypeError('Kasir: events, when given, names at least one event');
  }
  return {
    query: {
      ...(options.events !== undefined && { events: options.events.join(',') }),
      ...(options.after !== undefined && { after: options.after }),
    },
    header: options.lastEventId === undefined ? {} : { 'last-event-id': options.lastEventId },
  };
}
