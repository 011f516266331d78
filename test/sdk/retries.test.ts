// When @kasir/sdk sends a call again, and when it must not: a dropped answer to a create is retried with the same
// X-REQUEST-ID and Kasir replays it (one session, not two); a dropped confirm is not retried; 429 and 502–504 are
// retried with backoff (the wait injected, so nothing sleeps), honouring Retry-After; each attempt has a timeout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, uniqueReference } from '../helpers/harness.ts';
import { finalizeEarly, finalizeLater } from '../contract/seed-client.ts';
import { authorizedCardSession, listeningKasir, sdk, type Rig } from './kasir.ts';

const { Kasir, KasirApiError, KasirNetworkError } = sdk;

interface Sent {
  route: string;
  requestId: string | null;
}

/**
 * Passes every request to the real server but, for the first request of `route`, throws away the answer and
 * fails the way a dropped connection does: the server did the work, the client never heard.
 */
function droppingFirstAnswer(route: string) {
  const sent: Sent[] = [];
  let dropped = false;
  const flaky: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const name = `${request.method} ${new URL(request.url).pathname}`;
    sent.push({ route: name, requestId: request.headers.get('x-request-id') });
    const response = await fetch(request);
    if (name === route && !dropped) {
      dropped = true;
      await response.arrayBuffer();
      throw new TypeError('fetch failed', { cause: new Error('socket hang up') });
    }
    return response;
  };
  return { fetch: flaky, sent: (name: string) => sent.filter((s) => s.route === name) };
}

/** Records the waits instead of waiting. */
function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

describe.each(DB_KINDS)('retries against a listening Kasir (%s)', (kind) => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await listeningKasir(kind);
  });
  afterAll(async () => rig.close());

  it('retries a create whose answer was lost with the same X-REQUEST-ID: one session, not two', async () => {
    const flaky = droppingFirstAnswer('POST /v2/payments');
    const { waits, sleep } = recordingSleep();
    const kasir = rig.kasir({ fetch: flaky.fetch, retry: { sleep } });
    const reference = uniqueReference();
    const session = await kasir.payments.create(finalizeEarly(reference));

    const creates = flaky.sent('POST /v2/payments');
    expect(creates).toHaveLength(2);
    expect(creates[0]!.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(creates[1]!.requestId).toBe(creates[0]!.requestId);
    expect(waits).toHaveLength(1);
    const sessions = await rig.kasir().payments.list({ clientReferenceId: reference });
    expect(sessions.data.map((s) => s.id)).toEqual([session.id]);
  });

  it('retries a refund whose answer was lost: one refund', async () => {
    const kasir = rig.kasir();
    const session = await kasir.payments.create(finalizeEarly(uniqueReference()));
    await kasir.payments.simulate({ paymentSessionId: session.id, chargeStatus: 'SUCCESS' });
    const flaky = droppingFirstAnswer('POST /v1/refunds');
    const retrying = rig.kasir({ fetch: flaky.fetch, retry: { sleep: async () => {} } });
    const refund = await retrying.refunds.create(
      {
        clientReferenceId: uniqueReference(),
        paymentSessionId: session.id,
        amount: { value: 4000, currency: 'IDR' },
        reason: 'REQUESTED_BY_CUSTOMER',
        transferDestination: { channelCode: 'BCA', channelInformation: { accountNumber: '999966660001', accountName: 'Budi' } },
      },
      { requestId: 'myOwnRefundKey0001' },
    );
    expect(flaky.sent('POST /v1/refunds').map((s) => s.requestId)).toEqual(['myOwnRefundKey0001', 'myOwnRefundKey0001']);
    expect((await kasir.refunds.list({ paymentSessionId: session.id })).data.map((r) => r.id)).toEqual([refund.id]);
  });

  it('retries a capture whose answer was lost: one capture', async () => {
    const kasir = rig.kasir();
    const session = await authorizedCardSession(kasir);
    const flaky = droppingFirstAnswer(`POST /v2/payments/${session.id}/capture`);
    const retrying = rig.kasir({ fetch: flaky.fetch, retry: { sleep: async () => {} } });
    const capture = await retrying.payments.capture(session.id, {
      releaseRemainingAmount: false,
      amount: { value: 40_000, currency: 'IDR' },
    });
    expect(flaky.sent(`POST /v2/payments/${session.id}/capture`)).toHaveLength(2);
    const charge = (await kasir.payments.get(session.id)).chargeDetails?.[0];
    expect(charge?.captureHistories?.map((c) => [c.captureId, c.capturedAmount])).toEqual([[capture.id, 40_000]]);
  });

  it('does not retry a confirm once it may have reached the server', async () => {
    const kasir = rig.kasir();
    const session = await kasir.payments.create(finalizeLater(uniqueReference()));
    const flaky = droppingFirstAnswer(`POST /v2/payments/${session.id}/confirm`);
    const { waits, sleep } = recordingSleep();
    const once = rig.kasir({ fetch: flaky.fetch, retry: { sleep } });
    const failure = await once.payments
      .confirm(session.id, {
        paymentMethod: { type: 'VIRTUAL_ACCOUNT' },
        paymentMethodOptions: { virtualAccount: { channel: 'PERMATA', virtualAccountName: 'Toko' } },
      })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(KasirNetworkError);
    expect(failure).toMatchObject({ timedOut: false, requestId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(flaky.sent(`POST /v2/payments/${session.id}/confirm`)).toHaveLength(1);
    expect(waits).toEqual([]);
    // It did reach the server: sending it again would have been a second confirm.
    expect((await kasir.payments.get(session.id)).status).toBe('REQUIRE_ACTION');
  });
});

const TOKEN = { code: '00', message: 'Success', data: { accessToken: 'token-1', expiresIn: '900', tokenType: 'Bearer' } };
const PAGE = { code: '00', message: 'Success', data: [], pagination: { page: 1, perPage: 20, totalItems: 0, totalPages: 0 } };

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

function envelope(status: number, code: string) {
  return { code, message: code, error: { type: 'API_ERROR', source: 'SYSTEM', details: [], traceId: 'a'.repeat(32) } };
}

/** A server played by a script: the token exchange always works; other calls get `answers` in turn. */
function scripted(answers: Array<() => Response | Promise<Response>>) {
  const calls: Request[] = [];
  const fake: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    if (new URL(request.url).pathname === '/v1/access-token') return json(200, TOKEN);
    calls.push(request);
    const next = answers.shift();
    if (!next) throw new Error(`unscripted call ${request.method} ${request.url}`);
    return next();
  };
  return { fetch: fake, calls };
}

function client(
  fake: typeof fetch,
  sleep: (ms: number) => Promise<void>,
  options: { maxRetries?: number; timeoutMs?: number } = {},
) {
  // random() = 0.5 makes the jitter exact: a wait of 3/4 of each exponential step (500 ms, then 1 s, 2 s, …).
  return new Kasir({
    baseUrl: 'http://kasir.invalid',
    merchantId: 'm',
    merchantSecret: 's',
    fetch: fake,
    retry: { sleep, random: () => 0.5 },
    ...options,
  });
}

describe('backoff on a scripted server (no sleeping)', () => {
  it('retries 429 after its Retry-After and 503 after the backoff, with one X-REQUEST-ID', async () => {
    const { waits, sleep } = recordingSleep();
    const server = scripted([
      () => json(429, envelope(429, 'frequency_above_limit'), { 'retry-after': '3' }),
      () => json(503, envelope(503, 'service_unavailable')),
      () => json(200, PAGE),
    ]);
    const page = await client(server.fetch, sleep).payments.list();
    expect(page.data).toEqual([]);
    expect(waits).toEqual([3000, 750]);
    expect(new Set(server.calls.map((call) => call.headers.get('x-request-id'))).size).toBe(1);
  });

  it('gives up after maxRetries with the last answer’s error', async () => {
    const { waits, sleep } = recordingSleep();
    const server = scripted([502, 504, 503, 200].map((status) => () => json(status, envelope(status, `e${status}`))));
    const error = await client(server.fetch, sleep)
      .refunds.get('r1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KasirApiError);
    expect(error).toMatchObject({ status: 503, code: 'e503', traceId: 'a'.repeat(32) });
    expect(server.calls).toHaveLength(3);
    expect(waits).toEqual([375, 750]);
  });

  it('retries a GET after a network error, and reads a Retry-After given as a date', async () => {
    const { waits, sleep } = recordingSleep();
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    const server = scripted([
      () => Promise.reject(new TypeError('fetch failed')),
      () => json(503, envelope(503, 'service_unavailable'), { 'retry-after': inTenSeconds }),
      () => json(200, PAGE),
    ]);
    await client(server.fetch, sleep).charges.list();
    expect(waits[0]).toBe(375);
    expect(waits[1]).toBeGreaterThan(8000);
    expect(waits[1]).toBeLessThanOrEqual(10_000);
  });

  it('does not retry a 500, a 4xx, or a Retry-After longer than a minute', async () => {
    const { waits, sleep } = recordingSleep();
    for (const answer of [
      () => json(500, envelope(500, 'internal')),
      () => json(404, envelope(404, 'resource_missing')),
      () => json(429, envelope(429, 'frequency_above_limit'), { 'retry-after': '3600' }),
    ]) {
      const server = scripted([answer, () => json(200, PAGE)]);
      await expect(client(server.fetch, sleep).payments.get('p1')).rejects.toBeInstanceOf(KasirApiError);
      expect(server.calls).toHaveLength(1);
    }
    expect(waits).toEqual([]);
  });

  it('sends a call that is not idempotent once, even on a 503 or 429', async () => {
    const { waits, sleep } = recordingSleep();
    const server = scripted([
      () => json(503, envelope(503, 'service_unavailable')),
      () => json(429, envelope(429, 'frequency_above_limit'), { 'retry-after': '1' }),
    ]);
    const kasir = client(server.fetch, sleep);
    await expect(kasir.payments.cancel('p1', { cancellationReason: 'DUPLICATED' })).rejects.toMatchObject({ status: 503 });
    await expect(kasir.payments.simulate({ paymentSessionId: 'p1', chargeStatus: 'SUCCESS' })).rejects.toMatchObject({
      status: 429,
      retryAfterMs: 1000,
    });
    expect(server.calls).toHaveLength(2);
    expect(waits).toEqual([]);
  });

  it('times each attempt out, retries an idempotent call, then fails with timedOut', async () => {
    const { waits, sleep } = recordingSleep();
    const hang = (request: Request) =>
      new Promise<Response>((_resolve, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason)));
    const calls: Request[] = [];
    const fake: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      if (new URL(request.url).pathname === '/v1/access-token') return json(200, TOKEN);
      calls.push(request);
      return hang(request);
    };
    const error = await client(fake, sleep, { timeoutMs: 20, maxRetries: 1 })
      .payments.get('p1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KasirNetworkError);
    expect(error).toMatchObject({ timedOut: true });
    expect(calls).toHaveLength(2);
    expect(waits).toEqual([375]);
  });

  it('stops at once when the caller aborts, with the caller’s reason', async () => {
    const { waits, sleep } = recordingSleep();
    const controller = new AbortController();
    const server = scripted([
      () => {
        controller.abort(new Error('shopper left'));
        return Promise.reject(new DOMException('aborted', 'AbortError'));
      },
    ]);
    await expect(client(server.fetch, sleep).payments.list({}, { signal: controller.signal })).rejects.toThrow('shopper left');
    expect(waits).toEqual([]);
  });

  it('does not retry an answer that is not JSON, and says so', async () => {
    const { waits, sleep } = recordingSleep();
    const server = scripted([
      () => new Response('<!doctype html><title>Shop</title>', { status: 200, headers: { 'content-type': 'text/html' } }),
    ]);
    const error = await client(server.fetch, sleep)
      .payments.get('p1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KasirNetworkError);
    expect(String(error)).toMatch(/not JSON/);
    expect(server.calls).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('refuses a requestId Pivot would refuse, before sending anything', async () => {
    const server = scripted([]);
    await expect(client(server.fetch, async () => {}).payments.get('p1', { requestId: 'short' })).rejects.toThrow(TypeError);
    expect(server.calls).toHaveLength(0);
  });
});
