// A stream outlives the server's idle and request timeouts: keep-alive comments come at half the idle
// timeout, and a callback written after several idle periods still arrives on the same connection.
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeApp, composeContext } from '../../src/compose.ts';
import { enqueueCallbacks } from '../../src/store/outbox.ts';
import { createMerchant } from '../../src/usecases/merchants.ts';
import { openTestStore, type TestStore } from '../helpers/harness.ts';

const IDLE_TIMEOUT_MS = 1_200;

describe('an event stream and the server timeouts', () => {
  let store: TestStore;
  let close: () => Promise<void>;
  let base: { port: number; token: string; merchantId: string };
  beforeAll(async () => {
    store = await openTestStore('sqlite');
    const ctx = await composeContext({ env: 'sandbox', publicUrl: 'http://kasir.test', tokenSecret: 'x'.repeat(32) }, store);
    const http = {
      headersTimeoutMs: 1_000,
      requestTimeoutMs: 1_000,
      keepAliveTimeoutMs: 500,
      idleTimeoutMs: IDLE_TIMEOUT_MS,
      maxConnections: 50,
    };
    const app = await composeApp(ctx, { env: 'sandbox', publicUrl: 'http://kasir.test', logLevel: 'silent', http }, false);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { merchant } = await createMerchant(store.db, { name: 'Toko' });
    const token = await ctx.tokens.issueAccessToken(merchant.id, new Date());
    base = { port: (app.server.address() as AddressInfo).port, token, merchantId: merchant.id };
    close = async () => {
      await app.close();
      await store.destroy();
    };
  });
  afterAll(async () => close());

  it('keeps the connection with comments, and still delivers after three idle periods', async () => {
    let text = '';
    let closed = false;
    const req = request({
      host: '127.0.0.1',
      port: base.port,
      path: '/v2/events/stream',
      headers: { authorization: `Bearer ${base.token}` },
    });
    req.on('response', (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('close', () => (closed = true));
    });
    req.end();
    await new Promise((resolve) => setTimeout(resolve, IDLE_TIMEOUT_MS * 3));
    expect(closed).toBe(false);
    expect(text.split(': keep-alive\n\n').length - 1).toBeGreaterThanOrEqual(4);
    const payload = JSON.stringify({ event: 'PAYMENT.TEST', data: { id: 'late' } });
    await enqueueCallbacks(
      store.db,
      [
        {
          id: 'cb-after-idle',
          merchantId: base.merchantId,
          resource: { type: 'merchant', id: base.merchantId },
          event: 'PAYMENT.TEST',
          payload,
        },
      ],
      new Date(),
    );
    const deadline = Date.now() + 5_000;
    while (!text.includes('id: cb-after-idle') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(text).toContain('id: cb-after-idle');
    req.destroy();
  });
});
