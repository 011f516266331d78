// Three Kasir processes on one PostgreSQL: each callback is claimed by exactly one of them
// (FOR UPDATE SKIP LOCKED), so with a healthy receiver each is delivered exactly once.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { DB_KINDS, openTestStore, requestId, type TestStore } from '../helpers/harness.ts';
import { seedAutoConfirmBody } from '../helpers/bodies.ts';
import { enqueueCallbacks } from '../../src/store/outbox.ts';
import { createMerchant } from '../../src/usecases/merchants.ts';
import { client, startKasir, stopped, type Kasir } from './child.ts';
import { startReceiver } from './receiver.ts';

describe.runIf(DB_KINDS.includes('postgres'))('several instances on one PostgreSQL', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c().catch(() => {});
  });

  it('deliver each callback exactly once between them', async () => {
    const receiver = await startReceiver(() => ({ delayMs: 5 }));
    cleanup.push(() => receiver.close());
    const store: TestStore = await openTestStore('postgres');
    cleanup.push(() => store.destroy());
    const { merchant, clientSecret } = await createMerchant(store.db, { name: 'Shared', callbackUrl: receiver.url });
    const env = {
      DATABASE_URL: store.databaseUrl,
      KASIR_DATABASE_SCHEMA: store.schema!,
      KASIR_ENV: 'sandbox',
      KASIR_TOKEN_SECRET: 'multi-instance-token-secret-0123456789abcdef',
      KASIR_CALLBACK_POLL_MS: '10',
      KASIR_CALLBACK_RETRY_SCHEDULE: '100ms,200ms',
    };
    const instances: Kasir[] = await Promise.all([startKasir(env), startKasir(env), startKasir(env)]);
    cleanup.push(async () => instances.forEach((k) => k.proc.kill('SIGKILL')));

    // Outbox rows written straight into the shared table: all three pollers race for the same rows. Each
    // batch goes in once the previous one is being delivered, so rows arrive while claims are under way.
    const direct = 600;
    for (let batch = 0; batch < 6; batch++) {
      const now = new Date();
      const before = receiver.received.length;
      await enqueueCallbacks(
        store.db,
        Array.from({ length: direct / 6 }, () => ({
          id: `cb_${randomUUID()}`,
          merchantId: merchant.id,
          resource: { type: 'payment_session' as const, id: randomUUID() },
          event: 'PAYMENT.PAID' as const,
          payload: JSON.stringify({ event: 'PAYMENT.PAID', data: { id: 'synthetic' } }),
        })),
        now,
      );
      await receiver.waitFor((r) => r.length > before);
    }
    // And real payments, spread over the three instances.
    const clients = await Promise.all(instances.map((k) => client(k.base, merchant.id, clientSecret)));
    for (let i = 0; i < 60; i++) {
      const api = clients[i % 3]!;
      const created = await api.call('POST', '/v2/payments', seedAutoConfirmBody(), { 'x-request-id': requestId() });
      expect(created.status).toBe(200);
      const paid = await clients[(i + 1) % 3]!.call('POST', '/v2/payments/simulations', {
        paymentSessionId: created.body.data.id,
        chargeStatus: 'SUCCESS',
      });
      expect(paid.status).toBe(200);
    }
    const total = direct + 120;

    const ids = await store.db.selectFrom('callbacks').select('id').execute();
    expect(ids).toHaveLength(total);
    await receiver.waitFor((r) => new Set(r.map((x) => String(x.headers['webhook-id']))).size >= total, 60_000);
    // Stopping every instance lets its sends in flight finish and be recorded; after that nothing can
    // arrive, so a double claim has shown up by now as a second request.
    for (const k of instances) k.proc.kill('SIGTERM');
    await Promise.all(instances.map(stopped));
    const undelivered = await store.db
      .selectFrom('callbacks')
      .select(['id', 'status'])
      .where('status', '!=', 'DELIVERED')
      .execute();
    expect(undelivered).toEqual([]);

    const perId = new Map<string, number>();
    for (const r of receiver.received) {
      const id = String(r.headers['webhook-id']);
      perId.set(id, (perId.get(id) ?? 0) + 1);
    }
    expect(perId.size).toBe(total);
    const duplicates = [...perId.entries()].filter(([, n]) => n > 1);
    expect(duplicates).toEqual([]);
    const attempts = await store.db
      .selectFrom('callback_attempts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(attempts.n)).toBe(total);
    // More than one instance did the work (each has its own connection pool, so its own sockets).
    const sockets = new Set(receiver.received.map((r) => r.remotePort));
    expect(sockets.size).toBeGreaterThan(1);
  });
});
