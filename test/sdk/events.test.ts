// kasir.events.stream() against a listening Kasir, on both databases: the callbacks arrive in order, typed and
// signed; the `events` filter; resuming after an id (`after`, Last-Event-ID, and after a dropped connection);
// one new token after a 401; an abort ends the iteration without an error.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStream, StreamedEvent } from '@kasir/sdk';
import { DB_KINDS, uniqueReference } from '../helpers/harness.ts';
import { finalizeEarly } from '../contract/seed-client.ts';
import { cuttingFirstStream } from '../helpers/dropped-stream.ts';
import { countingFetch, listeningKasir, sdk, type Rig } from './kasir.ts';

const { KasirApiError, KasirNetworkError, verifyCallback } = sdk;

/** The first `count` events, then the stream is let go (a `break`, which closes the connection); fewer after 10 s. */
async function take(stream: EventStream, count: number): Promise<StreamedEvent[]> {
  const taken: StreamedEvent[] = [];
  const bound = setTimeout(() => void stream.close(), 10_000);
  try {
    for await (const event of stream) {
      taken.push(event);
      if (taken.length >= count) break;
    }
  } finally {
    clearTimeout(bound);
  }
  return taken;
}

/**
 * Two full collections, each followed by a pause in which V8's finalizers (FinalizationRegistry callbacks)
 * run. The flag only makes `gc` reachable from a new context; it changes nothing else in this worker.
 */
async function collectGarbage(): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('gc');
  if (typeof gc !== 'function') throw new Error('gc is not exposed');
  for (let round = 0; round < 2; round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The seed flow through the SDK: a VA session (PAYMENT.PROCESSING), then paid (PAYMENT.PAID). */
async function seedFlow(rig: Rig): Promise<string> {
  const kasir = rig.kasir();
  const session = await kasir.payments.create(finalizeEarly(uniqueReference()));
  await kasir.payments.simulate({ paymentSessionId: session.id, chargeStatus: 'SUCCESS' });
  return session.id;
}

describe.each(DB_KINDS)('kasir.events.stream against a listening Kasir (%s)', (kind) => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await listeningKasir(kind);
  });
  afterAll(async () => rig.close());

  it('yields the callbacks in the order written, typed, with the body and headers that verify', async () => {
    const stream = await rig.kasir().events.stream();
    expect(stream.lastEventId).toBeUndefined();
    const sessionId = await seedFlow(rig);
    const [processing, paid] = await take(stream, 2);

    expect([processing?.event, paid?.event]).toEqual(['PAYMENT.PROCESSING', 'PAYMENT.PAID']);
    for (const event of [processing!, paid!]) {
      expect(event).toMatchObject({ resourceType: 'payment_session', resourceId: sessionId });
      expect(event.id).toMatch(/^cb_/);
      expect(event.headers['webhook-id']).toBe(event.id);
      expect(Number.isNaN(Date.parse(event.createdAt))).toBe(false);
      const verified = await verifyCallback({
        payload: event.body,
        headers: event.headers,
        webhookSecret: rig.h.merchant.webhookSecret,
      });
      expect(verified).toMatchObject({ id: event.id, event: event.event, data: { id: sessionId } });
    }
    expect(stream.lastEventId).toBe(paid!.id);
    // Kasir's `retry: 2000`, what a reconnect waits.
    expect(stream.retryMs).toBe(2000);
  });

  it('sends only the events asked for', async () => {
    const kasir = rig.kasir();
    const paidOnly = await kasir.events.stream({ events: ['PAYMENT.PAID'] });
    const all = await kasir.events.stream();
    const sessionId = await seedFlow(rig);
    expect((await take(all, 2)).map((e) => e.event)).toEqual(['PAYMENT.PROCESSING', 'PAYMENT.PAID']);
    // PAYMENT.PROCESSING was written first: had the filter let it through, it would be first here.
    const [first] = await take(paidOnly, 1);
    expect(first).toMatchObject({ event: 'PAYMENT.PAID', resourceId: sessionId });
    await expect(kasir.events.stream({ events: [] })).rejects.toThrow(TypeError);
  });

  it('resumes after an id, by `after` or by Last-Event-ID; an id Kasir never sent is a 400', async () => {
    const kasir = rig.kasir();
    const live = await kasir.events.stream();
    await seedFlow(rig);
    const [processing, paid] = await take(live, 2);

    const byAfter = await kasir.events.stream({ after: processing!.id });
    expect(byAfter.lastEventId).toBe(processing!.id);
    expect((await take(byAfter, 1))[0]?.id).toBe(paid!.id);
    const byHeader = await kasir.events.stream({ lastEventId: processing!.id, after: 'cb_ignored_when_the_header_is_sent' });
    expect((await take(byHeader, 1))[0]?.id).toBe(paid!.id);

    const unknown = await kasir.events.stream({ after: 'cb_never_sent' }).catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(KasirApiError);
    expect(unknown).toMatchObject({ status: 400, code: 'api_validation_error' });
  });

  it('a dropped connection throws KasirNetworkError; resuming from its lastEventId loses and repeats nothing', async () => {
    const cutting = cuttingFirstStream();
    const kasir = rig.kasir({ fetch: cutting.fetch });
    const first = await kasir.events.stream();
    await seedFlow(rig);
    const heard: StreamedEvent[] = [];
    const dropped = await (async () => {
      for await (const event of first) heard.push(event);
    })().catch((error: unknown) => error);
    expect(dropped).toBeInstanceOf(KasirNetworkError);
    expect(heard.map((e) => e.event)).toEqual(['PAYMENT.PROCESSING']);
    expect(first.lastEventId).toBe(heard[0]!.id);

    const resumed = await kasir.events.stream({ lastEventId: first.lastEventId });
    heard.push(...(await take(resumed, 1)));
    expect(heard.map((e) => e.event)).toEqual(['PAYMENT.PROCESSING', 'PAYMENT.PAID']);
    expect(cutting.lastEventIds).toEqual([null, heard[0]!.id]);
  });

  it('an abort ends the iteration without an error, waiting or mid-stream, and closes the connection', async () => {
    const kasir = rig.kasir();
    const waiting = new AbortController();
    const idle = await kasir.events.stream({ signal: waiting.signal });
    const ended = (async () => {
      for await (const event of idle) throw new Error(`no callback was written, yet ${event.event} came`);
      return 'ended';
    })();
    waiting.abort();
    expect(await ended).toBe('ended');

    const midStream = new AbortController();
    const stream = await kasir.events.stream({ signal: midStream.signal });
    await seedFlow(rig);
    const heard: string[] = [];
    for await (const event of stream) {
      heard.push(event.event);
      midStream.abort();
    }
    expect(heard).toEqual(['PAYMENT.PROCESSING']);
    // Every stream above was let go: Kasir holds at most five per merchant (a sixth is a 429), and five open.
    const streams = await Promise.all(Array.from({ length: 5 }, () => kasir.events.stream()));
    await Promise.all(streams.map((open) => open.close()));
  });

  it('a stream iterated after a garbage collection still yields what was written meanwhile', async () => {
    // Node's fetch cancels a body nobody reads once its Response is collected: a stream opened, then left
    // while the shop does other work (here the seed flow and two collections), must not end by itself.
    const stream = await rig.kasir().events.stream();
    const sessionId = await seedFlow(rig);
    await collectGarbage();
    const heard = await take(stream, 2);
    expect(heard.map((event) => [event.event, event.resourceId])).toEqual([
      ['PAYMENT.PROCESSING', sessionId],
      ['PAYMENT.PAID', sessionId],
    ]);
  });

  it('an abort after a garbage collection still ends the iteration waiting for the next event', async () => {
    // The caller's signal reaches fetch through AbortSignal.any and undici's own controller, which undici
    // holds weakly: once the request behind the stream is collected, an abort may never reach the body.
    const stop = new AbortController();
    const stream = await rig.kasir().events.stream({ signal: stop.signal });
    await collectGarbage();
    const ended = (async () => {
      for await (const event of stream) throw new Error(`no callback was written, yet ${event.event} came`);
      return 'ended';
    })();
    await new Promise((resolve) => setTimeout(resolve, 50));
    stop.abort();
    const bound = new Promise((resolve) => setTimeout(() => resolve('still waiting 5 s after the abort'), 5000));
    expect(await Promise.race([ended, bound])).toBe('ended');
  });

  it('close() ends an iteration under way as the server ending it would', async () => {
    const stream = await rig.kasir().events.stream();
    const ended = (async () => {
      for await (const event of stream) throw new Error(`no callback was written, yet ${event.event} came`);
      return 'ended';
    })();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await stream.close();
    expect(await ended).toBe('ended');
  });

  it('outlives the per-attempt timeout, which times the answer only, not the stream after it', async () => {
    const stream = await rig.kasir({ timeoutMs: 600 }).events.stream();
    // Real time, as the timeout is: twice its length before anything is written.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const sessionId = await seedFlow(rig);
    expect((await take(stream, 1))[0]).toMatchObject({ event: 'PAYMENT.PROCESSING', resourceId: sessionId });
  });

  it('takes a new token, once, when Kasir refuses the cached one (the harness clock moved past 900 s)', async () => {
    const counter = countingFetch();
    const kasir = rig.kasir({ fetch: counter.fetch });
    await (await kasir.events.stream()).close();
    rig.h.clock.advance(901_000);
    const stream = await kasir.events.stream();
    const sessionId = await seedFlow(rig);
    expect((await take(stream, 1))[0]).toMatchObject({ event: 'PAYMENT.PROCESSING', resourceId: sessionId });
    expect(counter.count('POST /v1/access-token')).toBe(2);
    expect(counter.count('GET /v2/events/stream')).toBe(3);
    expect(counter.statuses.filter((status) => status === 401)).toHaveLength(1);
  });
});

describe('kasir.events.stream on a stream written by a newer server', () => {
  const TOKEN = { code: '00', message: 'Success', data: { accessToken: 'token-1', expiresIn: '900', tokenType: 'Bearer' } };
  const known = {
    id: 'cb_2',
    event: 'PAYMENT.PAID',
    resourceType: 'payment_session',
    resourceId: 'ps_1',
    createdAt: '2030-12-29T06:24:02.118Z',
    body: '{"event":"PAYMENT.PAID","data":{"id":"ps_1"}}',
    headers: { 'webhook-id': 'cb_2' },
  };
  const text = [
    'retry: 1500\n: a comment\n\n',
    `id: cb_1\ndata: ${JSON.stringify({ ...known, id: 'cb_1', event: 'PAYMENT.REFUNDED_LATER' })}\n\n`,
    `id: cb_2\ndata: ${JSON.stringify(known)}\n\n`,
    'id: cb_3\ndata: not json\n\n',
  ].join('');
  /** The stream in chunks of 7 bytes, so messages and lines arrive cut anywhere. */
  const chunked = () => {
    const bytes = new TextEncoder().encode(text);
    let at = 0;
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        if (at >= bytes.length) return controller.close();
        controller.enqueue(bytes.slice(at, (at += 7)));
      },
    });
  };
  const fake: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    if (new URL(request.url).pathname === '/v1/access-token') return Response.json(TOKEN);
    expect(request.headers.get('accept')).toBe('text/event-stream');
    return new Response(chunked(), { headers: { 'content-type': 'text/event-stream' } });
  };

  it('yields what it knows, skips the rest counting their ids as seen, and reads `retry:`', async () => {
    const kasir = new sdk.Kasir({ baseUrl: 'http://kasir.test', merchantId: 'm', merchantSecret: 's', fetch: fake });
    const stream = await kasir.events.stream();
    const events: StreamedEvent[] = [];
    for await (const event of stream) events.push(event);
    expect(events).toEqual([known]);
    expect(stream.lastEventId).toBe('cb_3');
    expect(stream.retryMs).toBe(1500);
    await expect(async () => {
      for await (const event of stream) events.push(event);
    }).rejects.toThrow(/read once/);
  });
});
