// An instance told to stop finishes what it has taken in and refuses the rest in the wire's own format: the
// API in Pivot's error envelope, the payment page with its own "please wait" page, both 503 with
// Retry-After and Connection: close, so clients and load balancers retry elsewhere.
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { seedAutoConfirmBody, seedConfirmLaterBody } from '../helpers/bodies.ts';
import { makeHarness, requestId, type Harness } from '../helpers/harness.ts';
import { createSession } from '../page/helpers.ts';

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Splits what one keep-alive connection received into responses (Kasir always sends Content-Length). */
function responses(raw: string): RawResponse[] {
  const out: RawResponse[] = [];
  let rest = raw;
  while (rest.startsWith('HTTP/1.1 ')) {
    const end = rest.indexOf('\r\n\r\n');
    const [statusLine = '', ...lines] = rest.slice(0, end).split('\r\n');
    const headers = Object.fromEntries(
      lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
    );
    const length = Number(headers['content-length']);
    out.push({ status: Number(statusLine.split(' ')[1]), headers, body: rest.slice(end + 4, end + 4 + length) });
    rest = rest.slice(end + 4 + length);
  }
  return out;
}

function request(method: string, path: string, headers: Record<string, string>, body = ''): string {
  const lines = Object.entries({ host: 'kasir.test', ...headers, 'content-length': String(Buffer.byteLength(body)) });
  return `${method} ${path} HTTP/1.1\r\n${lines.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${body}`;
}

/** A raw keep-alive connection that keeps everything it receives. */
function rawConnection(port: number) {
  const socket = connect(port, '127.0.0.1');
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (received += chunk));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  return { socket, closed, responses: () => responses(received) };
}

describe('requests that reach an instance shutting down', () => {
  const logLines: string[] = [];
  let h: Harness;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    h = await makeHarness('sqlite', { logStream: { write: (line) => void logLines.push(line) }, logLevel: 'info' });
    await h.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await h.store.destroy();
  });

  it('finish the ones in flight, then answer 503 in the API envelope and as the page, with Retry-After', async () => {
    const pageToken = (await createSession(h, seedConfirmLaterBody())).token;
    const { port } = h.app.server.address() as AddressInfo;
    const auth = { authorization: `Bearer ${h.token}` };
    const create = () =>
      request(
        'POST',
        '/v2/payments',
        { ...auth, 'content-type': 'application/json', 'x-request-id': requestId() },
        JSON.stringify(seedAutoConfirmBody()),
      );
    // On each connection a create whose body is half sent when the shutdown begins: in flight across it.
    const incoming = () => logLines.filter((l) => l.includes('incoming request') && l.includes('"url":"/v2/payments"')).length;
    const before = incoming();
    const [api, page] = [rawConnection(port), rawConnection(port)];
    sockets.push(api.socket, page.socket);
    const creates = [create(), create()];
    api.socket.write(creates[0]!.slice(0, -40));
    page.socket.write(creates[1]!.slice(0, -40));
    await vi.waitFor(() => expect(incoming()).toBe(before + 2));

    const closed = h.app.close();
    await vi.waitFor(() => expect(h.app.server.listening).toBe(false));
    // The rest of each create, then one more request pipelined behind it on the same connection.
    api.socket.write(creates[0]!.slice(-40) + request('GET', '/v2/payments', auth));
    page.socket.write(creates[1]!.slice(-40) + request('GET', `/detail?token=${encodeURIComponent(pageToken)}&lang=en`, {}));
    await Promise.all([closed, api.closed, page.closed]);

    for (const connection of [api, page]) {
      const [created] = connection.responses();
      expect(created?.status).toBe(200);
      expect(JSON.parse(created!.body).data.status).toBe('REQUIRE_ACTION');
    }
    const refusedApi = api.responses()[1];
    expect(refusedApi?.status).toBe(503);
    expect(refusedApi?.headers['retry-after']).toBe('5');
    expect(refusedApi?.headers.connection).toBe('close');
    expect(JSON.parse(refusedApi!.body)).toMatchObject({
      code: 'service_unavailable',
      message: expect.stringContaining('retry'),
      error: { type: 'GATEWAY_ERROR', source: 'SYSTEM', details: [], traceId: expect.any(String) },
    });

    const refusedPage = page.responses()[1];
    expect(refusedPage?.status).toBe(503);
    expect(refusedPage?.headers['retry-after']).toBe('5');
    expect(refusedPage?.headers['content-type']).toContain('text/html');
    expect(refusedPage?.body).toContain('Please wait a moment');
  });
});

describe('refusals in the log', () => {
  let h: Harness;
  const logLines: string[] = [];
  beforeAll(async () => {
    h = await makeHarness('sqlite', { logStream: { write: (line) => void logLines.push(line) }, logLevel: 'info' });
  });
  afterAll(async () => h?.close());

  it('each 4xx writes one line with its error code, the fields at fault and the traceId the merchant quotes', async () => {
    const res = await h.api('POST', '/v2/payments', { clientReferenceId: 'x' }, { 'x-request-id': 'abcdefghijklmnop' });
    expect(res.status).toBe(400);
    const refused = logLines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'request refused');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ status: 400, code: 'api_validation_error', traceId: res.body.error.traceId });
    expect(refused[0].details).toEqual(res.body.error.details.map((d: { field: string }) => d.field));
  });
});
