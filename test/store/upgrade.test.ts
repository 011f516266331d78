// A database written by release 0.1.0 (test/fixtures/release-0.1.0.json, made with that release) is
// upgraded by the migrations on start: every session reads back as 0.1.0 answered it — except metadata,
// which now comes back as the merchant sent it, and a failed charge's added recommendation — and stays
// payable where it was.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recommendationFor } from '../../src/domain/charge-failures.ts';
import { currentSchema, migrate } from '../../src/store/database.ts';
import { DB_KINDS, makeHarness, openTestStore, type Harness } from '../helpers/harness.ts';

interface Fixture {
  madeAt: string;
  merchantId: string;
  sessions: Record<string, string>;
  sentMetadata: unknown;
  wire: Record<string, Record<string, unknown>>;
  rows: Record<string, Array<Record<string, unknown>>>;
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/release-0.1.0.json', import.meta.url), 'utf8')) as Fixture;
const TABLES = ['merchants', 'payment_sessions', 'va_numbers', 'idempotency_keys', 'callbacks', 'callback_attempts'] as const;

describe.each(DB_KINDS)('upgrading a 0.1.0 database on %s', (kind) => {
  let h: Harness;
  let auth: { authorization: string };
  const get = async (label: string) => (await h.api('GET', `/v2/payments/${fixture.sessions[label]}`, undefined, auth)).body.data;

  beforeAll(async () => {
    const store = await openTestStore(kind, { migrate: false });
    const schema = kind === 'postgres' ? await currentSchema(store.db) : undefined;
    await migrate(store.db, schema, '0001_initial');
    for (const table of TABLES) {
      const rows = fixture.rows[table] ?? [];
      if (rows.length)
        await store.db
          .insertInto(table as 'merchants')
          .values(rows as never[])
          .execute();
    }
    await migrate(store.db, schema);
    h = await makeHarness(kind, { store });
    // Read the sessions at the moment the fixture was made: nothing has expired yet.
    h.clock.advance(new Date(fixture.madeAt).getTime() - h.clock.now().getTime());
    auth = { authorization: `Bearer ${await h.tokens.issueAccessToken(fixture.merchantId, h.clock.now())}` };
  });
  afterAll(async () => h?.close());

  it('every session reads back as 0.1.0 answered it, in every status', async () => {
    const statuses = new Set<string>();
    for (const [label, before] of Object.entries(fixture.wire)) {
      const after = await get(label);
      statuses.add(after.status);
      // Since 0.1.0 a failed charge also carries Pivot's recommendation (domain/charge-failures.ts).
      const charges = (after.chargeDetails ?? null) as Array<Record<string, unknown>> | null;
      for (const charge of charges ?? []) {
        if (charge.failureCode) expect(charge.recommendation, label).toBe(recommendationFor(String(charge.failureCode)));
        delete charge.recommendation;
      }
      expect({ ...after, metadata: null }, label).toEqual({ ...before, metadata: null });
    }
    expect([...statuses].sort()).toEqual([
      'ACTIVE',
      'CANCELLED',
      'EXPIRED',
      'INACTIVE',
      'PAID',
      'REQUIRE_ACTION',
      'REQUIRE_CONFIRMATION',
      'REQUIRE_PAYMENT_METHOD',
    ]);
  });

  it("metadata comes back as the merchant sent it, even where 0.1.0's reviver had written it back changed", async () => {
    expect(fixture.wire.vaRequireAction!.metadata).not.toEqual(fixture.sentMetadata);
    for (const label of ['vaRequireAction', 'qrRequireAction', 'requirePaymentMethod', 'paid', 'multipleVaActive']) {
      expect((await get(label)).metadata, label).toEqual(fixture.sentMetadata);
    }
  });

  it('open sessions stay payable where they were: a VA pays, a MULTIPLE session takes a fourth charge', async () => {
    const simulate = (label: string) =>
      h.api('POST', '/v2/payments/simulations', { paymentSessionId: fixture.sessions[label], chargeStatus: 'SUCCESS' }, auth);
    expect((await simulate('vaRequireAction')).status).toBe(200);
    expect((await get('vaRequireAction')).status).toBe('PAID');
    expect((await simulate('multipleVaActive')).status).toBe(200);
    const multiple = await get('multipleVaActive');
    expect(multiple.status).toBe('ACTIVE');
    expect(multiple.chargeDetails).toHaveLength((fixture.wire.multipleVaActive!.chargeDetails as unknown[]).length + 1);
    const confirm = await h.api('POST', `/v2/payments/${fixture.sessions.requireConfirmation}/confirm`, {}, auth);
    expect(confirm.status, JSON.stringify(confirm.body)).toBe(200);
    expect(confirm.body.data.status).toBe('REQUIRE_ACTION');
  });

  it('a reserved VA number is still held: reusing it is refused while its session is open', async () => {
    const held = fixture.rows.va_numbers!.find((r) => r.session_id === fixture.sessions.multipleVaActive)!;
    const res = await h.api(
      'POST',
      '/v2/payments',
      {
        clientReferenceId: 'upgrade-reuse',
        amount: { value: 20000, currency: 'IDR' },
        paymentMethod: { type: 'VIRTUAL_ACCOUNT' },
        paymentMethodOptions: { virtualAccount: { channel: held.channel, virtualAccountNumber: held.number } },
        mode: 'API',
        redirectUrl: {},
      },
      { ...auth, 'x-request-id': 'upgradeReuse00000001' },
    );
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].message).toContain('already assigned');
  });

  it('callbacks keep their state and history, now naming their resource; idempotency records survive', async () => {
    const rows = await h.store.db.selectFrom('callbacks').selectAll().where('merchant_id', '=', fixture.merchantId).execute();
    const before = fixture.rows.callbacks!;
    for (const old of before) {
      const now = rows.find((r) => r.id === old.id)!;
      expect(now).toMatchObject({
        resource_type: 'payment_session',
        resource_id: old.session_id,
        status: old.status,
        payload: old.payload,
      });
    }
    const history = await h.api('GET', `/v2/callbacks?paymentSessionId=${fixture.sessions.paid}`, undefined, auth);
    expect(history.body.data.map((c: { event: string }) => c.event).sort()).toEqual(['PAYMENT.PAID', 'PAYMENT.PROCESSING']);
    const delivered = before.filter((c) => c.status === 'DELIVERED').length;
    expect(delivered).toBeGreaterThan(0);
    const attempts = await h.store.db.selectFrom('callback_attempts').select('id').execute();
    expect(attempts).toHaveLength(fixture.rows.callback_attempts!.length);
    const keys = await h.store.db
      .selectFrom('idempotency_keys')
      .select('key')
      .where('merchant_id', '=', fixture.merchantId)
      .execute();
    expect(keys).toHaveLength(fixture.rows.idempotency_keys!.length);
  });
});
