// The Overview's numbers on a known data set spread over three days in Jakarta (the harness clock moved
// across midnights), on both databases: counts, conversion, amounts per currency, the method and channel
// splits, the daily series and its first day's boundary, callbacks' success rate and the oldest undelivered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overviewStats, type OverviewStats, type Tally } from '../../../src/usecases/dashboard/overview.ts';
import { addDays, dateIn, formatCalendarDate, startOfDay } from '../../../src/usecases/dashboard/days.ts';
import { DB_KINDS, makeHarness, type Harness } from '../../helpers/harness.ts';
import { bodyOf, create, pay } from './fixtures.ts';

const TZ = 'Asia/Jakarta';

const tally = (created: number, paid: number, amountPaid: Record<string, number>): Tally => ({
  created,
  paid,
  conversion: created === 0 ? null : paid / created,
  amountPaid,
});

describe.each(DB_KINDS)('overview stats on %s', (kind) => {
  let h: Harness;
  let stats: OverviewStats;
  let firstCallbackId: string;
  let callbackTotal: number;

  beforeAll(async () => {
    h = await makeHarness(kind);
    // To 01:00 in Jakarta on the next day (D1), then a day at a time: D2, D3 (today).
    const now = h.clock.now().getTime();
    h.clock.advance(startOfDay(TZ, addDays(dateIn(TZ, now), 1)) + 3600_000 - now);
    // A token per day: the harness's own would have expired.
    let token = await h.tokens.issueAccessToken(h.merchant.id, h.clock.now());
    const nextDay = async () => {
      h.clock.advance(24 * 3600_000);
      token = await h.tokens.issueAccessToken(h.merchant.id, h.clock.now());
    };

    // D1: VA PERMATA paid 10,000; VA BCA unpaid; QR paid 25,000.
    await pay(h, await create(h, bodyOf(h, 'va'), token), { token });
    await create(h, bodyOf(h, 'va', {}, 'BCA'), token);
    await pay(h, await create(h, bodyOf(h, 'qr', { amount: { value: 25_000, currency: 'IDR' } }), token), { token });
    await nextDay();
    // D2: DANA paid 50,000; one without a method.
    await pay(h, await create(h, bodyOf(h, 'ewallet', {}, 'DANA'), token), { token });
    await create(h, bodyOf(h, 'later'), token);
    await nextDay();
    // D3: VA PERMATA paid 10,000; a static QR paid twice (5,000 and 7,000).
    await pay(h, await create(h, bodyOf(h, 'va'), token), { token });
    const multiple = await create(h, bodyOf(h, 'multiple'), token);
    await pay(h, multiple, { token, amount: 5_000 });
    await pay(h, multiple, { token, amount: 7_000 });

    // Another merchant's paid session the same day: never counted.
    const other = await h.otherMerchant();
    const otherToken = await h.tokens.issueAccessToken(other.merchant.id, h.clock.now());
    await pay(h, await create(h, bodyOf(h, 'va'), otherToken), { token: otherToken });

    // The 30 days start at midnight 29 days before today: a session then counts, one a millisecond earlier not.
    const db = h.store.db;
    const template = await db
      .selectFrom('payment_sessions')
      .selectAll()
      .where('merchant_id', '=', h.merchant.id)
      .where('method_type', 'is', null)
      .executeTakeFirstOrThrow();
    const firstDay = startOfDay(TZ, addDays(dateIn(TZ, h.clock.now().getTime()), -29));
    await db
      .insertInto('payment_sessions')
      .values([
        { ...template, id: `${template.id.slice(0, 30)}early1`, client_reference_id: 'early-1', created_at: firstDay },
        { ...template, id: `${template.id.slice(0, 30)}early2`, client_reference_id: 'early-2', created_at: firstDay - 1 },
      ])
      .execute();

    // Callbacks: the oldest still waiting, the next given up on, the rest delivered.
    const ids = (
      await db
        .selectFrom('callbacks')
        .select('id')
        .where('merchant_id', '=', h.merchant.id)
        .orderBy('created_at')
        .orderBy('id')
        .execute()
    ).map((r) => r.id);
    callbackTotal = ids.length;
    firstCallbackId = ids[0]!;
    await db.updateTable('callbacks').set({ status: 'FAILED' }).where('id', '=', ids[1]!).execute();
    await db.updateTable('callbacks').set({ status: 'DELIVERED' }).where('id', 'in', ids.slice(2)).execute();

    h.clock.advance(60_000);
    stats = await overviewStats(h.ctx, h.merchant.id);
  });
  afterAll(async () => h?.close());

  it('counts today and the last 30 days in Jakarta', () => {
    expect(stats.timezone).toBe(TZ);
    expect(stats.today).toMatchObject(tally(2, 2, { IDR: 22_000 }));
    expect(stats.last30Days).toMatchObject(tally(8, 5, { IDR: 107_000 }));
    const todayStart = startOfDay(TZ, dateIn(TZ, h.clock.now().getTime()));
    expect(stats.today.from).toBe(new Date(todayStart).toISOString());
    expect(new Date(stats.today.from).getUTCHours()).toBe(17); // midnight in Jakarta
  });

  it('splits by method and by bank/channel', () => {
    const byMethod = Object.fromEntries(stats.last30Days.byMethod.map(({ methodType, ...t }) => [String(methodType), t]));
    expect(byMethod).toEqual({
      VIRTUAL_ACCOUNT: tally(3, 2, { IDR: 20_000 }),
      QR: tally(2, 2, { IDR: 37_000 }),
      EWALLET: tally(1, 1, { IDR: 50_000 }),
      null: tally(2, 0, {}),
    });
    const byChannel = Object.fromEntries(stats.last30Days.byChannel.map(({ channel, ...t }) => [String(channel), t]));
    expect(byChannel).toEqual({
      PERMATA: tally(2, 2, { IDR: 20_000 }),
      BCA: tally(1, 0, {}),
      DANA: tally(1, 1, { IDR: 50_000 }),
      null: tally(4, 2, { IDR: 37_000 }),
    });
    const todayByMethod = Object.fromEntries(stats.today.byMethod.map(({ methodType, ...t }) => [String(methodType), t]));
    expect(todayByMethod).toEqual({ VIRTUAL_ACCOUNT: tally(1, 1, { IDR: 10_000 }), QR: tally(1, 1, { IDR: 12_000 }) });
  });

  it('gives a daily series of 30 days, today last, the first day from its midnight', () => {
    expect(stats.daily).toHaveLength(30);
    const today = dateIn(TZ, h.clock.now().getTime());
    expect(stats.daily.map((d) => d.date)).toEqual(
      Array.from({ length: 30 }, (_, i) => formatCalendarDate(addDays(today, i - 29))),
    );
    const { date: _first, ...first } = stats.daily[0]!;
    expect(first).toEqual(tally(1, 0, {}));
    expect(stats.daily.slice(-3).map(({ date: _d, ...t }) => t)).toEqual([
      tally(3, 2, { IDR: 35_000 }),
      tally(2, 1, { IDR: 50_000 }),
      tally(2, 2, { IDR: 22_000 }),
    ]);
    expect(stats.daily.slice(1, -3).every((d) => d.created === 0 && d.paid === 0)).toBe(true);
  });

  it('reports callbacks’ success rate and the oldest undelivered', () => {
    expect(stats.callbacks.last30Days).toEqual({ delivered: callbackTotal - 2, failed: 1, pending: 1, delivering: 0 });
    expect(stats.callbacks.successRate).toBeCloseTo((callbackTotal - 2) / (callbackTotal - 1), 10);
    expect(stats.callbacks.oldestUndelivered).toMatchObject({
      id: firstCallbackId,
      status: 'PENDING',
      resourceType: 'payment_session',
      event: 'PAYMENT.PROCESSING',
    });
  });

  it('answers for another timezone, and refuses an unknown one', async () => {
    const utc = await overviewStats(h.ctx, h.merchant.id, 'UTC');
    expect(utc.timezone).toBe('UTC');
    expect(new Date(utc.today.from).getUTCHours()).toBe(0);
    await expect(overviewStats(h.ctx, h.merchant.id, 'Jakarta')).rejects.toMatchObject({ kind: 'validation' });
  });

  it('shows nothing of another merchant’s, and zeros for a merchant without payments', async () => {
    const other = await h.otherMerchant();
    const empty = await overviewStats(h.ctx, other.merchant.id);
    expect(empty.last30Days).toMatchObject(tally(0, 0, {}));
    expect(empty.daily.every((d) => d.created === 0)).toBe(true);
    expect(empty.callbacks).toEqual({
      last30Days: { delivered: 0, failed: 0, pending: 0, delivering: 0 },
      successRate: null,
      oldestUndelivered: null,
    });
  });
});
