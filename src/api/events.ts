// GET /v2/events/stream — Kasir extension: the merchant's callbacks as Server-Sent Events, as they are written
// (read from the callbacks table every POLL_MS, so a callback written by any instance shows up). Each message
// carries the exact body and the headers Kasir would send with it now, signed by the dispatcher's own
// function, so `kasir listen --forward-to` delivers what the merchant's endpoint will really get.
//
// A stream is a long-lived response: keep-alive comments keep the connection's idle timeout from closing
// it, each instance holds at most MAX_STREAMS_PER_MERCHANT per merchant, and closing the app ends them all
// (Node's server close waits for open responses).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { callbackHeaders } from '../callbacks/sender.ts';
import { streamEvents } from '../contract/operations.ts';
import type { StreamedEventWire } from '../contract/events.ts';
import { Refusal } from '../domain/refusal.ts';
import { isCallbackEvent, type CallbackEvent } from '../domain/statuses.ts';
import type { Context } from '../usecases/context.ts';
import { EventFollower, positionAfter, positionNow, streamSigning } from '../usecases/event-stream.ts';
import type { CallbackRecord } from '../usecases/callback-delivery.ts';
import { ApiError } from './errors.ts';

export const MAX_STREAMS_PER_MERCHANT = 5;
/** How often the callbacks table is read for a stream. */
const POLL_MS = 250;
/** A comment this often at most; sooner when the server's idle timeout is shorter. */
const KEEP_ALIVE_MS = 15_000;
/** What an EventSource waits before reconnecting. */
const RETRY_MS = 2_000;
const MAX_BUFFERED_BYTES = 1024 * 1024;

function eventFilter(raw: string | undefined): CallbackEvent[] | undefined {
  if (raw === undefined) return undefined;
  const names = raw.split(',');
  const unknown = names.filter((name) => !isCallbackEvent(name));
  if (unknown.length > 0) throw Refusal.field('events', `events names unknown events: ${unknown.join(', ')}`);
  return names.filter(isCallbackEvent);
}

function message(callback: CallbackRecord, headers: Record<string, string>): string {
  const data: StreamedEventWire = {
    id: callback.id,
    event: callback.event,
    resourceType: callback.resourceType,
    resourceId: callback.resourceId,
    createdAt: callback.createdAt.toISOString(),
    body: callback.payload,
    headers,
  };
  // JSON never holds a raw newline, so the object is one `data:` line.
  return `id: ${callback.id}\ndata: ${JSON.stringify(data)}\n\n`;
}

export async function eventStreamRoute(app: FastifyInstance, ctx: Context) {
  const openByMerchant = new Map<string, number>();
  const endAll = new Set<() => void>();
  const idleTimeout = app.initialConfig.connectionTimeout ?? 0;
  const keepAliveMs = idleTimeout > 0 ? Math.min(KEEP_ALIVE_MS, Math.floor(idleTimeout / 2)) : KEEP_ALIVE_MS;

  // Before the server stops accepting: otherwise close() would wait on streams that never end by themselves.
  app.addHook('preClose', (done) => {
    for (const end of [...endAll]) end();
    done();
  });

  app.withTypeProvider<TypeBoxTypeProvider>().get('/v2/events/stream', { schema: streamEvents }, async (request, reply) => {
    const merchantId = request.merchant.id;
    const events = eventFilter(request.query.events);
    const resumeFrom = request.headers['last-event-id'] ?? request.query.after;
    const field = request.headers['last-event-id'] !== undefined ? 'Last-Event-ID' : 'after';
    const start = resumeFrom === undefined ? positionNow(ctx) : await positionAfter(ctx, merchantId, resumeFrom, field);
    const open = openByMerchant.get(merchantId) ?? 0;
    if (open >= MAX_STREAMS_PER_MERCHANT) {
      throw new ApiError(429, 'frequency_above_limit', `At most ${MAX_STREAMS_PER_MERCHANT} event streams may be open at once`);
    }
    openByMerchant.set(merchantId, open + 1);

    // Fastify lets go of the response: it is written here until the stream ends.
    reply.hijack();
    const stream = reply.raw;
    stream.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    });
    const follower = new EventFollower(ctx, merchantId, start, events);
    let timer: NodeJS.Timeout | undefined;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      clearInterval(keepAlive);
      endAll.delete(end);
      const left = (openByMerchant.get(merchantId) ?? 1) - 1;
      if (left > 0) openByMerchant.set(merchantId, left);
      else openByMerchant.delete(merchantId);
      stream.end();
    };
    endAll.add(end);
    request.raw.on('close', end);
    stream.on('close', end);
    const send = (text: string) => {
      if (ended) return;
      // A client that stopped reading gets its stream ended rather than an ever-growing buffer here.
      if (stream.writableLength > MAX_BUFFERED_BYTES) end();
      else stream.write(text);
    };
    const keepAlive = setInterval(() => send(': keep-alive\n\n'), keepAliveMs);

    const poll = async () => {
      try {
        const fresh = await follower.next();
        if (fresh.length > 0 && !ended) {
          const signing = await streamSigning(ctx, merchantId);
          const now = ctx.now();
          for (const callback of fresh) {
            const headers = callbackHeaders({ id: callback.id, body: callback.payload, ...signing }, now);
            send(message(callback, headers));
          }
        }
      } catch (error) {
        // The client reconnects with Last-Event-ID and resumes where this stream stopped.
        logStreamError(request, error);
        end();
        return;
      }
      if (!ended) timer = setTimeout(() => void poll(), POLL_MS);
    };
    send(`retry: ${RETRY_MS}\n: streaming the callbacks of ${merchantId}\n\n`);
    void poll();
  });
}

function logStreamError(request: FastifyRequest, error: unknown): void {
  request.log.warn({ err: error }, 'event stream ended: reading callbacks failed');
}
