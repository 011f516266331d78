import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
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

  /** `count` autoConfirm VA sessions (REQUIRE_ACTION) that expire in a minute, by the harness clock. */
  async function dueSoon(count: number): Promise<string[]> {
    const expiryAt = new Date(h.clock.now().getTime() + 60_000).toISOString();
    const ids: string[] = [];
    for (let i = 0; i < count; i += 25) {
      const chunk = Math.min(25, count - i);
      const created = await Promise.all(
        Array.from({ length: chunk }, () =>
          h.api('POST', '/v2/payments', seedAutoConfirmBody({ expiryAt }), { 'x-request-id': requestId() }),
        ),
      );
      for (const res of created) {
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        ids.push(res.body.data.id);
      }
    }
    return ids;
  }

  const rowsOf = (ids: string[]) =>
    Promise.all([
      h.store.db.selectFrom('payment_sessions').select(['id', 'status']).where('id', 'in', ids).execute(),
      h.store.db.selectFrom('callbacks').select(['resource_id', 'event']).where('resource_id', 'in', ids).execute(),
      h.store.db.selectFrom('va_numbers').select('session_id').where('session_id', 'in', ids).execute(),
    ]);

  it('works off a backlog in batches in one call: every session EXPIRED, one callback each, every number freed', async () => {
    const ids = await dueSoon(130);
    h.clock.advance(61_000);
    try {
      expect(await expireDueSessions(h.ctx, { batchSize: 20 })).toBe(130);
      const [sessions, callbacks, held] = await rowsOf(ids);
      expect(sessions.map((r) => r.status)).toEqual(ids.map(() => 'EXPIRED'));
      const cancelled = callbacks.filter((c) => c.event === 'PAYMENT.CANCELLED').map((c) => c.resource_id);
      expect(cancelled.sort()).toEqual([...ids].sort());
      expect(held).toEqual([]);
      expect(await expireDueSessions(h.ctx, { batchSize: 20 })).toBe(0);
    } finally {
      h.clock.advance(-61_000);
    }
  });

  it('answers requests while it works off a backlog, between its batches', async () => {
    await dueSoon(200);
    h.clock.advance(61_000);
    try {
      let sweptAt = 0;
      const sweep = expireDueSessions(h.ctx, { batchSize: 10 }).then((n) => ((sweptAt = performance.now()), n));
      const answered = await h.app.inject({ method: 'GET', url: '/healthz' });
      const answeredAt = performance.now();
      expect(answered.statusCode).toBe(200);
      expect(await sweep).toBe(200);
      expect(answeredAt).toBeLessThan(sweptAt);
    } finally {
      h.clock.advance(-61_000);
    }
  });

  it('expires a batch and writes its callbacks in one transaction: a failed callback write leaves the batch open', async () => {
    const ids = await dueSoon(30);
    h.clock.advance(61_000);
    try {
      // The batch's callback rows cannot be written, after every session of it was changed: none may stay.
      const faulty = { ...h.ctx, db: h.store.db.withPlugin(new FailNthInsert('callbacks', 1)) };
      await expect(expireDueSessions(faulty, { batchSize: 50 })).rejects.toThrow('injected');
      const [sessions, callbacks] = await rowsOf(ids);
      expect(sessions.map((r) => r.status)).toEqual(ids.map(() => 'REQUIRE_ACTION'));
      expect(callbacks.filter((c) => c.event === 'PAYMENT.CANCELLED')).toEqual([]);
      expect(await expireDueSessions(h.ctx)).toBe(30);
    } finally {
      h.clock.advance(-61_000);
    }
  });

  it('a session paid while the sweep runs is never expired, and an expired one is never paid', async () => {
    const ids = await dueSoon(120);
    // The sweeper's clock is past the expiry; the API's is not, so payments and the sweep really race.
    const late = new Date(h.clock.now().getTime() + 61_000);
    const sweeper = { ...h.ctx, now: () => late };
    const pay = (id: string) => h.api('POST', '/v2/payments/simulations', { paymentSessionId: id, chargeStatus: 'SUCCESS' });
    // Four payers work from the newest session back while the sweep works from the oldest on: they meet
    // somewhere in the middle, on sessions both want.
    const answers = new Map<string, Awaited<ReturnType<typeof pay>>>();
    const queue = [...ids].reverse();
    const payer = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) answers.set(id, await pay(id));
    };
    const sweep = async () => {
      while ((await expireDueSessions(sweeper, { batchSize: 3, maxBatches: 1 })) > 0 || queue.length > 0) {
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    await Promise.all([payer(), payer(), payer(), payer(), sweep()]);
    await expireDueSessions(sweeper);
    const [sessions, callbacks] = await rowsOf(ids);
    const status = new Map(sessions.map((r) => [r.id, r.status]));
    const events = (id: string) => callbacks.filter((c) => c.resource_id === id).map((c) => c.event);
    let paid = 0;
    for (const id of ids) {
      const res = answers.get(id)!;
      if (res.status === 200) {
        paid++;
        expect(status.get(id)).toBe('PAID');
        expect(events(id).sort()).toEqual(['PAYMENT.PAID', 'PAYMENT.PROCESSING']);
      } else {
        expect(res.status, JSON.stringify(res.body)).toBe(422);
        expect(res.body.code).toBe('payment_session_expired');
        expect(status.get(id)).toBe('EXPIRED');
        expect(events(id).sort()).toEqual(['PAYMENT.CANCELLED', 'PAYMENT.PROCESSING']);
      }
    }
    // Both sides won some: the test raced, it did not run one side after the other.
    expect(paid).toBeGreaterThan(0);
    expect(paid).toBeLessThan(ids.length);
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

/** Makes the n-th INSERT into `table` fail, as a full disk or a lost connection would. */
class FailNthInsert implements KyselyPlugin {
  #seen = 0;
  constructor(
    private readonly table: string,
    private readonly n: number,
  ) {}
  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    if (node.kind === 'InsertQueryNode' && node.into?.table.identifier.name === this.table && ++this.#seen === this.n) {
      throw new Error('injected failure');
    }
    return node;
  }
  async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return result;
  }
}
