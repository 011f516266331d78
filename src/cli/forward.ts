// One callback of the event stream as `kasir listen` reports it, and its delivery to a local URL: the body
// exactly as Kasir sends it, with the headers Kasir signed, and the answer's status and latency. A URL that
// refuses or never answers is a printed outcome, never an error that ends the stream.
import { performance } from 'node:perf_hooks';
import type { StreamedEvent } from '@kasir/sdk';
import { isJsonObject } from '../domain/json.ts';

export interface Delivery {
  url: string;
  status: number | null;
  latencyMs: number;
  error?: string;
}

/** What --json prints of a callback (before its verification and delivery). */
export interface EventSummary {
  id: string;
  event: string;
  resourceId: string;
  status: string | null;
  createdAt: string;
}

/** A local endpoint gets this long to answer. */
const FORWARD_TIMEOUT_MS = 10_000;

/** data.status of the callback's body (the session's or the refund's), when it has one. */
export function statusOf(event: StreamedEvent): string | null {
  try {
    const parsed: unknown = JSON.parse(event.body);
    const data = isJsonObject(parsed) ? parsed.data : undefined;
    return isJsonObject(data) && typeof data.status === 'string' ? data.status : null;
  } catch {
    return null;
  }
}

export function summaryOf(event: StreamedEvent): EventSummary {
  const { id, resourceId, createdAt } = event;
  return { id, event: event.event, resourceId, status: statusOf(event), createdAt };
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
