// `kasir refunds list|get`: an operator reads a merchant's refunds from the database, as GET /v1/refunds
// shows them, and never another merchant's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { makeHarness, type Harness } from '../helpers/harness.ts';
import { paidSession, postRefund, refundBody } from '../helpers/refunds.ts';

function io(env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), env } };
}

describe('kasir refunds', () => {
  let h: Harness;
  let env: Record<string, string>;
  let refunds: any[];
  let sessionId: string;
  beforeAll(async () => {
    h = await makeHarness('sqlite');
    env = { DATABASE_URL: h.store.databaseUrl };
    const session = await paidSession(h);
    sessionId = session.id;
    refunds = [];
    for (const value of ['1000', '2500']) {
      h.clock.advance(1000);
      refunds.push(
        (await postRefund(h, refundBody({ paymentSessionId: session.id }, { amount: { value, currency: 'IDR' } }))).body.data,
      );
    }
    refunds[0] = (await h.api('POST', '/v1/refunds/simulations', { refundId: refunds[0].id, status: 'SUCCESS' })).body.data;
  });
  afterAll(async () => h.close());

  it('list --json answers what GET /v1/refunds answers', async () => {
    const run = io(env);
    expect(await runCli(['refunds', 'list', '--merchant', h.merchant.id, '--json'], run.io)).toBe(0);
    const api = await h.api('GET', '/v1/refunds');
    expect(JSON.parse(run.out.join('\n'))).toEqual({ data: api.body.data, pagination: api.body.pagination });
  });

  it('list filters and prints one line per refund', async () => {
    const run = io(env);
    expect(
      await runCli(
        ['refunds', 'list', '--merchant', h.merchant.id, '--payment-session-id', sessionId, '--status', 'SUCCESS'],
        run.io,
      ),
    ).toBe(0);
    const lines = run.out.join('\n').split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(refunds[0].id);
    expect(lines[0]).toMatch(/SUCCESS\s+1000 IDR\s+ACCOUNT/);
    expect(lines[1]).toBe('1 refund; page 1 of 1');
  });

  it('get prints one refund; --json is its Refund Object', async () => {
    const text = io(env);
    expect(await runCli(['refunds', 'get', '--merchant', h.merchant.id, '--refund', refunds[1].id], text.io)).toBe(0);
    expect(text.out.join('\n')).toContain(`Refund ${refunds[1].id}: PENDING`);
    expect(text.out.join('\n')).toContain('2500 IDR of 10000 paid');
    const json = io(env);
    expect(await runCli(['refunds', 'get', '--merchant', h.merchant.id, '--refund', refunds[1].id, '--json'], json.io)).toBe(0);
    expect(JSON.parse(json.out.join('\n'))).toEqual(refunds[1]);
  });

  it("refuses a missing option, a bad status, an unknown merchant and another merchant's refund", async () => {
    const missing = io(env);
    expect(await runCli(['refunds', 'get', '--merchant', h.merchant.id], missing.io)).toBe(2);
    expect(missing.err.join()).toMatch(/--refund are required/);
    const status = io(env);
    expect(await runCli(['refunds', 'list', '--merchant', h.merchant.id, '--status', 'DONE'], status.io)).toBe(2);
    const perPage = io(env);
    expect(await runCli(['refunds', 'list', '--merchant', h.merchant.id, '--per-page', '101'], perPage.io)).toBe(2);
    const unknown = io(env);
    expect(await runCli(['refunds', 'list', '--merchant', 'nobody'], unknown.io)).toBe(1);
    expect(unknown.err.join()).toMatch(/No merchant with id nobody/);
    const other = await h.otherMerchant();
    const theirs = io(env);
    expect(await runCli(['refunds', 'get', '--merchant', other.merchant.id, '--refund', refunds[0].id], theirs.io)).toBe(1);
    expect(theirs.err.join()).toMatch(/cannot be found/);
    const none = io(env);
    expect(await runCli(['refunds', 'list', '--merchant', other.merchant.id], none.io)).toBe(0);
    expect(none.out.join('\n')).toBe('0 refunds; page 1 of 1');
  });
});
