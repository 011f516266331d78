// A merchant's callback endpoint for tests: records every request; its answers are scripted.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallbackDispatcher, type DispatcherOptions } from '../../src/callbacks/dispatcher.ts';
import { makeHarness, type DbKind, type Harness } from '../helpers/harness.ts';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  json: { event: string; data: any };
  path: string;
  at: number;
  remotePort: number;
}

export interface Answer {
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  delayMs?: number;
  /** Drop the socket without answering. */
  destroy?: boolean;
}

export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** Decides each answer; default 200 "ok". `n` counts requests from 0. */
  answer: (r: Received, n: number) => Answer;
  /** Forget what was received and restart the request count. */
  reset(): void;
  waitFor(predicate: (received: Received[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(answer: Receiver['answer'] = () => ({})): Promise<Receiver> {
  const received: Received[] = [];
  let count = 0;
  const receiver: Receiver = {
    url: '',
    port: 0,
    received,
    answer,
    reset: () => {
      received.length = 0;
      count = 0;
    },
    waitFor: async (predicate, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(received)) {
        if (Date.now() > deadline) throw new Error(`receiver: condition not met in ${timeoutMs} ms (${received.length} received)`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: Received['json'];
      try {
        json = JSON.parse(body);
      } catch {
        json = { event: '', data: null };
      }
      const r: Received = { headers: req.headers, body, json, path: req.url ?? '', at: Date.now(), remotePort: req.socket.remotePort ?? 0 };
      received.push(r);
      const a = receiver.answer(r, count++);
      const reply = () => {
        if (a.destroy) return void req.socket.destroy();
        res.writeHead(a.status ?? 200, { 'content-type': 'text/plain', ...a.headers });
        res.end(a.body ?? 'ok');
      };
      if (a.delayMs) setTimeout(reply, a.delayMs);
      else reply();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.port = (server.address() as AddressInfo).port;
  receiver.url = `http://127.0.0.1:${receiver.port}/kasir/callbacks`;
  return receiver;
}

/** A dispatcher on the harness's database and clock, nudged by its use cases like the server's. */
export function startDispatcher(h: Harness, options: Partial<DispatcherOptions> = {}): CallbackDispatcher {
  const dispatcher = new CallbackDispatcher({
    db: h.store.db,
    now: h.ctx.now,
    retrySchedule: [0.1, 0.2],
    timeoutMs: 2000,
    pollIntervalMs: 25,
    policy: { env: 'sandbox', allowPrivate: true },
    ...options,
  });
  h.ctx.onCallbacksEnqueued = dispatcher.nudge;
  dispatcher.start();
  return dispatcher;
}

/** A receiver and a harness whose merchant's callback URL points at it (the suites start dispatchers). */
export async function startCallbackRig(kind: DbKind): Promise<{ h: Harness; receiver: Receiver }> {
  const receiver = await startReceiver();
  const h = await makeHarness(kind, { callbackUrl: receiver.url });
  return { h, receiver };
}

export async function closeRig(rig: { h: Harness; receiver: Receiver; dispatcher?: CallbackDispatcher }): Promise<void> {
  await rig.dispatcher?.stop();
  await rig.h.close();
  await rig.receiver.close();
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
