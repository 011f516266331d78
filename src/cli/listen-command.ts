// `kasir listen [--forward-to URL] [--events a,b]`: follows the merchant's event stream (GET /v2/events/stream,
// a Kasir extension) and prints a line per callback as Kasir writes it; with --forward-to it POSTs each one,
// byte for byte with the signed headers Kasir sends, to a local URL and prints that delivery's status and
// latency; with a webhook secret (--webhook-secret or KASIR_WEBHOOK_SECRET) it checks each signature as the
// merchant's endpoint would. A drop reconnects with Last-Event-ID; Ctrl-C ends it with exit 0.
//
// The stream is not an SDK resource, so the bearer token is exchanged here (POST /v1/access-token), once per
// connection that needs one.
import { Option, type Command } from 'commander';
import { CallbackVerificationError, verifyCallback } from '@kasir/sdk';
import { CALLBACK_EVENTS } from '../domain/statuses.ts';
import { EXIT, RefusedError, UnavailableError as Unavailable, UsageError, type CliRun } from './common.ts';
import { resolveConnection, withConnectionOptions, type Connection, type ConnectionFlags } from './connection.ts';
import { forwardEvent, parseStreamedEvent, type Delivery, type StreamedEvent } from './forward.ts';
import { readSse, type SseState } from './sse.ts';

interface ListenOptions extends ConnectionFlags {
  forwardTo?: string;
  events?: string;
  json?: boolean;
  webhookSecret?: string;
}

/** Whether the callback's signature holds under the merchant's webhook secret, as the merchant's endpoint checks it. */
type Verification = { verified: true } | { verified: false; problem: string };

async function verification(event: StreamedEvent, webhookSecret: string): Promise<Verification> {
  try {
    await verifyCallback({ payload: event.body, headers: event.headers, webhookSecret });
    return { verified: true };
  } catch (error) {
    if (error instanceof CallbackVerificationError) return { verified: false, problem: error.code };
    if (error instanceof TypeError) return { verified: false, problem: error.message };
    throw error;
  }
}

/** Waits before reconnecting when the server did not say (it sends `retry:`), and at most this long. */
const DEFAULT_RECONNECT_MS = 2_000;
const MAX_RECONNECT_MS = 30_000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}

function eventList(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const names = raw.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(CALLBACK_EVENTS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new UsageError(`--events: unknown ${unknown.join(', ')} (known: ${CALLBACK_EVENTS.join(', ')})`);
  return names.join(',');
}

function interrupted(run: CliRun): Promise<void> {
  return run.io.interrupted ?? new Promise((resolve) => process.once('SIGINT', () => resolve()));
}

/** The error envelope's code and message, or the status alone. */
async function refusalOf(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body === 'object' && body !== null && 'code' in body && 'message' in body) {
      return `${response.status} ${String(body.code)}: ${String(body.message)}`;
    }
  } catch {
    /* not the envelope */
  }
  return `HTTP ${response.status}`;
}

class StreamClient {
  private token: string | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly fetch: typeof globalThis.fetch,
    private readonly events: string | undefined,
  ) {}

  private async accessToken(signal: AbortSignal): Promise<string> {
    if (this.token) return this.token;
    const response = await this.fetch(`${this.connection.baseUrl}/v1/access-token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-merchant-id': this.connection.merchantId,
        'x-merchant-secret': this.connection.merchantSecret,
      },
      body: JSON.stringify({ grantType: 'client_credentials' }),
      signal,
    });
    if (response.status >= 500) throw new Unavailable(`the token exchange answered ${await refusalOf(response)}`);
    if (!response.ok) throw new RefusedError(`the token exchange was refused: ${await refusalOf(response)}`);
    const body: unknown = await response.json();
    const data = typeof body === 'object' && body !== null && 'data' in body ? body.data : undefined;
    const token = typeof data === 'object' && data !== null && 'accessToken' in data ? data.accessToken : undefined;
    if (typeof token !== 'string') throw new Unavailable('the token exchange answered without an access token');
    this.token = token;
    return token;
  }

  /** The open stream; a refused token is exchanged again once. */
  async open(lastEventId: string | undefined, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    const query = this.events ? `?events=${encodeURIComponent(this.events)}` : '';
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken(signal);
      const response = await this.fetch(`${this.connection.baseUrl}/v2/events/stream${query}`, {
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'text/event-stream',
          ...(lastEventId !== undefined && { 'last-event-id': lastEventId }),
        },
        signal,
      });
      if (response.status === 401 && attempt === 0) {
        this.token = undefined;
        continue;
      }
      if (response.ok && response.body) return response.body;
      if (response.status >= 500) throw new Unavailable(`the event stream answered ${await refusalOf(response)}`);
      throw new RefusedError(`the event stream was refused: ${await refusalOf(response)}`);
    }
  }
}

function line(event: StreamedEvent, checked: Verification | undefined, delivery: Delivery | undefined): string {
  const parts = [new Date().toISOString(), event.event.padEnd(27), event.resourceId, (event.status ?? '-').padEnd(22)];
  if (checked) parts.push(checked.verified ? 'signature verified' : `SIGNATURE NOT VERIFIED (${checked.problem})`);
  if (delivery) {
    parts.push(
      delivery.status === null
        ? `→ ${delivery.url} failed after ${delivery.latencyMs} ms: ${delivery.error}`
        : `→ ${delivery.url} ${delivery.status} in ${delivery.latencyMs} ms`,
    );
  }
  return parts.join('  ');
}

async function listen(run: CliRun, options: ListenOptions): Promise<number> {
  const connection = resolveConnection(options, run.env);
  const events = eventList(options.events);
  const forwardTo = options.forwardTo;
  if (forwardTo !== undefined && (!URL.canParse(forwardTo) || !/^https?:$/.test(new URL(forwardTo).protocol))) {
    throw new UsageError(`--forward-to must be an http(s) URL, got "${forwardTo}"`);
  }
  // The server's own setting of the same name seeds the merchant's secret, so one export serves both.
  const webhookSecret = options.webhookSecret ?? run.env.KASIR_WEBHOOK_SECRET;
  const fetch = run.io.fetch ?? globalThis.fetch;
  const client = new StreamClient(connection, fetch, events);
  const stop = new AbortController();
  void interrupted(run).then(() => stop.abort());
  const state: SseState = { lastEventId: undefined, retryMs: undefined };
  let connected = false;

  while (!stop.signal.aborted) {
    try {
      const body = await client.open(state.lastEventId, stop.signal);
      run.io.err(
        connected
          ? `kasir: reconnected${state.lastEventId ? `, resuming after ${state.lastEventId}` : ''}`
          : `Ready: streaming the callbacks of merchant ${connection.merchantId} from ${connection.baseUrl}` +
              `${forwardTo ? `, forwarding them to ${forwardTo}` : ''} (Ctrl-C to stop)`,
      );
      connected = true;
      for await (const message of readSse(body, state)) {
        const event = parseStreamedEvent(message.data);
        if (!event) continue;
        const checked = webhookSecret ? await verification(event, webhookSecret) : undefined;
        const delivery = forwardTo ? await forwardEvent(fetch, forwardTo, event) : undefined;
        run.io.out(
          options.json
            ? JSON.stringify({ ...event.summary, ...(checked && { verified: checked.verified }), ...(delivery && { delivery }) })
            : line(event, checked, delivery),
        );
      }
    } catch (error) {
      if (stop.signal.aborted) break;
      // Before the first connection, an unreachable Kasir is an answer a script can act on.
      if (!connected) {
        if (error instanceof RefusedError || error instanceof Unavailable) throw error;
        throw new Unavailable(`Kasir is unreachable at ${connection.baseUrl}: ${describe(error)}`);
      }
      if (error instanceof RefusedError) throw error;
      run.io.err(`kasir: the event stream dropped (${describe(error)})`);
    }
    if (stop.signal.aborted) break;
    const waitMs = Math.min(state.retryMs ?? DEFAULT_RECONNECT_MS, MAX_RECONNECT_MS);
    run.io.err(`kasir: reconnecting in ${waitMs} ms`);
    await sleep(waitMs, stop.signal);
  }
  return EXIT.ok;
}

function describe(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return error instanceof Error ? `${error.message}${cause}` : String(error);
}

export function listenCommand(program: Command, run: CliRun): void {
  run.addFailureMapper((error) =>
    error instanceof Unavailable ? { code: EXIT.unavailable, message: error.message } : undefined,
  );
  withConnectionOptions(program.command('listen'))
    .description(
      "Print the merchant's callbacks as Kasir writes them; with --forward-to, POST each one signed to a local URL (Kasir extension)",
    )
    .option('--forward-to <url>', 'POST each callback here, with the headers Kasir sends, and print the answer')
    .addOption(new Option('--events <list>', `only these events, comma-separated (${CALLBACK_EVENTS.join(', ')})`))
    .option(
      '--webhook-secret <whsec>',
      "check each callback's signature with the merchant's webhook secret, as its endpoint would (default: $KASIR_WEBHOOK_SECRET)",
    )
    .option('--json', 'print one JSON object per callback and line')
    .action(run.action((options: ListenOptions) => listen(run, options)));
}
