import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expireDueSessions, purgeIdempotencyKeys } from '../../src/usecases/expire-sessions.ts';
import { DB_KINDS, makeHarness, requestId, type Harness } from '../helpers/harness.ts';
import { seedAutoConfirmBody, seedConfirmLaterBody } from '../helpers/bodies.ts';
import { fixedVaNumber } from '../helpers/va-numbers.ts';

describe.each(DB_KINDS)('the expiry sweeper on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness(kind);
  });
  afterAll(async () => h.close());

  it('records EXPIRED for sessions past expiryAt, frees their VA numbers and owes PAYMENT.CANCELLED', async () => {
    const soon = new Date(Date.now() + 60_000).toISOString();
    const a = (
      await h.api(
        'POST',
        '/v2/payments',
        seedAutoConfirmBody({
          expiryAt: soon,
          paymentMethodOptions: {
            virtualAccount: {
              channel: 'BNI',
              virtualAccountNumber: await fixedVaNumber(h.store.db, h.merchant.id, 'BNI', 12345),
            },
          },
        }),
        { 'x-request-id': requestId() },
      )
    ).body.data;
    const b = (await h.api('POST', '/v2/payments', seedConfirmLaterBody({ expiryAt: soon }), { 'x-request-id': requestId() }))
      .body.data;
    const c = (await h.api('POST', '/v2/payments', seedConfirmLaterBody(), { 'x-request-id': requestId() })).body.data;
    expect(await expireDueSessions(h.ctx)).toBe(0);
    h.clock.advance(61_000);
    expect(await expireDueSessions(h.ctx)).toBe(2);
    expect(await expireDueSessions(h.ctx)).toBe(0);
    const rows = await h.store.db
      .selectFrom('payment_sessions')
      .select(['id', 'status'])
      .where('id', 'in', [a.id, b.id, c.id])
      .execute();
    const status = Object.fromEntries(rows.map((r) => [r.id, r.status]));
    expect(status).toEqual({ [a.id]: 'EXPIRED', [b.id]: 'EXPIRED', [c.id]: 'REQUIRE_PAYMENT_METHOD' });
    const va = await h.store.db.selectFrom('va_numbers').selectAll().where('session_id', '=', a.id).execute();
    expect(va).toEqual([]);
    const callbacks = await h.store.db
      .selectFrom('callbacks')
      .select(['resource_id', 'event', 'payload'])
      .where('resource_id', 'in', [a.id, b.id])
      .where('event', '=', 'PAYMENT.CANCELLED')
      .execute();
    expect(callbacks).toHaveLength(2);
    expect(JSON.parse(callbacks[0]!.payload).data.status).toBe('EXPIRED');
  });

  it('purges idempotency records once their 24 hours are over, and only then', async () => {
    const count = async () =>
      Number(
        (
          await h.store.db
            .selectFrom('idempotency_keys')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    await h.api('POST', '/v2/payments', seedConfirmLaterBody(), { 'x-request-id': requestId() });
    const before = await count();
    expect(before).toBeGreaterThan(0);
    expect(await purgeIdempotencyKeys(h.ctx)).toBe(0);
    h.clock.advance(24 * 3600_000 + 1000);
    expect(await purgeIdempotencyKeys(h.ctx)).toBe(before);
    expect(await count()).toBe(0);
  });
});
