// GET /v2/events/stream (Kasir extension): the merchant's callbacks as Server-Sent Events, each with the exact
// body and freshly signed headers; filtered, resumable, authenticated, per merchant, capped, ended on close.
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventSourceParserStream, type EventSourceMessage } from 'eventsource-parser/stream';
import { MAX_STREAMS_PER_MERCHANT } from '../../src/api/events.ts';
import { seedAutoConfirmBody } from '../helpers/bodies.ts';
import { DB_KINDS, makeHarness, requestId, type Harness } from '../helpers/harness.ts';

interface Stream {
  status: number;
  contentType: string | null;
  messages: Array<EventSourceMessage & { json: any }>;
  /** Resolves once `count` messages arrived; fails after a bound. */
  waitFor(count: number): Promise<void>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
  body: any;
}

async function openStream(base: string, token: string, query = '', headers: Record<string, string> = {}): Promise<Stream> {
  const abort = new AbortController();
  const response = await fetch(`${base}/v2/events/stream${query}`, {
    headers: { authorization: `Bearer ${token}`, ...headers },
    signal: abort.signal,
  });
  const messages: Stream['messages'] = [];
  const waiters = new Set<() => void>();
  let body: any;
  let ended: Promise<void> = Promise.resolve();
  if (response.status === 200 && response.body) {
    const source = response.body;
    ended = (async () => {
      try {
        for await (const message of source.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream())) {
          messages.push({ ...message, json: JSON.parse(message.data) });
          for (const wake of [...waiters]) wake();
        }
      } catch {
        /* aborted by close() */
      }
    })();
  } else {
    body = await response.json();
  }
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    messages,
    body,
    ended,
    close: () => abort.abort(),
    waitFor: (count) =>
      new Promise<void>((resolve, reject) => {
        if (messages.length >= count) return resolve();
        const bound = setTimeout(() => reject(new Error(`only ${messages.length} of ${count} messages arrived`)), 10_000);
        const wake = () => {
          if (messages.length < count) return;
          clearTimeout(bound);
          waiters.delete(wake);
          resolve();
        };
        waiters.add(wake);
      }),
  };
}

/** The seed flow: created with autoConfirm (PAYMENT.PROCESSING), then paid (PAYMENT.PAID). */
async function seedFlow(h: Harness, token = h.token): Promise<string> {
  const auth = { authorization: `Bearer ${token}` };
  const created = await h.api('POST', '/v2/payments', seedAutoConfirmBody(), { 'x-request-id': requestId(), ...auth });
  expect(created.status).toBe(200);
  const id = created.body.data.id;
  const paid = await h.api('POST', '/v2/payments/simulations', { paymentSessionId: id, chargeStatus: 'SUCCESS' }, auth);
  expect(paid.status).toBe(200);
  return id;
}

describe.each(DB_KINDS)('GET /v2/events/stream (%s)', (kind) => {
  let h: Harness;
  let base: string;
  beforeAll(async () => {
    h = await makeHarness(kind);
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => h.close());

  it("streams each new callback with its exact body and headers the merchant's secret verifies", async () => {
    const stream = await openStream(base, h.token);
    expect(stream.status).toBe(200);
    expect(stream.contentType).toMatch(/^text\/event-stream/);
    const sessionId = await seedFlow(h);
    await stream.waitFor(2);
    stream.close();
    expect(stream.messages.map((m) => m.json.event)).toEqual(['PAYMENT.PROCESSING', 'PAYMENT.PAID']);
    const history = await h.api('GET', `/v2/callbacks?paymentSessionId=${sessionId}`);
    const verifier = new Webhook(h.merchant.webhookSecret);
    for (const message of stream.messages) {
      const { json } = message;
      expect(message.id).toBe(json.id);
      expect(json).toMatchObject({ resourceType: 'payment_session', resourceId: sessionId });
      const row = history.body.data.find((c: any) => c.id === json.id);
      expect(JSON.parse(json.body)).toEqual(row.payload);
      expect(json.headers['webhook-id']).toBe(json.id);
      expect(json.headers['x-api-key']).toBe(h.merchant.callbackApiKey);
      expect(json.headers['content-type']).toBe('application/json');
      expect(verifier.verify(json.body, json.headers)).toEqual(row.payload);
      expect(() => verifier.verify(json.body.replace('10000', '10001'), json.headers)).toThrow();
    }
  });

  it('sends only the events asked for, and refuses an unknown one with 400', async () => {
    const stream = await openStream(base, h.token, '?events=PAYMENT.PAID,REFUND.SUCCESS');
    await seedFlow(h);
    await stream.waitFor(1);
    // Another flow: had PROCESSING passed the filter, it would come before this PAID.
    await seedFlow(h);
    await stream.waitFor(2);
    stream.close();
    expect(stream.messages.map((m) => m.json.event)).toEqual(['PAYMENT.PAID', 'PAYMENT.PAID']);
    const bad = await openStream(base, h.token, '?events=PAYMENT.PAID,PAYMENT.LOST');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'api_validation_error', error: { details: [{ field: 'events' }] } });
  });

  it('resumes after Last-Event-ID or ?after=, and refuses an id it never sent', async () => {
    const first = await openStream(base, h.token);
    await seedFlow(h);
    await seedFlow(h);
    await first.waitFor(4);
    first.close();
    const ids = first.messages.map((m) => m.id);
    const resumed = await openStream(base, h.token, '', { 'last-event-id': ids[1]! });
    await resumed.waitFor(2);
    const after = await openStream(base, h.token, `?after=${ids[2]}`);
    await after.waitFor(1);
    // Header wins over the query (an EventSource reconnecting keeps its URL).
    const both = await openStream(base, h.token, `?after=${ids[0]}`, { 'last-event-id': ids[2]! });
    await both.waitFor(1);
    for (const s of [resumed, after, both]) s.close();
    expect(resumed.messages.map((m) => m.id)).toEqual(ids.slice(2));
    expect(after.messages.map((m) => m.id)).toEqual(ids.slice(3));
    expect(both.messages.map((m) => m.id)).toEqual(ids.slice(3));
    const unknown = await openStream(base, h.token, '?after=nope');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details[0].field).toBe('after');
  });

  it('answers 401 without a valid bearer token', async () => {
    const stream = await openStream(base, 'not-a-token');
    expect(stream.status).toBe(401);
    expect(stream.body.code).toBe('credentials_invalid');
  });

  it("never shows a merchant another merchant's callbacks", async () => {
    const other = await h.otherMerchant();
    const theirs = await openStream(base, other.token);
    const mine = await openStream(base, h.token);
    const myIds = new Set([await seedFlow(h)]);
    await mine.waitFor(2);
    const theirSession = await seedFlow(h, other.token);
    await theirs.waitFor(2);
    await mine.waitFor(2);
    theirs.close();
    mine.close();
    expect(theirs.messages.every((m) => m.json.resourceId === theirSession)).toBe(true);
    expect(mine.messages.every((m) => myIds.has(m.json.resourceId))).toBe(true);
    // Resuming from another merchant's callback id is refused like an unknown id.
    const borrowed = await openStream(base, other.token, `?after=${mine.messages[0]!.id}`);
    expect(borrowed.status).toBe(400);
  });

  it(`holds at most ${MAX_STREAMS_PER_MERCHANT} streams per merchant; one more is 429 until one closes`, async () => {
    const open = [];
    for (let i = 0; i < MAX_STREAMS_PER_MERCHANT; i++) open.push(await openStream(base, h.token));
    expect(open.every((s) => s.status === 200)).toBe(true);
    const refused = await openStream(base, h.token);
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('frequency_above_limit');
    const other = await h.otherMerchant();
    const elsewhere = await openStream(base, other.token);
    expect(elsewhere.status).toBe(200);
    elsewhere.close();
    open.pop()!.close();
    await expect
      .poll(async () => {
        const again = await openStream(base, h.token);
        again.close();
        return again.status;
      })
      .toBe(200);
    for (const s of open) s.close();
  });
});

describe('an open event stream when the app closes', () => {
  it('is ended, so closing does not wait on it', async () => {
    const h = await makeHarness('sqlite');
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    const stream = await openStream(base, h.token);
    expect(stream.status).toBe(200);
    await h.close();
    await stream.ended;
  });
});
