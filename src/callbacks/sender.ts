// One HTTP attempt: POST the stored body byte for byte with Pivot's headers and the Standard Webhooks
// headers, over a keep-alive pool whose sockets connect only where the URL policy allows, bounded by the
// timeout, never following a redirect (undici's request() only follows them when a redirect interceptor
// is installed; none is).
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import { errorMessage, memberOf } from '../domain/json.ts';
import { webhookHeaders, type SigningSecrets } from './signing.ts';
import { CallbackUrlRefused, callbackUrlProblem, guardedConnector, type UrlPolicy } from './url-policy.ts';

export interface Delivery {
  /** webhook-id: the callback's id, the same on every retry. */
  id: string;
  url: string;
  apiKey: string;
  secrets: SigningSecrets;
  body: string;
}

export interface SendResult {
  httpStatus: number | null;
  latencyMs: number;
  /** The first characters of the response body, for the history. */
  excerpt: string | null;
  error: string | null;
  /** The URL is not allowed under the policy: retrying will not help. */
  refused: boolean;
}

const EXCERPT_CHARS = 200;
/** Read at most this much of a response (then drop the connection) so a huge reply cannot hold a slot. */
const MAX_READ_BYTES = 64 * 1024;

/** The headers of one attempt: Pivot's X-API-Key and the Standard Webhooks headers signed at `now`. */
export function callbackHeaders(
  delivery: Pick<Delivery, 'id' | 'apiKey' | 'secrets' | 'body'>,
  now: Date,
  userAgent = 'Kasir-Callbacks/0.1',
): Record<string, string> {
  return {
    'content-type': 'application/json',
    accept: 'application/json',
    'user-agent': userAgent,
    'x-api-key': delivery.apiKey,
    ...webhookHeaders(delivery.secrets, delivery.id, now, delivery.body),
  };
}

export class CallbackSender {
  private readonly agent: Agent;

  constructor(
    private readonly options: { timeoutMs: number; policy: UrlPolicy; connectionsPerOrigin?: number; userAgent?: string },
  ) {
    this.agent = new Agent({
      connections: options.connectionsPerOrigin ?? 64,
      keepAliveTimeout: 30_000,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connect: guardedConnector(options.policy, { timeoutMs: options.timeoutMs }),
    });
  }

  async send(delivery: Delivery, now: Date): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const problem = callbackUrlProblem(delivery.url, this.options.policy);
    if (problem) return { httpStatus: null, latencyMs: 0, excerpt: null, error: `callback URL ${problem}`, refused: true };
    try {
      const response = await request(delivery.url, {
        dispatcher: this.agent,
        method: 'POST',
        headers: callbackHeaders(delivery, now, this.options.userAgent),
        body: delivery.body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const excerpt = await readExcerpt(response.body);
      return { httpStatus: response.statusCode, latencyMs: elapsed(), excerpt, error: null, refused: false };
    } catch (error) {
      const refused = error instanceof CallbackUrlRefused || memberOf(error, 'cause') instanceof CallbackUrlRefused;
      return { httpStatus: null, latencyMs: elapsed(), excerpt: null, error: describe(error), refused };
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

async function readExcerpt(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= MAX_READ_BYTES) break;
    }
  } catch {
    /* the status is what counts; a broken body still leaves what was read */
  }
  if (size === 0) return null;
  const text = Buffer.concat(chunks).toString('utf8').slice(0, EXCERPT_CHARS);
  return text.length ? text : null;
}

const TIMEOUT_CODES: ReadonlySet<unknown> = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** What undici or the network said: its own `code` member (ECONNREFUSED, UND_ERR_…), if a string. */
function codeOf(error: unknown): string | undefined {
  const code = memberOf(error, 'code');
  return typeof code === 'string' ? code : undefined;
}

function describe(error: unknown): string {
  // AbortSignal's DOMException keeps its name on the prototype, so it is read through instanceof.
  if ((error instanceof Error && error.name === 'TimeoutError') || TIMEOUT_CODES.has(codeOf(error))) {
    return 'timeout: no complete response in time';
  }
  const cause = memberOf(error, 'cause');
  const code = codeOf(error) ?? codeOf(cause);
  const message = errorMessage(error) ?? errorMessage(cause) ?? String(error);
  return (code ? `${code}: ${message}` : message).slice(0, 500);
}
