// `kasir listen`: the harness Kasir's callbacks printed as they are written and, with --forward-to, delivered
// to a local receiver that verifies the Standard Webhooks signature with the `standardwebhooks` package; a
// refused local URL is printed, not fatal; a dropped stream resumes with Last-Event-ID; Ctrl-C exits 0.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { seedAutoConfirmBody } from '../helpers/bodies.ts';
import { cuttingFirstStream } from '../helpers/dropped-stream.ts';
import { requestId } from '../helpers/harness.ts';
import { liveKasir, type LiveKasir } from './helpers.ts';

interface Verified {
  event: string;
  webhookId: string;
  apiKey: string | undefined;
}

/** A merchant's endpoint: 204 for a callback whose signature verifies, 400 otherwise. */
async function verifyingReceiver(
  secret: string,
): Promise<{ url: string; verified: Verified[]; rejected: number; server: Server }> {
  const verifier = new Webhook(secret);
  const state = { url: '', verified: [] as Verified[], rejected: 0, server: undefined as unknown as Server };
  state.server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      try {
        const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]));
        const payload = verifier.verify(body, headers) as { event: string };
        state.verified.push({ event: payload.event, webhookId: headers['webhook-id']!, apiKey: headers['x-api-key'] });
        response.writeHead(204).end();
      } catch {
        state.rejected++;
        response.writeHead(400).end('bad signature');
      }
    });
  });
  await new Promise<void>((resolve) => state.server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(state.server.address() as AddressInfo).port}/webhooks`;
  return state;
}

/** `kasir listen …` running in the background, its output readable while it runs, stopped by `interrupt()`. */
function listenInBackground(argv: string[], env: Record<string, string>, fetchImpl?: typeof fetch) {
  const out: string[] = [];
  const err: string[] = [];
  let interrupt = () => {};
  const interrupted = new Promise<void>((resolve) => (interrupt = resolve));
  const exit = runCli(['listen', ...argv], {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env,
    interrupted,
    ...(fetchImpl && { fetch: fetchImpl }),
  });
  return { out, err, exit, interrupt };
}

async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function seedFlow(live: LiveKasir): Promise<string> {
  const created = await live.h.api('POST', '/v2/payments', seedAutoConfirmBody(), { 'x-request-id': requestId() });
  const id = created.body.data.id;
  expect((await live.h.api('POST', '/v2/payments/simulations', { paymentSessionId: id, chargeStatus: 'SUCCESS' })).status).toBe(
    200,
  );
  return id;
}

/** Once `listen` is ready, runs the seed flow; resolves when both its callbacks are printed and Ctrl-C ended it with 0. */
async function seedFlowHeard(live: LiveKasir, listen: ReturnType<typeof listenInBackground>): Promise<string> {
  await until(() => listen.err.some((l) => l.startsWith('Ready')), 'Ready');
  const sessionId = await seedFlow(live);
  await until(() => listen.out.length >= 2, 'two lines');
  listen.interrupt();
  expect(await listen.exit).toBe(0);
  return sessionId;
}

describe('kasir listen', () => {
  let live: LiveKasir;
  beforeAll(async () => {
    live = await liveKasir();
  });
  afterAll(async () => live.h.close());

  it('forwards the seed flow to a local endpoint, signed: PAYMENT.PROCESSING then PAYMENT.PAID verify', async () => {
    const receiver = await verifyingReceiver(live.h.merchant.webhookSecret);
    const listen = listenInBackground(['--forward-to', receiver.url], live.env);
    const sessionId = await seedFlowHeard(live, listen);
    receiver.server.close();
    expect(receiver.rejected).toBe(0);
    expect(receiver.verified.map((v) => v.event)).toEqual(['PAYMENT.PROCESSING', 'PAYMENT.PAID']);
    expect(receiver.verified.every((v) => v.apiKey === live.h.merchant.callbackApiKey)).toBe(true);
    const [processing, paidLine] = listen.out;
    expect(processing).toMatch(
      new RegExp(
        `^\\d{4}-\\d\\d-\\d\\dT\\S+Z  PAYMENT\\.PROCESSING\\s+${sessionId}  REQUIRE_ACTION\\s+→ ${receiver.url} 204 in \\d+ ms$`,
      ),
    );
    expect(paidLine).toMatch(new RegExp(`PAYMENT\\.PAID\\s+${sessionId}  PAID\\s+→ ${receiver.url} 204 in \\d+ ms$`));
  });

  it('--json prints one object per callback; a refused local URL is printed and the stream goes on', async () => {
    const closed = await verifyingReceiver(live.h.merchant.webhookSecret);
    await new Promise<void>((resolve) => closed.server.close(() => resolve()));
    const listen = listenInBackground(
      ['--forward-to', closed.url, '--events', 'PAYMENT.PAID,PAYMENT.PROCESSING', '--json'],
      live.env,
    );
    const sessionId = await seedFlowHeard(live, listen);
    const lines = listen.out.map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.event, l.resourceId, l.status])).toEqual([
      ['PAYMENT.PROCESSING', sessionId, 'REQUIRE_ACTION'],
      ['PAYMENT.PAID', sessionId, 'PAID'],
    ]);
    for (const line of lines) {
      expect(line.delivery).toMatchObject({
        url: closed.url,
        status: null,
        error: expect.stringMatching(/ECONNREFUSED|refused/i),
      });
    }
  });

  it("checks each signature with KASIR_WEBHOOK_SECRET as the merchant's endpoint would; a wrong secret is said", async () => {
    const right = listenInBackground([], { ...live.env, KASIR_WEBHOOK_SECRET: live.h.merchant.webhookSecret });
    const sessionId = await seedFlowHeard(live, right);
    expect(right.out[0]).toMatch(new RegExp(`PAYMENT\\.PROCESSING\\s+${sessionId}  REQUIRE_ACTION\\s+signature verified$`));
    expect(right.out[1]).toMatch(new RegExp(`PAYMENT\\.PAID\\s+${sessionId}  PAID\\s+signature verified$`));

    const other = `whsec_${Buffer.from('another merchant secret, 32 bytes!').toString('base64')}`;
    const wrong = listenInBackground(['--webhook-secret', other, '--json'], live.env);
    await seedFlowHeard(live, wrong);
    expect(wrong.out.map((l) => JSON.parse(l).verified)).toEqual([false, false]);
  });

  it('resumes with Last-Event-ID when the stream drops, losing and repeating nothing', async () => {
    const cutting = cuttingFirstStream();
    const listen = listenInBackground(['--json'], live.env, cutting.fetch);
    const sessionId = await seedFlowHeard(live, listen);
    const lines = listen.out.map((l) => JSON.parse(l));
    expect(lines.map((l) => l.event)).toEqual(['PAYMENT.PROCESSING', 'PAYMENT.PAID']);
    expect(lines.every((l) => l.resourceId === sessionId)).toBe(true);
    expect(cutting.lastEventIds).toEqual([null, lines[0].id]);
    expect(listen.err.join('\n')).toMatch(/dropped[\s\S]*reconnected, resuming after/);
  });

  it('refuses bad options (2), wrong credentials (1), and exits 3 when Kasir is not there', async () => {
    const bad = listenInBackground(['--events', 'PAYMENT.LOST'], live.env);
    expect(await bad.exit).toBe(2);
    expect(bad.err.join('\n')).toMatch(/--events: unknown PAYMENT\.LOST/);
    const badUrl = listenInBackground(['--forward-to', 'ftp://x'], live.env);
    expect(await badUrl.exit).toBe(2);
    const wrong = listenInBackground([], { ...live.env, KASIR_MERCHANT_SECRET: 'wrong' });
    expect(await wrong.exit).toBe(1);
    expect(wrong.err.join('\n')).toMatch(/401 credentials_invalid/);
    const down = listenInBackground([], { ...live.env, KASIR_BASE_URL: 'http://127.0.0.1:9' });
    expect(await down.exit).toBe(3);
    expect(down.err.join('\n')).toMatch(/unreachable/);
  });
});
