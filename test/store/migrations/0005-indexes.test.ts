// Every list filter and the sweeper read through an index made for them (migration 0005): each query the
// endpoint or the sweep really runs is captured and explained on both databases. SQLite is asked as it
// runs in production, without ANALYZE statistics; PostgreSQL with sequential scans switched off, so the
// plan shows which index it would use rather than a scan a small table makes cheap.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDueRefunds } from '../../../src/store/refunds.ts';
import { findExpiredOpen } from '../../../src/store/session-lists.ts';
import { DB_KINDS, makeHarness, requestId, type Harness } from '../../helpers/harness.ts';
import { multipleQrBody, seedAutoConfirmBody, seedConfirmLaterBody } from '../../helpers/bodies.ts';
import { DESTINATION, postRefund, refundBody } from '../../helpers/refunds.ts';
import { analyzeTables, explainRun } from '../../helpers/query-plans.ts';

const TABLE_NAMES = ['payment_sessions', 'charges', 'callbacks', 'refunds'];
const TABLES = new RegExp(`^(${TABLE_NAMES.join('|')})$`);

describe.each(DB_KINDS)('list filters and the sweeper use their indexes on %s', (kind) => {
  let h: Harness;
  let sessionId: string;
  let reference: string;
  let refundedSessionId: string;
  let refundReference: string;

  beforeAll(async () => {
    h = await makeHarness(kind);
    const create = async (body: Record<string, unknown>) => {
      const res = await h.api('POST', '/v2/payments', body, { 'x-request-id': requestId() });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.data as { id: string; clientReferenceId: string };
    };
    // A few sessions of every kind, paid, cancelled and expired among them, so every list has rows.
    for (let i = 0; i < 4; i++) {
      const paid = await create(seedAutoConfirmBody());
      await h.api('POST', '/v2/payments/simulations', { paymentSessionId: paid.id, chargeStatus: 'SUCCESS' });
      const refund = await postRefund(h, refundBody({ paymentSessionId: paid.id }, { destination: DESTINATION }));
      expect(refund.status, JSON.stringify(refund.body)).toBe(200);
      if (i === 0) ({ paymentSessionId: refundedSessionId, clientReferenceId: refundReference } = refund.body.data);
      await create(seedAutoConfirmBody());
      const cancelled = await create(seedConfirmLaterBody());
      await h.api('POST', `/v2/payments/${cancelled.id}/cancel`, { cancellationReason: 'DUPLICATED' });
      await create(multipleQrBody());
    }
    ({ id: sessionId, clientReferenceId: reference } = await create(seedAutoConfirmBody()));
    await copyRows(h, 100);
    await analyzeTables(h, TABLE_NAMES);
  });
  afterAll(async () => h?.close());

  const explain = (run: () => Promise<unknown>) => explainRun(h, run, { tables: TABLES });

  /** The URL may name a session made in beforeAll, so it is read when the case runs. */
  const get = (url: string | (() => string)) => async () => {
    const res = await h.api('GET', typeof url === 'string' ? url : url());
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };

  // Each case: what runs, the index it must read through, and whether a filter narrows it (then, on SQLite,
  // whose planner is the one production gets, no other index of its table may serve it: a merchant-wide
  // index would mean walking all of the merchant's rows).
  const cases: Array<{
    name: string;
    run: () => Promise<unknown>;
    index: string;
    filtered: boolean;
    /** Other indexes whose leading equalities are exactly the filter's. */
    sameFilter?: string[];
  }> = [
    { name: 'GET /v2/payments', run: get('/v2/payments'), index: 'payment_sessions_merchant_created', filtered: false },
    {
      name: 'GET /v2/payments?clientReferenceId',
      run: get(() => `/v2/payments?clientReferenceId=${reference}`),
      index: 'payment_sessions_reference_created',
      filtered: true,
    },
    ...['PAID', 'REQUIRE_ACTION', 'EXPIRED', 'INACTIVE'].map((status) => ({
      name: `GET /v2/payments?status=${status}`,
      run: get(`/v2/payments?status=${status}`),
      index: 'payment_sessions_status_created',
      filtered: true,
    })),
    { name: 'GET /v2/charges', run: get('/v2/charges'), index: 'charges_merchant_created_seq', filtered: false },
    {
      name: 'GET /v2/charges?clientReferenceId',
      run: get(() => `/v2/charges?clientReferenceId=${reference}`),
      index: 'charges_reference_created',
      filtered: true,
    },
    {
      name: 'GET /v2/charges?paymentSessionId',
      run: get(() => `/v2/charges?paymentSessionId=${sessionId}`),
      index: 'charges_session_seq',
      filtered: true,
    },
    { name: 'GET /v2/callbacks', run: get('/v2/callbacks'), index: 'callbacks_merchant_created', filtered: false },
    {
      name: 'GET /v2/callbacks?paymentSessionId',
      run: get(() => `/v2/callbacks?paymentSessionId=${sessionId}`),
      index: 'callbacks_resource_created',
      filtered: true,
    },
    {
      name: 'GET /v2/callbacks?event',
      run: get('/v2/callbacks?event=PAYMENT.PAID'),
      index: 'callbacks_event_created',
      filtered: true,
    },
    {
      name: 'GET /v2/callbacks?status',
      run: get('/v2/callbacks?status=FAILED'),
      index: 'callbacks_status_created',
      filtered: true,
      // (status, merchant_id, …) from 0012 holds the same two equalities: the count may read it as narrowly.
      sameFilter: ['callbacks_due_by_merchant'],
    },
    { name: 'GET /v1/refunds', run: get('/v1/refunds'), index: 'refunds_merchant_created', filtered: false },
    {
      name: 'GET /v1/refunds?paymentSessionId',
      run: get(() => `/v1/refunds?paymentSessionId=${refundedSessionId}`),
      index: 'refunds_session_created',
      filtered: true,
    },
    {
      name: 'GET /v1/refunds?clientReferenceId',
      run: get(() => `/v1/refunds?clientReferenceId=${refundReference}`),
      index: 'refunds_reference',
      filtered: true,
    },
    {
      name: 'GET /v1/refunds?status',
      run: get('/v1/refunds?status=PENDING'),
      index: 'refunds_status_created',
      filtered: true,
    },
    {
      name: 'the sandbox refund sweeper',
      run: () => findDueRefunds(h.ctx.db, new Date(Date.now() + 7200_000), 250),
      index: 'refunds_due',
      filtered: true,
    },
    {
      name: 'the sweeper',
      run: () => findExpiredOpen(h.ctx.db, new Date(Date.now() + 7200_000), 250),
      index: 'payment_sessions_expiry',
      filtered: true,
    },
  ];

  it.each(cases)('$name reads through its index and scans no table', async ({ run, index, filtered, sameFilter = [] }) => {
    const plans = await explain(run);
    const used = plans.flatMap((p) => p.indexes);
    const all = `indexes: ${plans.map((p) => p.indexes.join(',')).join(' | ')}\n${plans.map((p) => p.text).join('\n---\n')}`;
    expect(
      plans.flatMap((p) => p.scans),
      all,
    ).toEqual([]);
    expect(used, all).toContain(index);
    if (filtered && kind === 'sqlite') {
      const table = ['payment_sessions', 'charges', 'callbacks', 'refunds'].find((t) => index.startsWith(`${t}_`));
      const primaryKey = `sqlite_autoindex_${table}_1`;
      expect(
        used.filter((name) => name.startsWith(`${table}_`) || name === primaryKey),
        all,
      ).toEqual(used.filter((name) => name === index || name === primaryKey || sameFilter.includes(name)));
    }
  });
});

/**
 * Copies the merchant's sessions, charges, callbacks and refunds `times` over (new ids, earlier times), so that the
 * tables are big enough for PostgreSQL's planner to choose as it would in production: a sort of a few rows
 * costs it nothing, a sort of thousands does.
 */
async function copyRows(h: Harness, times: number): Promise<void> {
  const db = h.store.db;
  const sessions = await db.selectFrom('payment_sessions').selectAll().where('merchant_id', '=', h.merchant.id).execute();
  const charges = await db.selectFrom('charges').selectAll().where('merchant_id', '=', h.merchant.id).execute();
  const callbacks = await db.selectFrom('callbacks').selectAll().where('merchant_id', '=', h.merchant.id).execute();
  const refunds = await db.selectFrom('refunds').selectAll().where('merchant_id', '=', h.merchant.id).execute();
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
          created_at: Number(r.created_at) - earlier,
        })),
      )
      .execute();
    await db
      .insertInto('refunds')
      .values(
        refunds.map((r) => ({
          ...r,
          id: id(r.id),
          payment_session_id: id(r.payment_session_id),
          charge_id: id(r.charge_id),
          // Most refunds of a real merchant are settled: a status filter picks out a few.
          status: k % 10 === 0 ? r.status : 'SUCCESS',
          client_reference_id: `${r.client_reference_id}c${k}`,
          created_at: Number(r.created_at) - earlier,
        })),
      )
      .execute();
  }
}
