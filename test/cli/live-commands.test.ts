// The commands that talk to a running Kasir through @kasir/sdk: payments, simulate, refunds, callbacks — their
// --json is what the API answers, their text a line per item — and the connection (flags, environment,
// profile) and exit codes (1 refused, 2 usage, 3 unreachable or 5xx).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/main.ts';
import { seedAutoConfirmBody } from '../helpers/bodies.ts';
import { requestId } from '../helpers/harness.ts';
import { paidSession, postRefund, refundBody } from '../helpers/refunds.ts';
import { kasir, liveKasir, type LiveKasir } from './helpers.ts';

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('kasir on a running Kasir', () => {
  let live: LiveKasir;
  let open: any;
  let paid: any;
  beforeAll(async () => {
    live = await liveKasir();
    paid = await paidSession(live.h);
    open = (await live.h.api('POST', '/v2/payments', seedAutoConfirmBody(), { 'x-request-id': requestId() })).body.data;
  });
  afterAll(async () => live.h.close());

  it('payments list: --json is what GET /v2/payments answers; text is a line per session', async () => {
    const json = await kasir(['payments', 'list', '--json'], live.env);
    expect(json.code).toBe(0);
    const api = await live.h.api('GET', '/v2/payments');
    expect(JSON.parse(json.out)).toEqual({ data: api.body.data, pagination: api.body.pagination });
    const text = await kasir(['payments', 'list', '--status', 'PAID', '--per-page', '5'], live.env);
    expect(text.code).toBe(0);
    const lines = text.out.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^${paid.id}\\s+PAID\\s+10000 IDR\\s+VIRTUAL_ACCOUNT`));
    expect(lines.at(-1)).toBe('1 payment; page 1 of 1');
  });

  it('payments get: the session as it stands; an unknown one is refused with 1', async () => {
    const json = await kasir(['payments', 'get', open.id, '--json'], live.env);
    expect(JSON.parse(json.out)).toEqual((await live.h.api('GET', `/v2/payments/${open.id}`)).body.data);
    const text = await kasir(['payments', 'get', open.id], live.env);
    expect(text.out).toContain(`Payment ${open.id}: REQUIRE_ACTION`);
    const missing = await kasir(['payments', 'get', 'nope'], live.env);
    expect(missing.code).toBe(EXIT.refused);
    expect(missing.err).toMatch(/^kasir: 404 resource_missing: .*\(traceId \w+\)/);
  });

  it('simulate pay, fail and expire settle a sandbox session; a final one is refused with 1', async () => {
    const created = async () =>
      (await live.h.api('POST', '/v2/payments', seedAutoConfirmBody(), { 'x-request-id': requestId() })).body.data.id;
    const outcomes: [string, string][] = [
      ['pay', 'PAID'],
      ['fail', 'CANCELLED'],
      ['expire', 'EXPIRED'],
    ];
    for (const [action, status] of outcomes) {
      const id = await created();
      const run = await kasir(['simulate', action, id], live.env);
      expect(run, action).toMatchObject({ code: 0, out: `Payment ${id}: ${status}` });
      expect((await live.h.api('GET', `/v2/payments/${id}`)).body.data.status).toBe(status);
    }
    const json = await kasir(['simulate', 'pay', open.id, '--json'], live.env);
    expect(JSON.parse(json.out)).toMatchObject({ id: open.id, status: 'PAID' });
    const again = await kasir(['simulate', 'pay', open.id], live.env);
    expect(again.code).toBe(EXIT.refused);
    expect(again.err).toMatch(/422 invalid_state/);
    expect((await kasir(['simulate', 'pay', open.id, '--amount', '-5'], live.env)).code).toBe(EXIT.usage);
  });

  it("refunds list and get answer as GET /v1/refunds does, and never another merchant's", async () => {
    const refund = (
      await postRefund(live.h, refundBody({ paymentSessionId: paid.id }, { amount: { value: '2500', currency: 'IDR' } }))
    ).body.data;
    const list = await kasir(['refunds', 'list', '--payment-session-id', paid.id, '--json'], live.env);
    const api = await live.h.api('GET', `/v1/refunds?paymentSessionId=${paid.id}`);
    expect(JSON.parse(list.out)).toEqual({ data: api.body.data, pagination: api.body.pagination });
    const text = await kasir(['refunds', 'list', '--status', 'PENDING'], live.env);
    expect(text.out.split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^${refund.id}\\s+PENDING\\s+2500 IDR`)),
      '1 refund; page 1 of 1',
    ]);
    const got = await kasir(['refunds', 'get', refund.id, '--json'], live.env);
    expect(JSON.parse(got.out)).toEqual(refund);
    expect((await kasir(['refunds', 'get', refund.id], live.env)).out).toContain('2500 IDR of 10000 paid');
    const other = await live.h.otherMerchant();
    const secret = await import('../../src/usecases/merchants.ts').then((m) =>
      m.rotateClientSecret(live.h.store.db, other.merchant.id),
    );
    const theirs = await kasir(['refunds', 'get', refund.id], {
      ...live.env,
      KASIR_MERCHANT_ID: other.merchant.id,
      KASIR_MERCHANT_SECRET: secret.clientSecret,
    });
    expect(theirs.code).toBe(EXIT.refused);
    expect(theirs.err).toMatch(/404 resource_missing/);
  });

  it('callbacks list shows each delivery; resend makes one due again', async () => {
    const list = await kasir(['callbacks', 'list', '--payment-session-id', paid.id, '--json'], live.env);
    const api = await live.h.api('GET', `/v2/callbacks?paymentSessionId=${paid.id}`);
    expect(JSON.parse(list.out)).toEqual({ data: api.body.data, pagination: api.body.pagination });
    const events = (await kasir(['callbacks', 'list', '--payment-session-id', paid.id, '--event', 'PAYMENT.PAID'], live.env)).out;
    expect(events.split('\n')).toEqual([
      expect.stringMatching(/PAYMENT\.PAID\s+PENDING\s+0 attempt\(s\)/),
      '1 callback; page 1 of 1',
    ]);
    const id = api.body.data[0].id;
    const resent = await kasir(['callbacks', 'resend', id], live.env);
    expect(resent).toMatchObject({ code: 0, out: expect.stringMatching(new RegExp(`^Callback ${id} .* is due again now`)) });
    expect((await kasir(['callbacks', 'resend', 'nope'], live.env)).code).toBe(EXIT.refused);
  });

  it('takes the connection from flags, then the environment, then a profile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kasir-profiles-'));
    const profile = { baseUrl: live.baseUrl, merchantId: live.h.merchant.id, merchantSecret: live.h.merchantSecret };
    writeFileSync(
      join(dir, 'profiles.json'),
      JSON.stringify({ default: profile, broken: { ...profile, merchantSecret: 'wrong' } }),
    );
    const fromDefault = await kasir(['payments', 'get', paid.id], { KASIR_CONFIG_DIR: dir });
    expect(fromDefault.code).toBe(0);
    // The environment beats the profile, a flag beats the environment.
    const envWins = await kasir(['payments', 'get', paid.id], { KASIR_CONFIG_DIR: dir, KASIR_MERCHANT_SECRET: 'wrong' });
    expect(envWins.code).toBe(EXIT.refused);
    expect(envWins.err).toMatch(/401 credentials_invalid/);
    const flagWins = await kasir(['payments', 'get', paid.id, '--merchant-secret', live.h.merchantSecret], {
      KASIR_CONFIG_DIR: dir,
      KASIR_MERCHANT_SECRET: 'wrong',
    });
    expect(flagWins.code).toBe(0);
    expect((await kasir(['payments', 'get', paid.id, '--profile', 'broken'], { KASIR_CONFIG_DIR: dir })).code).toBe(EXIT.refused);
    const unknown = await kasir(['payments', 'get', paid.id, '--profile', 'nope'], { KASIR_CONFIG_DIR: dir });
    expect(unknown).toMatchObject({ code: EXIT.usage, err: expect.stringMatching(/no profile "nope"/) });
    const none = await kasir(['payments', 'list'], { KASIR_CONFIG_DIR: '/nonexistent-kasir-config' });
    expect(none).toMatchObject({ code: EXIT.usage, err: expect.stringMatching(/no merchant credentials/) });
  });

  it('exits 3 when Kasir is unreachable or answers 5xx', async () => {
    const port = await closedPort();
    const down = await kasir(['payments', 'list'], { ...live.env, KASIR_BASE_URL: `http://127.0.0.1:${port}` });
    expect(down.code).toBe(EXIT.unavailable);
    expect(down.err).toMatch(/^kasir: Kasir is unreachable/);
    const failing: typeof fetch = async () =>
      new Response(JSON.stringify({ code: 'service_unavailable', message: 'down', error: { traceId: 't' } }), {
        status: 503,
        headers: { 'content-type': 'application/json', 'retry-after': '0' },
      });
    const unavailable = await kasir(['payments', 'list'], live.env, { fetch: failing });
    expect(unavailable.code).toBe(EXIT.unavailable);
    expect(unavailable.err).toMatch(/503 service_unavailable/);
  });
});
