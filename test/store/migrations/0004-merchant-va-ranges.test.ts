// Migration 0004 on a database from before it (the 0.1.0 fixture, upgraded to 0002, plus a second,
// older merchant with an open VA session of its own): every merchant gets its own ranges, in the order
// the merchants were created, and every open session keeps its number and its reservation — now its
// merchant's alone, so it tells another merchant nothing.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VA_CHANNELS } from '../../../src/domain/payment-methods.ts';
import { isInStaticRange, staticRange } from '../../../src/domain/va-number.ts';
import { currentSchema, migrate } from '../../../src/store/database.ts';
import { DB_KINDS, makeHarness, openTestStore, requestId, type Harness } from '../../helpers/harness.ts';
import { vaRange } from '../../helpers/va-numbers.ts';

interface Fixture {
  madeAt: string;
  merchantId: string;
  sessions: Record<string, string>;
  rows: Record<string, Array<Record<string, unknown>>>;
}
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/release-0.1.0.json', import.meta.url), 'utf8')) as Fixture;
const TABLES = ['merchants', 'payment_sessions', 'va_numbers', 'idempotency_keys', 'callbacks', 'callback_attempts'] as const;

const OLDER = 'older-merchant';
const OLDER_SESSION = '0ca1f2a3-0000-4000-8000-000000000001';
const OLDER_NUMBER = '8625528268674672';

/** The fixture's open PERMATA session, as the older merchant's own, holding OLDER_NUMBER. */
function olderMerchantRows() {
  const [merchant] = fixture.rows.merchants!;
  const source = fixture.rows.payment_sessions!.find((r) => r.id === fixture.sessions.vaRequireAction)!;
  const body = (source.body as string)
    .replaceAll(fixture.sessions.vaRequireAction!, OLDER_SESSION)
    .replaceAll(fixture.merchantId, OLDER)
    .replaceAll('8625528268674671', OLDER_NUMBER)
    .replace(/"id":"45d15d31-[0-9a-f-]+"/, '"id":"0ca1f2a3-0000-4000-8000-0000000000c1"');
  return {
    merchant: { ...merchant, id: OLDER, name: 'Older Shop', created_at: Number(merchant!.created_at) - 86_400_000 },
    session: { ...source, id: OLDER_SESSION, merchant_id: OLDER, client_reference_id: 'older-ref', body },
    reservation: { channel: 'PERMATA', number: OLDER_NUMBER, session_id: OLDER_SESSION },
  };
}

describe.each(DB_KINDS)('migration 0004 (merchant VA ranges) on %s', (kind) => {
  let h: Harness;
  const auth = { merchant: {} as { authorization: string }, older: {} as { authorization: string } };
  type Held = { channel: string; number: string; session_id: string };
  const held = (): Held[] => [...(fixture.rows.va_numbers as Held[]), olderMerchantRows().reservation];

  beforeAll(async () => {
    const store = await openTestStore(kind, { migrate: false });
    const schema = kind === 'postgres' ? await currentSchema(store.db) : undefined;
    await migrate(store.db, schema, '0001_initial');
    const older = olderMerchantRows();
    const rows: Record<string, unknown[]> = {
      ...fixture.rows,
      merchants: [...fixture.rows.merchants!, older.merchant],
      payment_sessions: [...fixture.rows.payment_sessions!, older.session],
      va_numbers: [...fixture.rows.va_numbers!, older.reservation],
    };
    for (const table of TABLES) {
      if (rows[table]?.length)
        await store.db
          .insertInto(table as 'merchants')
          .values(rows[table] as never[])
          .execute();
    }
    await migrate(store.db, schema, '0002_explicit_storage');
    await migrate(store.db, schema);
    h = await makeHarness(kind, { store });
    h.clock.advance(new Date(fixture.madeAt).getTime() - h.clock.now().getTime());
    const bearer = async (id: string) => ({ authorization: `Bearer ${await h.tokens.issueAccessToken(id, h.clock.now())}` });
    auth.merchant = await bearer(fixture.merchantId);
    auth.older = await bearer(OLDER);
  });
  afterAll(async () => h?.close());

  it('gives every merchant a range at every bank, codes in the order the merchants were created', async () => {
    const rows = await h.store.db.selectFrom('merchant_va_ranges').selectAll().orderBy('merchant_code').execute();
    const codes = new Map(rows.map((r) => [r.merchant_id, Number(r.merchant_code)]));
    expect(codes.get(OLDER)).toBe(1);
    expect(codes.get(fixture.merchantId)).toBe(2);
    // The harness's own merchant, created after the upgrade, takes the next code.
    expect(codes.get(h.merchant.id)).toBe(3);
    for (const id of [OLDER, fixture.merchantId]) {
      expect(rows.filter((r) => r.merchant_id === id).map((r) => r.channel)).toEqual(expect.arrayContaining([...VA_CHANNELS]));
    }
    expect(new Set(rows.map((r) => `${r.channel} ${r.prefix}`)).size).toBe(rows.length);
  });

  it('keeps every reservation, now under the merchant of the session that holds it', async () => {
    const rows = await h.store.db.selectFrom('va_numbers').selectAll().execute();
    const owner = (sessionId: string) => (sessionId === OLDER_SESSION ? OLDER : fixture.merchantId);
    expect(rows.map((r) => ({ ...r })).sort((a, b) => a.number.localeCompare(b.number))).toEqual(
      held()
        .map((r) => ({ ...r, merchant_id: owner(r.session_id) }))
        .sort((a, b) => a.number.localeCompare(b.number)),
    );
  });

  it('open sessions keep their numbers and stay payable', async () => {
    const get = (id: string, headers: { authorization: string }) =>
      h.api('GET', `/v2/payments/${id}`, undefined, headers).then((r) => r.body.data);
    const mine = await get(fixture.sessions.vaRequireAction!, auth.merchant);
    expect(mine.chargeDetails[0].virtualAccount.virtualAccountNumber).toBe('8625528268674671');
    const older = await get(OLDER_SESSION, auth.older);
    expect(older.status).toBe('REQUIRE_ACTION');
    expect(older.chargeDetails[0].virtualAccount.virtualAccountNumber).toBe(OLDER_NUMBER);
    const paid = await h.api(
      'POST',
      '/v2/payments/simulations',
      { paymentSessionId: OLDER_SESSION, chargeStatus: 'SUCCESS' },
      auth.older,
    );
    expect(paid.status).toBe(200);
    expect((await get(OLDER_SESSION, auth.older)).status).toBe('PAID');
  });

  it('a legacy number is refused as taken to its own merchant and as foreign to another; new numbers come from the ranges', async () => {
    const create = (channel: string, headers: { authorization: string }, virtualAccountNumber?: string) =>
      h.api(
        'POST',
        '/v2/payments',
        {
          clientReferenceId: `after${requestId().slice(0, 20)}`,
          amount: { value: 20000, currency: 'IDR' },
          paymentMethod: { type: 'VIRTUAL_ACCOUNT' },
          paymentMethodOptions: { virtualAccount: { channel, ...(virtualAccountNumber && { virtualAccountNumber }) } },
          mode: 'API',
          redirectUrl: {},
        },
        { ...headers, 'x-request-id': requestId() },
      );
    const bri = fixture.rows.va_numbers!.find((r) => r.channel === 'BRI')!.number as string;
    const own = await create('BRI', auth.merchant, bri);
    expect(own.status).toBe(400);
    expect(own.body.error.details[0].message).toBe('requested VA number already assigned');
    const foreign = await create('BRI', auth.older, bri);
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.details[0].message).toBe('requested VA number not within assigned static VA range');

    for (const [headers, id] of [
      [auth.merchant, fixture.merchantId],
      [auth.older, OLDER],
    ] as const) {
      const range = await vaRange(h.store.db, id, 'PERMATA');
      const generated = await create('PERMATA', headers);
      const number = generated.body.data.chargeDetails[0].virtualAccount.virtualAccountNumber as string;
      expect(number.startsWith(range.prefix) && !isInStaticRange(range, number), number).toBe(true);
      const fixed = staticRange(range).last;
      expect((await create('PERMATA', headers, fixed)).body.data.chargeDetails[0].virtualAccount.virtualAccountNumber).toBe(
        fixed,
      );
    }
  });
});
