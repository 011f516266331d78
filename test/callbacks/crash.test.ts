// SIGKILL while sessions are being paid and callbacks are in flight: after a restart every committed
// transition's callback still reaches the merchant (the outbox row was in the state change's
// transaction; a send cut off mid-way is taken again when its lease runs out).
import { afterAll, describe, expect, it } from 'vitest';
import { DB_KINDS, openTestStore, requestId, type TestStore } from '../helpers/harness.ts';
import { seedAutoConfirmBody } from '../helpers/bodies.ts';
import { client, startKasir, stopped, type Kasir } from './child.ts';
import { sleep, startReceiver } from './receiver.ts';

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
      KASIR_CALLBACK_TIMEOUT_MS: '1000',
      KASIR_CALLBACK_POLL_MS: '50',
      KASIR_CALLBACK_RETRY_SCHEDULE: '100ms,200ms,500ms',
    };
    let kasir: Kasir = await startKasir(env);
    cleanup.push(async () => void kasir.proc.kill('SIGKILL'));
    const api = await client(kasir.base, MERCHANT.id, MERCHANT.secret);

    const acknowledgedPaid: string[] = [];
    let stop = false;
    const worker = async () => {
      while (!stop) {
        try {
          const created = await api.call('POST', '/v2/payments', seedAutoConfirmBody(), { 'x-request-id': requestId() });
          if (created.status !== 200) continue;
          const paid = await api.call('POST', '/v2/payments/simulations', { paymentSessionId: created.body.data.id, chargeStatus: 'SUCCESS' });
          if (paid.status === 200) acknowledgedPaid.push(created.body.data.id);
        } catch {
          return; // the server is gone
        }
      }
    };
    const workers = Array.from({ length: 6 }, worker);
    await sleep(2500);
    kasir.proc.kill('SIGKILL');
    stop = true;
    await stopped(kasir);
    await Promise.all(workers);

    const rows = () => store.db.selectFrom('callbacks').select(['id', 'session_id', 'event', 'status']).execute();
    const atCrash = await rows();
    const unfinished = atCrash.filter((r) => r.status !== 'DELIVERED');
    expect(acknowledgedPaid.length).toBeGreaterThan(20);
    expect(unfinished.length, 'the crash should leave callbacks undelivered').toBeGreaterThan(0);
    expect(atCrash.some((r) => r.status === 'DELIVERING'), 'and some mid-send').toBe(true);

    receiver.answer = () => ({});
    kasir = await startKasir(env);
    const deadline = Date.now() + 30_000;
    while ((await rows()).some((r) => r.status !== 'DELIVERED')) {
      if (Date.now() > deadline) throw new Error(`not all delivered: ${JSON.stringify((await rows()).filter((r) => r.status !== 'DELIVERED').slice(0, 5))}\n${kasir.output()}`);
      await sleep(100);
    }

    const all = await rows();
    const receivedIds = new Set(receiver.received.map((r) => String(r.headers['webhook-id'])));
    for (const row of all) expect(receivedIds.has(row.id), `${row.event} of ${row.session_id}`).toBe(true);
    const paidEvents = new Set(receiver.received.filter((r) => r.json.event === 'PAYMENT.PAID').map((r) => r.json.data.id));
    for (const id of acknowledgedPaid) expect(paidEvents.has(id), `PAYMENT.PAID for ${id}`).toBe(true);
    // Every session with a committed PAID row has its callback row (same transaction).
    const paidSessions = await store.db.selectFrom('payment_sessions').select('id').where('status', '=', 'PAID').execute();
    const paidRows = new Set(all.filter((r) => r.event === 'PAYMENT.PAID').map((r) => r.session_id));
    for (const s of paidSessions) expect(paidRows.has(s.id)).toBe(true);

    kasir.proc.kill('SIGTERM');
    await stopped(kasir);
  });
});
