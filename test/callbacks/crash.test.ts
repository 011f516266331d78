// SIGKILL while sessions are being paid and callbacks are in flight: after a restart every committed
// transition's callback still reaches the merchant (the outbox row was in the state change's
// transaction; a send cut off mid-way is taken again when its lease runs out).
import { afterAll, describe, expect, it } from 'vitest';
import { DB_KINDS, openTestStore, requestId, type TestStore } from '../helpers/harness.ts';
import { seedAutoConfirmBody } from '../helpers/bodies.ts';
import { client, startKasir, stopped, type Kasir } from './child.ts';
import { startReceiver } from './receiver.ts';

const MERCHANT = { id: 'crash-merchant', secret: 'crash-secret-0123456789' };

describe.each(DB_KINDS)('crash safety on %s', (kind) => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c().catch(() => {});
  });

  it('loses no callback when the server is SIGKILLed mid-load', async () => {
    const receiver = await startReceiver(() => ({ delayMs: 150 })); // slow: a backlog builds up
    cleanup.push(() => receiver.close());
    const store: TestStore = await openTestStore(kind);
    cleanup.push(() => store.destroy());
    const env = {
      DATABASE_URL: store.databaseUrl,
      ...(store.schema && { KASIR_DATABASE_SCHEMA: store.schema }),
      KASIR_ENV: 'sandbox',
      KASIR_MERCHANT_ID: MERCHANT.id,
      KASIR_MERCHANT_SECRET: MERCHANT.secret,
      KASIR_CALLBACK_URL: receiver.url,
      // Generous: on a loaded machine a 1 s send timeout and three quick retries can spend a callback
      // (FAILED) before the receiver gets to answer, which is not what this test is about.
      KASIR_CALLBACK_TIMEOUT_MS: '5000',
      KASIR_CALLBACK_POLL_MS: '50',
      KASIR_CALLBACK_RETRY_SCHEDULE: '100ms,200ms,500ms,1s,2s,5s',
    };
    let kasir: Kasir = await startKasir(env);
    cleanup.push(async () => void kasir.proc.kill('SIGKILL'));
    const api = await client(kasir.base, MERCHANT.id, MERCHANT.secret);

    const acknowledgedPaid: string[] = [];
    let stop = false;
    // The moment to pull the plug: enough payments acknowledged, and a callback sent within the last
    // 100 ms, which the receiver (answering after 150 ms) has not answered yet, so a send is cut off.
    let loaded!: () => void;
    const underLoad = new Promise<void>((resolve) => (loaded = resolve));
    const worker = async () => {
      while (!stop) {
        try {
          const created = await api.call('POST', '/v2/payments', seedAutoConfirmBody(), { 'x-request-id': requestId() });
          if (created.status !== 200) continue;
          const paid = await api.call('POST', '/v2/payments/simulations', {
            paymentSessionId: created.body.data.id,
            chargeStatus: 'SUCCESS',
          });
          if (paid.status === 200) acknowledgedPaid.push(created.body.data.id);
          if (acknowledgedPaid.length > 20 && receiver.received.some((r) => Date.now() - r.at < 100)) loaded();
        } catch {
          return; // the server is gone
        }
      }
    };
    const workers = Array.from({ length: 6 }, worker);
    await Promise.race([
      underLoad,
      new Promise((_, reject) =>
        setTimeout(
          () => reject(new Error(`no load after 60 s: ${acknowledgedPaid.length} paid\n${kasir.output()}`)),
          60_000,
        ).unref(),
      ),
    ]);
    kasir.proc.kill('SIGKILL');
    stop = true;
    await stopped(kasir);
    await Promise.all(workers);

    const rows = () => store.db.selectFrom('callbacks').select(['id', 'resource_id', 'event', 'status']).execute();
    const atCrash = await rows();
    const unfinished = atCrash.filter((r) => r.status !== 'DELIVERED');
    expect(acknowledgedPaid.length).toBeGreaterThan(20);
    expect(unfinished.length, 'the crash should leave callbacks undelivered').toBeGreaterThan(0);
    expect(
      atCrash.some((r) => r.status === 'DELIVERING'),
      'and some mid-send',
    ).toBe(true);

    // The dead process's leases would run out on their own after the send timeout plus a margin (10 s);
    // a separate process's clock cannot be moved, so the test ages them instead, as if that time had passed.
    await store.db
      .updateTable('callbacks')
      .set({ lease_until: Date.now() - 1 })
      .where('status', '=', 'DELIVERING')
      .execute();
    receiver.answer = () => ({});
    const restartedAt = receiver.received.length;
    kasir = await startKasir(env);
    // Every callback the crash left unfinished arrives again after the restart (a send cut off mid-way
    // may have reached the receiver before, but its outcome was never recorded).
    await receiver
      .waitFor((received) => {
        const resent = new Set(received.slice(restartedAt).map((r) => String(r.headers['webhook-id'])));
        return unfinished.every((row) => resent.has(row.id));
      }, 60_000)
      .catch(async (error: Error) => {
        const resent = new Set(receiver.received.slice(restartedAt).map((r) => String(r.headers['webhook-id'])));
        const missing = unfinished.filter((row) => !resent.has(row.id)).map((row) => row.id);
        const now = await store.db.selectFrom('callbacks').selectAll().where('id', 'in', missing).execute();
        throw new Error(`${error.message}\nnot resent: ${JSON.stringify(now)}\n${kasir.output()}`);
      });
    // A graceful stop lets the last sends record their outcome.
    kasir.proc.kill('SIGTERM');
    await stopped(kasir);

    const all = await rows();
    expect(all.filter((r) => r.status !== 'DELIVERED')).toEqual([]);
    const receivedIds = new Set(receiver.received.map((r) => String(r.headers['webhook-id'])));
    for (const row of all) expect(receivedIds.has(row.id), `${row.event} of ${row.resource_id}`).toBe(true);
    const paidEvents = new Set(receiver.received.filter((r) => r.json.event === 'PAYMENT.PAID').map((r) => r.json.data.id));
    for (const id of acknowledgedPaid) expect(paidEvents.has(id), `PAYMENT.PAID for ${id}`).toBe(true);
    // Every session with a committed PAID row has its callback row (same transaction).
    const paidSessions = await store.db.selectFrom('payment_sessions').select('id').where('status', '=', 'PAID').execute();
    const paidRows = new Set(all.filter((r) => r.event === 'PAYMENT.PAID').map((r) => r.resource_id));
    for (const s of paidSessions) expect(paidRows.has(s.id)).toBe(true);
  });
});
