// The dashboard's reads go through indexes (migration 0010 for email, channel and method; 0005 and 0008
// for the rest), on both databases: each query a use case really runs is captured and explained, as
// 0005-indexes.test.ts does for the API's lists (SQLite without statistics, PostgreSQL with sequential
// scans off and tables big enough for its planner to choose as in production).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resendUndelivered, undeliveredCallbacks } from '../../../src/usecases/dashboard/callbacks.ts';
import { overviewStats } from '../../../src/usecases/dashboard/overview.ts';
import { searchPayments, type PaymentSearch } from '../../../src/usecases/dashboard/payments.ts';
import { paymentTimeline } from '../../../src/usecases/dashboard/timeline.ts';
import { DB_KINDS, makeHarness, requestId, type Harness } from '../../helpers/harness.ts';
import { ewalletBody, seedAutoConfirmBody, seedConfirmLaterBody } from '../../helpers/bodies.ts';
import { postRefund, refundBody } from '../../helpers/refunds.ts';
import { analyzeTables, explainRun } from '../../helpers/query-plans.ts';

const TABLE_NAMES = ['payment_sessions', 'charges', 'callbacks', 'callback_attempts', 'refunds'];
const TABLES = new RegExp(`^(${TABLE_NAMES.join('|')})$`);

describe.each(DB_KINDS)('dashboard reads use their indexes on %s', (kind) => {
  let h: Harness;
  let sessionId: string;
  let reference: string;

  beforeAll(async () => {
    h = await makeHarness(kind);
    const create = async (body: Record<string, unknown>) => {
      const res = await h.api('POST', '/v2/payments', body, { 'x-request-id': requestId() });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.data as { id: string; clientReferenceId: string };
    };
    for (let i = 0; i < 4; i++) {
      const paid = await create(seedAutoConfirmBody());
      await h.api('POST', '/v2/payments/simulations', { paymentSessionId: paid.id, chargeStatus: 'SUCCESS' });
      await create(seedAutoConfirmBody({ paymentMethodOptions: { virtualAccount: { channel: 'BCA' } } }));
      await create(ewalletBody('DANA'));
      await create(seedConfirmLaterBody());
      if (i === 0) {
        ({ id: sessionId, clientReferenceId: reference } = paid);
        await postRefund(h, refundBody({ paymentSessionId: paid.id }));
      }
    }
    await copyRows(h, 100);
    await analyzeTables(h, TABLE_NAMES);
  });
  afterAll(async () => h?.close());

  const explain = (run: () => Promise<unknown>) => explainRun(h, run, { tables: TABLES, readsOnly: true });

  const search = (filter: PaymentSearch | (() => PaymentSearch)) => () =>
    searchPayments(h.ctx, h.merchant.id, typeof filter === 'function' ? filter() : filter);
  const since = () => new Date(h.clock.now().getTime() - 3600_000);

  // Each case: what runs, the indexes it must read through, and (SQLite, whose planner production gets)
  // the payment_sessions/callbacks index it must use rather than a merchant-wide one.
  const cases: Array<{ name: string; run: () => Promise<unknown>; indexes: string[]; anyOf?: string[]; only?: string }> = [
    { name: 'payments, no filter', run: search({}), indexes: ['payment_sessions_merchant_created', 'charges_session_seq'] },
    {
      name: 'payments by search text (id, reference, email)',
      run: search(() => ({ query: reference })),
      indexes: ['payment_sessions_reference_created', 'payment_sessions_email_created'],
    },
    {
      name: 'payments by email',
      run: search({ query: 'Reforza@Pivot-Payment.com' }),
      indexes: ['payment_sessions_email_created'],
    },
    {
      name: 'payments by status',
      run: search({ status: 'PAID' }),
      indexes: ['payment_sessions_status_created'],
      only: 'payment_sessions_status_created',
    },
    {
      name: 'payments by expired status',
      run: search({ status: 'EXPIRED' }),
      indexes: ['payment_sessions_status_created'],
      // Open sessions past their expiry: the sweeper's index holds exactly those (few: the sweeper ends them).
      anyOf: ['payment_sessions_expiry', 'payment_sessions_status_created'],
    },
    {
      name: 'payments by method',
      run: search({ methodType: 'EWALLET' }),
      indexes: ['payment_sessions_method_created'],
      only: 'payment_sessions_method_created',
    },
    {
      name: 'payments by channel',
      run: search({ channel: 'BCA' }),
      indexes: ['payment_sessions_channel_created'],
      only: 'payment_sessions_channel_created',
    },
    {
      name: 'payments by date range',
      run: search(() => ({ createdFrom: since() })),
      indexes: ['payment_sessions_merchant_created'],
    },
    {
      name: 'timeline',
      run: () => paymentTimeline(h.ctx, h.merchant.id, sessionId),
      indexes: ['charges_session_seq', 'refunds_session_created', 'callbacks_resource_created', 'callback_attempts_callback'],
    },
    {
      name: 'undelivered callbacks',
      run: () => undeliveredCallbacks(h.ctx, h.merchant.id, {}),
      indexes: ['callbacks_status_created'],
      only: 'callbacks_status_created',
    },
    {
      name: 'undelivered callbacks of an event',
      run: () => undeliveredCallbacks(h.ctx, h.merchant.id, { status: 'FAILED', event: 'PAYMENT.PAID' }),
      indexes: [],
      // Either filter's index narrows it; the planner picks.
      anyOf: ['callbacks_status_created', 'callbacks_event_created'],
    },
    {
      name: 'resend all of a filter (its reads)',
      run: () => resendUndelivered(h.ctx, h.merchant.id, { status: 'FAILED', event: 'REFUND.PENDING' }),
      indexes: ['callback_attempts_callback'],
      anyOf: ['callbacks_status_created', 'callbacks_event_created', 'callbacks_due'],
    },
    {
      name: 'overview',
      run: () => overviewStats(h.ctx, h.merchant.id),
      // The 30 days hold every row here, so any index that starts with the merchant is as good as another.
      indexes: ['charges_session_seq', 'callbacks_status_created'],
      anyOf: ['payment_sessions_merchant_created', 'payment_sessions_reference_created'],
    },
  ];

  it.each(cases)('$name reads through its indexes and scans no table', async ({ run, indexes, anyOf, only }) => {
    const plans = await explain(run);
    const used = plans.flatMap((p) => p.indexes);
    const all = `indexes: ${plans.map((p) => p.indexes.join(',')).join(' | ')}\n${plans.map((p) => p.text).join('\n---\n')}`;
    expect(
      plans.flatMap((p) => p.scans),
      all,
    ).toEqual([]);
    for (const index of indexes) expect(used, all).toContain(index);
    if (anyOf) expect(used.filter((name) => anyOf.includes(name)).length, all).toBeGreaterThan(0);
    if (only && kind === 'sqlite') {
      const table = only.startsWith('callbacks_') ? 'callbacks' : 'payment_sessions';
      expect(
        used.filter((name) => name.startsWith(`${table}_`)),
        all,
      ).toEqual(used.filter((name) => name === only));
    }
  });
});

/** The merchant's sessions, charges and callbacks copied `times` over (new ids, earlier times). */
async function copyRows(h: Harness, times: number): Promise<void> {
  const db = h.store.db;
  const sessions = await db.selectFrom('payment_sessions').selectAll().where('merchant_id', '=', h.merchant.id).execute();
  const charges = await db.selectFrom('charges').selectAll().where('merchant_id', '=', h.merchant.id).execute();
  const callbacks = await db.selectFrom('callbacks').selectAll().where('merchant_id', '=', h.merchant.id).execute();
  for (let k = 1; k <= times; k++) {
    const id = (original: string) => `${original.slice(0, 30)}${String(k).padStart(6, '0')}`;
    const earlier = k * 60_000;
    await db
      .insertInto('payment_sessions')
      .values(
        sessions.map((r) => ({
          ...r,
          id: id(r.id),
          client_reference_id: `${r.client_reference_id}c${k}`,
          created_at: Number(r.created_at) - earlier,
        })),
      )
      .execute();
    await db
      .insertInto('charges')
      .values(
        charges.map((r) => ({
          ...r,
          id: id(r.id),
          session_id: id(r.session_id),
          client_reference_id: `${r.client_reference_id}c${k}`,
          created_at: Number(r.created_at) - earlier,
        })),
      )
      .execute();
    await db
      .insertInto('callbacks')
      .values(
        callbacks.map((r) => ({
          ...r,
          id: id(r.id),
          resource_id: id(r.resource_id),
          status: k % 3 === 0 ? 'FAILED' : r.status,
          created_at: Number(r.created_at) - earlier,
        })),
      )
      .execute();
  }
}
