// `kasir listen [--forward-to URL] [--events a,b]`: follows the merchant's event stream (GET /v2/events/stream,
// a Kasir extension) and prints a line per callback as Kasir writes it; with --forward-to it POSTs each one,
// byte for byte with the signed headers Kasir sends, to a local URL and prints that delivery's status and
// latency; with a webhook secret (--webhook-secret or KASIR_WEBHOOK_SECRET) it checks each signature as the
// merchant's endpoint would. A drop reconnects with Last-Event-ID; Ctrl-C ends it with exit 0.
//
// The stream is read through @kasir/sdk (`kasir.events.stream`), which holds the token and parses the SSE;
// the reconnect loop is here, because when to give up is the command's choice.
import { Option, type Command } from 'commander';
import { CallbackVerificationError, KasirApiError, verifyCallback, type CallbackEventName, type StreamedEvent } from '@kasir/sdk';
import { CALLBACK_EVENTS, isCallbackEvent } from '../domain/statuses.ts';
import { EXIT, UsageError, type CliRun } from './common.ts';
import { kasirClient, withConnectionOptions, type ConnectionFlags } from './connection.ts';
import { forwardEvent, statusOf, summaryOf, type Delivery } from './forward.ts';

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

function eventList(raw: string | undefined): CallbackEventName[] | undefined {
  if (raw === undefined) return undefined;
  const names = raw.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !isCallbackEvent(name));
  if (unknown.length > 0) throw new UsageError(`--events: unknown ${unknown.join(', ')} (known: ${CALLBACK_EVENTS.join(', ')})`);
  return names.filter(isCallbackEvent);
}

function interrupted(run: CliRun): Promise<void> {
  return run.io.interrupted ?? new Promise((resolve) => process.once('SIGINT', () => resolve()));
}

function line(event: StreamedEvent, checked: Verification | undefined, delivery: Delivery | undefined): string {
  const parts = [new Date().toISOString(), event.event.padEnd(27), event.resourceId, (statusOf(event) ?? '-').padEnd(22)];
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
  const events = eventList(options.events);
  const forwardTo = options.forwardTo;
  if (forwardTo !== undefined && (!URL.canParse(forwardTo) || !/^https?:$/.test(new URL(forwardTo).protocol))) {
    throw new UsageError(`--forward-to must be an http(s) URL, got "${forwardTo}"`);
  }
  const { kasir, connection } = kasirClient(run, options);
  // The server's own setting of the same name seeds the merchant's secret, so one export serves both.
  const webhookSecret = options.webhookSecret ?? run.env.KASIR_WEBHOOK_SECRET;
  const fetch = run.io.fetch ?? globalThis.fetch;
  const stop = new AbortController();
  void interrupted(run).then(() => stop.abort());
  let lastEventId: string | undefined;
  let retryMs: number | undefined;
  let connected = false;

  while (!stop.signal.aborted) {
    try {
      const stream = await kasir.events.stream({ events, lastEventId, signal: stop.signal });
      run.io.err(
        connected
          ? `kasir: reconnected${lastEventId ? `, resuming after ${lastEventId}` : ''}`
          : `Ready: streaming the callbacks of merchant ${connection.merchantId} from ${connection.baseUrl}` +
              `${forwardTo ? `, forwarding them to ${forwardTo}` : ''} (Ctrl-C to stop)`,
      );
      connected = true;
      try {
        for await (const event of stream) {
          const checked = webhookSecret ? await verification(event, webhookSecret) : undefined;
          const delivery = forwardTo ? await forwardEvent(fetch, forwardTo, event) : undefined;
          run.io.out(
            options.json
              ? JSON.stringify({
                  ...summaryOf(event),
                  ...(checked && { verified: checked.verified }),
                  ...(delivery && { delivery }),
                })
              : line(event, checked, delivery),
          );
        }
      } finally {
        lastEventId = stream.lastEventId;
        retryMs = stream.retryMs ?? retryMs;
      }
    } catch (error) {
      if (stop.signal.aborted) break;
      // Before the first connection, a refusal or an unreachable Kasir is an answer a script can act on (the
      // SDK's errors map to exit codes 1 and 3); after it, only a refusal (credentials revoked) ends the loop.
      if (!connected || (error instanceof KasirApiError && error.status < 500)) throw error;
      run.io.err(`kasir: the event stream dropped (${describe(error)})`);
    }
    if (stop.signal.aborted) break;
    const waitMs = Math.min(retryMs ?? DEFAULT_RECONNECT_MS, MAX_RECONNECT_MS);
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
