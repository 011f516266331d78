// The Payments screen's use cases on both databases: every filter, keyset pages, another merchant's
// sessions never shown, the query-string parser's refusals, and the CSV export (all pages, RFC 4180,
// formula cells defused).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exportPaymentsCsv,
  paymentSearchFromQuery,
  searchPayments,
  type PaymentSearch,
} from '../../../src/usecases/dashboard/payments.ts';
import { DB_KINDS, makeHarness, type Harness } from '../../helpers/harness.ts';
import { bodyOf, cancel, create, pay } from './fixtures.ts';

async function all(h: Harness, merchantId: string, search: PaymentSearch): Promise<string[]> {
  const page = await searchPayments(h.ctx, merchantId, search, { limit: 200 });
  expect(page.nextCursor).toBeNull();
  return page.payments.map((p) => p.id);
}

async function collect(chunks: AsyncGenerator<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
}

describe.each(DB_KINDS)('dashboard payments search on %s', (kind) => {
  let h: Harness;
  let other: { merchantId: string; id: string };
  // Oldest first: s1 VA PERMATA paid, s2 VA BCA open, s3 DANA open, s4 QR paid, s5 no method cancelled.
  let s: string[];
  let s1Reference: string;

  beforeAll(async () => {
    h = await makeHarness(kind);
    const step = () => h.clock.advance(1000);
    const b1 = bodyOf(h, 'va', { customer: { givenName: 'Alice', email: 'Alice.Buyer@Example.com' } });
    s1Reference = b1.clientReferenceId;
    const s1 = await create(h, b1);
    await pay(h, s1);
    step();
    const s2 = await create(h, bodyOf(h, 'va', { customer: { givenName: 'Bob', email: 'bob@example.com' } }, 'BCA'));
    step();
    const s3 = await create(h, bodyOf(h, 'ewallet', {}, 'DANA'));
    step();
    // A reference and an email a spreadsheet would read as formulas.
    const s4 = await create(
      h,
      bodyOf(h, 'qr', { clientReferenceId: '-2-3', customer: { givenName: 'Eve', email: '=1+1@evil.example' } }),
    );
    await pay(h, s4);
    step();
    const s5 = await create(h, bodyOf(h, 'later'));
    await cancel(h, s5);
    s = [s1, s2, s3, s4, s5];

    // Another merchant with the same reference and email: never in this merchant's answers.
    const o = await h.otherMerchant();
    const id = await create(
      h,
      bodyOf(h, 'va', { clientReferenceId: s1Reference, customer: { givenName: 'Alice', email: 'Alice.Buyer@Example.com' } }),
      o.token,
    );
    other = { merchantId: o.merchant.id, id };
  });
  afterAll(async () => h?.close());

  const ids = (...which: number[]) => which.map((i) => s[i - 1]!);

  it('lists the merchant’s sessions newest first, with what a row shows', async () => {
    expect(await all(h, h.merchant.id, {})).toEqual(ids(5, 4, 3, 2, 1));
    const { payments } = await searchPayments(h.ctx, h.merchant.id, {});
    const s1 = payments.find((p) => p.id === s[0]);
    expect(s1).toMatchObject({
      clientReferenceId: s1Reference,
      amount: { value: 10000, currency: 'IDR' },
      status: 'PAID',
      methodType: 'VIRTUAL_ACCOUNT',
      channel: 'PERMATA',
      customerEmail: 'Alice.Buyer@Example.com',
    });
    expect(Date.parse(s1!.paidAt!)).toBeGreaterThanOrEqual(Date.parse(s1!.createdAt));
    const s2 = payments.find((p) => p.id === s[1]);
    expect(s2).toMatchObject({ status: 'REQUIRE_ACTION', channel: 'BCA', paidAt: null, customerEmail: 'bob@example.com' });
    expect(payments.find((p) => p.id === s[2])).toMatchObject({ methodType: 'EWALLET', channel: 'DANA', customerEmail: null });
    expect(payments.find((p) => p.id === s[4])).toMatchObject({ methodType: null, channel: null, status: 'CANCELLED' });
  });

  it('finds a session by id, clientReferenceId or email (any case), only the merchant’s own', async () => {
    expect(await all(h, h.merchant.id, { query: s[1]! })).toEqual(ids(2));
    expect(await all(h, h.merchant.id, { query: s1Reference })).toEqual(ids(1));
    expect(await all(h, h.merchant.id, { query: 'alice.buyer@EXAMPLE.com' })).toEqual(ids(1));
    expect(await all(h, h.merchant.id, { query: 'alice.buyer@example' })).toEqual([]);
    expect(await all(h, h.merchant.id, { query: other.id })).toEqual([]);
    expect(await all(h, h.merchant.id, { query: 'with\u0000nul' })).toEqual([]);
    expect(await all(h, other.merchantId, { query: s1Reference })).toEqual([other.id]);
    expect(await all(h, other.merchantId, {})).toEqual([other.id]);
  });

  it('filters by status, method, channel and creation date', async () => {
    expect(await all(h, h.merchant.id, { status: 'PAID' })).toEqual(ids(4, 1));
    expect(await all(h, h.merchant.id, { status: 'CANCELLED' })).toEqual(ids(5));
    expect(await all(h, h.merchant.id, { status: 'EXPIRED' })).toEqual([]);
    expect(await all(h, h.merchant.id, { methodType: 'VIRTUAL_ACCOUNT' })).toEqual(ids(2, 1));
    expect(await all(h, h.merchant.id, { methodType: 'EWALLET' })).toEqual(ids(3));
    expect(await all(h, h.merchant.id, { channel: 'BCA' })).toEqual(ids(2));
    expect(await all(h, h.merchant.id, { channel: 'DANA' })).toEqual(ids(3));
    expect(await all(h, h.merchant.id, { channel: 'PERMATA', status: 'PAID' })).toEqual(ids(1));
    const { payments } = await searchPayments(h.ctx, h.merchant.id, {});
    const createdAt = (i: number) => new Date(payments.find((p) => p.id === s[i - 1])!.createdAt);
    expect(await all(h, h.merchant.id, { createdFrom: createdAt(2), createdBefore: createdAt(4) })).toEqual(ids(3, 2));
    expect(await all(h, h.merchant.id, { createdFrom: createdAt(5) })).toEqual(ids(5));
  });

  it('pages with a cursor until the last page', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    const sizes: number[] = [];
    for (;;) {
      const page = await searchPayments(h.ctx, h.merchant.id, {}, { limit: 2, ...(cursor !== undefined && { cursor }) });
      seen.push(...page.payments.map((p) => p.id));
      sizes.push(page.payments.length);
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    expect(sizes).toEqual([2, 2, 1]);
    expect(seen).toEqual(ids(5, 4, 3, 2, 1));
    // A filter keeps applying on later pages.
    const first = await searchPayments(h.ctx, h.merchant.id, { status: 'PAID' }, { limit: 1 });
    const second = await searchPayments(h.ctx, h.merchant.id, { status: 'PAID' }, { limit: 1, cursor: first.nextCursor! });
    expect([...first.payments, ...second.payments].map((p) => p.id)).toEqual(ids(4, 1));
    expect(second.nextCursor).toBeNull();
  });

  it('refuses a cursor it did not give out and a page size out of range (400, not 500)', async () => {
    await expect(searchPayments(h.ctx, h.merchant.id, {}, { cursor: 'bm90LWEtY3Vyc29y' })).rejects.toMatchObject({
      kind: 'validation',
      details: [{ field: 'cursor' }],
    });
    await expect(searchPayments(h.ctx, h.merchant.id, {}, { cursor: "'; drop table x" })).rejects.toMatchObject({
      kind: 'validation',
    });
    for (const limit of [0, 201, 1.5]) {
      await expect(searchPayments(h.ctx, h.merchant.id, {}, { limit })).rejects.toMatchObject({
        kind: 'validation',
        details: [{ field: 'limit' }],
      });
    }
  });

  it('exports every matching payment as CSV, formula cells defused', async () => {
    const text = (await collect(exportPaymentsCsv(h.ctx, h.merchant.id, {}))).join('');
    const lines = text.split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines[0]).toBe('id,clientReferenceId,amount,currency,status,methodType,channel,customerEmail,createdAt,paidAt');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(ids(5, 4, 3, 2, 1));
    const s4 = lines.find((l) => l.startsWith(s[3]!))!.split(',');
    expect(s4[1]).toBe("'-2-3");
    expect(s4[7]).toBe("'=1+1@evil.example");
    expect(s4.slice(2, 7)).toEqual(['10000', 'IDR', 'PAID', 'QR', '']);
    expect(text).not.toContain(other.id);
    const paid = (await collect(exportPaymentsCsv(h.ctx, h.merchant.id, { status: 'PAID' }))).join('').split('\r\n');
    expect(paid.slice(1, -1).map((l) => l.split(',')[0])).toEqual(ids(4, 1));
  });

  it('exports past one chunk: every row once, newest first', async () => {
    // 1,200 copies of s2 (new ids, earlier times) make three query chunks of 500.
    const db = h.store.db;
    const row = await db.selectFrom('payment_sessions').selectAll().where('id', '=', s[1]!).executeTakeFirstOrThrow();
    const copies = Array.from({ length: 1200 }, (_, k) => ({
      ...row,
      id: `${row.id.slice(0, 28)}${String(k).padStart(8, '0')}`,
      client_reference_id: `copy${k}`,
      created_at: Number(row.created_at) - 60_000 - k,
    }));
    for (let i = 0; i < copies.length; i += 100)
      await db
        .insertInto('payment_sessions')
        .values(copies.slice(i, i + 100))
        .execute();
    const chunks = await collect(exportPaymentsCsv(h.ctx, h.merchant.id, { channel: 'BCA' }));
    expect(chunks.length).toBe(4); // header + 500 + 500 + 201
    const exported = chunks
      .join('')
      .split('\r\n')
      .slice(1, -1)
      .map((l) => l.split(',')[0]);
    expect(exported.length).toBe(1201);
    expect(new Set(exported).size).toBe(1201);
    expect(exported.slice(0, 3)).toEqual([s[1], copies[0]!.id, copies[1]!.id]);
    await db.deleteFrom('payment_sessions').where('client_reference_id', 'like', 'copy%').execute();
  });

  it('still creates a session whose customer PostgreSQL cannot read as jsonb (a lone surrogate), found by id', async () => {
    const id = await create(
      h,
      bodyOf(h, 'va', { customer: { givenName: 'Lone \ud800 half', email: 'lone@example.com' } }, 'BNI'),
    );
    const { payments } = await searchPayments(h.ctx, h.merchant.id, { query: id });
    expect(payments.map((p) => [p.id, p.channel])).toEqual([[id, 'BNI']]);
    // SQLite reads it; PostgreSQL's index expression answers null for that customer instead of failing the insert.
    expect((await all(h, h.merchant.id, { query: 'lone@example.com' })).length).toBe(kind === 'sqlite' ? 1 : 0);
    await h.store.db.deleteFrom('charges').where('session_id', '=', id).execute();
    await h.store.db.deleteFrom('callbacks').where('resource_id', '=', id).execute();
    await h.store.db.deleteFrom('va_numbers').where('session_id', '=', id).execute();
    await h.store.db.deleteFrom('payment_sessions').where('id', '=', id).execute();
  });

  it('reports an open session past its expiry as EXPIRED, and filters it so', async () => {
    h.clock.advance(2 * 3600_000);
    expect(await all(h, h.merchant.id, { status: 'EXPIRED' })).toEqual(ids(3, 2));
    expect(await all(h, h.merchant.id, { status: 'REQUIRE_ACTION' })).toEqual([]);
    const { payments } = await searchPayments(h.ctx, h.merchant.id, { channel: 'BCA' });
    expect(payments.map((p) => p.status)).toEqual(['EXPIRED']);
  });
});

describe('paymentSearchFromQuery', () => {
  it('reads a form’s values; dates are whole days in the timezone, "to" inclusive', () => {
    expect(
      paymentSearchFromQuery({
        q: ' INV-1 ',
        status: 'PAID',
        method: 'EWALLET',
        channel: 'DANA',
        from: '2026-01-01',
        to: '2026-01-31',
      }),
    ).toEqual({
      query: 'INV-1',
      status: 'PAID',
      methodType: 'EWALLET',
      channel: 'DANA',
      createdFrom: new Date('2025-12-31T17:00:00.000Z'),
      createdBefore: new Date('2026-01-31T17:00:00.000Z'),
    });
    expect(paymentSearchFromQuery({ from: '2026-03-08' }, 'America/New_York')).toEqual({
      createdFrom: new Date('2026-03-08T05:00:00.000Z'),
    });
    expect(paymentSearchFromQuery({ to: '2026-03-08' }, 'America/New_York')).toEqual({
      createdBefore: new Date('2026-03-09T04:00:00.000Z'),
    });
    expect(paymentSearchFromQuery({ from: '2026-01-01T10:00:00Z', q: '', status: '' })).toEqual({
      createdFrom: new Date('2026-01-01T10:00:00Z'),
    });
  });

  it('names every bad value at once', () => {
    let refusal: unknown;
    try {
      paymentSearchFromQuery({ status: 'paid', method: 'CASH', channel: 'XYZ', from: '2026-02-30', to: 'yesterday' });
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toMatchObject({ kind: 'validation' });
    expect((refusal as { details: Array<{ field: string }> }).details.map((d) => d.field)).toEqual([
      'status',
      'method',
      'channel',
      'from',
      'to',
    ]);
    expect(() => paymentSearchFromQuery({ from: '2026-02-02', to: '2026-02-01' })).toThrow(/invalid/);
    expect(() => paymentSearchFromQuery({}, 'Mars/Base')).toThrow(/invalid/);
  });
});
