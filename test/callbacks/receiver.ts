// A merchant's callback endpoint for tests: records every request; its answers are scripted.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
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
  /** Resolves as soon as a request makes the predicate true; fails after `timeoutMs` (a bound, not a wait). */
  waitFor(predicate: (received: Received[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(answer: Receiver['answer'] = () => ({})): Promise<Receiver> {
  const received: Received[] = [];
  let count = 0;
  const waiters = new Set<() => void>();
  const receiver: Receiver = {
    url: '',
    port: 0,
    received,
    answer,
    reset: () => {
      received.length = 0;
      count = 0;
    },
    waitFor: (predicate, timeoutMs = 15_000) =>
      new Promise<void>((resolve, reject) => {
        if (predicate(received)) return resolve();
        const check = () => {
          if (!predicate(received)) return;
          clearTimeout(bound);
          waiters.delete(check);
          resolve();
        };
        const bound = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`receiver: condition not met in ${timeoutMs} ms (${received.length} received)`));
        }, timeoutMs);
        waiters.add(check);
      }),
    close: () =>
      new Promise<void>((resolve) => {
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
      const r: Received = {
        headers: req.headers,
        body,
        json,
        path: req.url ?? '',
        at: Date.now(),
        remotePort: req.socket.remotePort ?? 0,
      };
      received.push(r);
      for (const check of [...waiters]) check();
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

/**
 * A dispatcher on the harness's database and clock, nudged by its use cases like the server's. It polls
 * only when the test moves the clock (see drain), never on a real timer.
 */
export function startDispatcher(h: Harness, options: Partial<DispatcherOptions> = {}): CallbackDispatcher {
  const dispatcher = new CallbackDispatcher({
    db: h.store.db,
    now: h.ctx.now,
    repeat: h.clock.every,
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

/**
 * Runs the retry schedule on the harness clock: waits until the dispatcher is idle, then moves the clock
 * to the next due retry, until no callback is waiting for one. Returns how far
 * the clock moved. Bounded by `maxSteps` so a dispatcher that never finishes fails instead of hanging.
 */
export async function drain(h: Harness, dispatcher: CallbackDispatcher, maxSteps = 500): Promise<number> {
  let moved = 0;
  for (let step = 0; step < maxSteps; step++) {
    await dispatcher.idle();
    const next = await h.store.db
      .selectFrom('callbacks')
      .select((eb) => eb.fn.min('next_attempt_at').as('dueAt'))
      .where('status', '=', 'PENDING')
      .executeTakeFirst();
    if (next?.dueAt === null || next?.dueAt === undefined) return moved;
    const wait = Math.max(0, Number(next.dueAt) - h.clock.now().getTime()) + 1;
    h.clock.advance(wait);
    moved += wait;
  }
  throw new Error(`callbacks still pending after ${maxSteps} steps of the retry schedule`);
}

/**
 * Proves nothing more is due: moves the clock well past any test schedule (inside the access token's
 * lifetime), lets the dispatcher poll, and waits for it to finish whatever that started.
 */
export async function quiet(h: Harness, dispatcher: CallbackDispatcher, ms = 10_000): Promise<void> {
  await dispatcher.idle();
  h.clock.advance(ms);
  await dispatcher.idle();
}

/** An endpoint that accepts connections and never answers: a merchant whose server hangs. */
export interface SilentEndpoint {
  url: string;
  /** Connections open right now, and the most ever open at once. */
  open(): number;
  maxOpen(): number;
  /** Requests whose first bytes arrived (each hanging request holds its own connection). */
  requests(): number;
  close(): Promise<void>;
}

export async function startSilentEndpoint(): Promise<SilentEndpoint> {
  const sockets = new Set<Socket>();
  let maxOpen = 0;
  let requests = 0;
  const server = createNetServer((socket) => {
    sockets.add(socket);
    maxOpen = Math.max(maxOpen, sockets.size);
    socket.once('data', () => requests++);
    socket.on('error', () => {});
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/never-answers`,
    open: () => sockets.size,
    maxOpen: () => maxOpen,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
