// One message of the event stream read into what `kasir listen` prints, and its delivery to a local URL: the
// body exactly as Kasir sends it, with the headers Kasir signed, and the answer's status and latency. A URL
// that refuses or never answers is a printed outcome, never an error that ends the stream.
import { performance } from 'node:perf_hooks';

export interface StreamedEvent {
  id: string;
  event: string;
  resourceId: string;
  /** data.status of the body, when it has one. */
  status: string | undefined;
  body: string;
  headers: Record<string, string>;
  /** What --json prints of it. */
  summary: { id: string; event: string; resourceId: string; status: string | null; createdAt: string };
}

export interface Delivery {
  url: string;
  status: number | null;
  latencyMs: number;
  error?: string;
}

/** A local endpoint gets this long to answer. */
const FORWARD_TIMEOUT_MS = 10_000;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function stringRecord(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined;
  const entries = Object.entries(value);
  return entries.every((entry): entry is [string, string] => typeof entry[1] === 'string')
    ? Object.fromEntries(entries)
    : undefined;
}

function statusOf(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    const data = isRecord(parsed) ? parsed.data : undefined;
    return isRecord(data) && typeof data.status === 'string' ? data.status : undefined;
  } catch {
    return undefined;
  }
}

/** The message's data as a StreamedEvent; undefined for anything else (a newer server's other messages). */
export function parseStreamedEvent(data: string): StreamedEvent | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed)) return undefined;
  const { id, event, resourceId, body, createdAt } = parsed;
  const headers = stringRecord(parsed.headers);
  if (
    typeof id !== 'string' ||
    typeof event !== 'string' ||
    typeof resourceId !== 'string' ||
    typeof body !== 'string' ||
    !headers
  ) {
    return undefined;
  }
  const status = statusOf(body);
  return {
    id,
    event,
    resourceId,
    status,
    body,
    headers,
    summary: { id, event, resourceId, status: status ?? null, createdAt: typeof createdAt === 'string' ? createdAt : '' },
  };
}

export async function forwardEvent(fetch: typeof globalThis.fetch, url: string, event: StreamedEvent): Promise<Delivery> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: event.headers,
      body: event.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
    });
    await response.arrayBuffer().catch(() => undefined);
    return { url, status: response.status, latencyMs: elapsed() };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
    return { url, status: null, latencyMs: elapsed(), error: cause ?? (error instanceof Error ? error.message : String(error)) };
  }
}
