// What every SDK suite needs: a Kasir listening on a real port (harness app, so the test moves its clock),
// with the merchant's callbacks delivered to a local receiver, and @kasir/sdk as a merchant installs it
// (the built package, rebuilt first when its sources are newer than dist/).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CallbackDispatcher } from '../../src/callbacks/dispatcher.ts';
import type { DbKind, Harness } from '../helpers/harness.ts';
import type { PaymentSession } from '@kasir/sdk';
import { closeRig, startCallbackRig, startDispatcher, type Receiver } from '../callbacks/receiver.ts';
import { encryptCard, futureExpiry } from '../helpers/cards.ts';
import { uniqueReference } from '../helpers/harness.ts';

const SDK = fileURLToPath(new URL('../../packages/sdk', import.meta.url));

function newestSource(): number {
  return Math.max(
    ...readdirSync(join(SDK, 'src'), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => statSync(join(entry.parentPath, entry.name)).mtimeMs),
  );
}

/** Blocks the thread (test start-up only): a worker waiting for another's build has nothing else to do. */
const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * `npm ci` builds the package (its prepare script); after an edit under packages/sdk/src, build it again here,
 * once, so the suites never test yesterday's dist/. Several suites start at once in different workers: the
 * first takes a lock (mkdir is atomic) and builds, the others wait for it rather than import a half-written dist/.
 */
function buildWhenStale(): void {
  const built = join(SDK, 'dist', 'index.js');
  const stale = () => !existsSync(built) || newestSource() > statSync(built).mtimeMs;
  const lock = join(SDK, 'dist', '.building');
  // While another worker builds, index.js may already be new and the modules it imports not yet written.
  if (!stale() && !existsSync(lock)) return;
  mkdirSync(join(SDK, 'dist'), { recursive: true });
  for (let waited = 0; ; waited += 100) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than a build can take is left over from a killed run.
      if (waited > 120_000) rmSync(lock, { recursive: true, force: true });
      pause(100);
    }
  }
  try {
    if (stale()) execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { cwd: SDK, stdio: 'inherit' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
buildWhenStale();

/** The package's exports; suites take values from here (types they import from '@kasir/sdk' directly). */
export const sdk = await import('@kasir/sdk');
const { Kasir } = sdk;
type KasirOptions = ConstructorParameters<typeof Kasir>[0];

/** A fetch that counts what goes through it, by path and by answer status. */
export interface CountingFetch {
  fetch: typeof fetch;
  /** "POST /v2/payments" → how many requests. */
  requests: Map<string, number>;
  statuses: number[];
  count(route: string): number;
}

export function countingFetch(inner: typeof fetch = globalThis.fetch): CountingFetch {
  const requests = new Map<string, number>();
  const statuses: number[] = [];
  const counted: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const route = `${request.method} ${new URL(request.url).pathname}`;
    requests.set(route, (requests.get(route) ?? 0) + 1);
    const response = await inner(request);
    statuses.push(response.status);
    return response;
  };
  return { fetch: counted, requests, statuses, count: (route) => requests.get(route) ?? 0 };
}

export interface Rig {
  h: Harness;
  baseUrl: string;
  receiver: Receiver;
  dispatcher: CallbackDispatcher;
  /** A client for the harness's merchant; options override the defaults. */
  kasir(options?: Partial<KasirOptions>): InstanceType<typeof Kasir>;
  close(): Promise<void>;
}

export async function listeningKasir(kind: DbKind): Promise<Rig> {
  const { h, receiver } = await startCallbackRig(kind);
  const baseUrl = await h.app.listen({ port: 0, host: '127.0.0.1' });
  const dispatcher = startDispatcher(h);
  return {
    h,
    baseUrl,
    receiver,
    dispatcher,
    kasir: (options = {}) => new Kasir({ baseUrl, merchantId: h.merchant.id, merchantSecret: h.merchantSecret, ...options }),
    close: () => closeRig({ h, receiver, dispatcher }),
  };
}

/**
 * A manual-capture card session in API mode, confirmed with an encrypted frictionless test card the way a
 * merchant's own page sends it: 150,000 IDR authorized, the charge WAITING_FOR_CAPTURE.
 */
export async function authorizedCardSession(kasir: InstanceType<typeof Kasir>): Promise<PaymentSession> {
  const session = await kasir.payments.create({
    clientReferenceId: uniqueReference(),
    amount: { value: 150_000, currency: 'IDR' },
    mode: 'API',
    autoConfirm: false,
    paymentMethod: { type: 'CARD' },
    paymentMethodOptions: { card: { captureMethod: 'manual' } },
    redirectUrl: { successReturnUrl: 'https://merchant.example/ok', failureReturnUrl: 'https://merchant.example/no' },
  });
  const encryptedCard = encryptCard(String(session.encryptionKey), { number: '4440000112200001', ...futureExpiry(), cvc: '737' });
  return kasir.payments.confirm(session.id, { paymentMethod: { type: 'CARD', card: { encryptedCard } } });
}
