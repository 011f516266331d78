// A TCP proxy between Kasir and its database, for fault tests: `kill()` drops every connection and refuses
// new ones (the database is gone), `freeze()` keeps every connection but forwards nothing (TCP accepted,
// nothing answered: a hung server or a black-holed network), `restore()` brings normal service back, and
// `failover()` serves new connections while the existing ones stay frozen for good (a new primary behind
// the same address, the old one's connections black-holed).
import { connect, createServer, type Server, type Socket } from 'node:net';

export type ProxyState = 'up' | 'killed' | 'frozen';

export interface TcpProxy {
  port: number;
  /** host:port of the proxy, for a connection URL. */
  address: string;
  state(): ProxyState;
  /** Connections ever accepted (a reconnecting pool shows here). */
  accepted(): number;
  kill(): Promise<void>;
  freeze(): void;
  restore(): Promise<void>;
  failover(): Promise<void>;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket | undefined;
  /** Frozen for good: its server is gone without a word (failover). */
  stranded?: boolean;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let state: ProxyState = 'up';
  let accepted = 0;
  const pairs = new Set<Pair>();

  function drop(pair: Pair) {
    pairs.delete(pair);
    pair.client.destroy();
    pair.upstream?.destroy();
  }

  /** Data flows only while up; paused sockets keep what arrives in the kernel's buffers. */
  function flow(pair: Pair) {
    const up = state === 'up' && !pair.stranded;
    for (const socket of [pair.client, pair.upstream]) {
      if (!socket) continue;
      if (up) socket.resume();
      else socket.pause();
    }
  }

  function wire(pair: Pair) {
    const upstream = connect(target.port, target.host);
    pair.upstream = upstream;
    upstream.on('data', (chunk) => pair.client.write(chunk));
    pair.client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('error', () => drop(pair));
    upstream.on('close', () => drop(pair));
    flow(pair);
  }

  function onConnection(client: Socket) {
    accepted++;
    const pair: Pair = { client, upstream: undefined };
    pairs.add(pair);
    client.on('error', () => drop(pair));
    client.on('close', () => drop(pair));
    // A frozen database accepts the connection and never says a word: not even the upstream is opened
    // until it thaws, so the startup handshake goes unanswered.
    client.pause();
    if (state === 'up') wire(pair);
  }

  let server: Server = createServer(onConnection);
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject).listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer(onConnection);
      server.once('error', reject).listen(port, '127.0.0.1', () => resolve());
    });
  const stopListening = () => new Promise<void>((resolve) => server.close(() => resolve()));

  const proxy: TcpProxy = {
    port,
    address: `127.0.0.1:${port}`,
    state: () => state,
    accepted: () => accepted,
    async kill() {
      if (state === 'killed') return;
      state = 'killed';
      const closed = stopListening();
      for (const pair of [...pairs]) drop(pair);
      await closed;
    },
    freeze() {
      if (state !== 'up') throw new Error(`cannot freeze a ${state} proxy`);
      state = 'frozen';
      for (const pair of pairs) flow(pair);
    },
    async restore() {
      if (state === 'killed') await listen();
      state = 'up';
      for (const pair of pairs) {
        if (pair.stranded) continue;
        if (pair.upstream) flow(pair);
        else wire(pair);
      }
    },
    async failover() {
      for (const pair of pairs) pair.stranded = true;
      await proxy.restore();
    },
    async close() {
      state = 'killed';
      const closed = server.listening ? stopListening() : Promise.resolve();
      for (const pair of [...pairs]) drop(pair);
      await closed;
    },
  };
  return proxy;
}
