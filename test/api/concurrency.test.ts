// Races on one session: many requests at once, exactly one state change wins, every loser is a clean 422,
// the final state is the winner's and exactly one terminal callback is written. Requests go through
// Promise.all over inject, so on PostgreSQL they really run in parallel on the pool; on SQLite the
// transactions serialise, and the outcome must be the same.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { DB_KINDS, makeHarness, requestId, type ApiResponse, type Harness } from '../helpers/harness.ts';
import { seedAutoConfirmBody, seedConfirmBody, seedConfirmLaterBody, multipleQrBody } from '../helpers/bodies.ts';

const N = 50;
const ROUNDS = 4;
const TERMINAL_EVENTS = ['PAYMENT.PAID', 'PAYMENT.CANCELLED'];

function expectErrorEnvelope(res: ApiResponse, status: number): void {
  const where = JSON.stringify(res.body);
  expect(res.status, where).toBe(status);
  expect(typeof res.body.code, where).toBe('string');
  expect(typeof res.body.message, where).toBe('string');
  expect(res.body.error, where).toMatchObject({
    type: 'API_ERROR',
    source: 'UPSTREAM',
    details: expect.any(Array),
    traceId: expect.any(String),
  });
}

/** Fisher–Yates, so the mix of actions reaches the server in a different order each round. */
function shuffle<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    // i and j are both below out.length.
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe.each(DB_KINDS)('concurrency on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness(kind);
  });
  afterAll(async () => {
    await h?.close();
  });

  async function create(body: Record<string, unknown>): Promise<string> {
    const res = await h.api('POST', '/v2/payments', body, { 'x-request-id': requestId() });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.data.id;
  }

  async function callbacks(sessionId: string): Promise<string[]> {
    const rows = await h.store.db.selectFrom('callbacks').select('event').where('resource_id', '=', sessionId).execute();
    return rows.map((r) => r.event);
  }

  type Action = { name: string; status?: string; run: (id: string) => Promise<ApiResponse> };
  const simulate = (chargeStatus: 'SUCCESS' | 'EXPIRED' | 'FAILED', status: string): Action => ({
    name: `simulate ${chargeStatus}`,
    status,
    run: (id) => h.api('POST', '/v2/payments/simulations', { paymentSessionId: id, chargeStatus }),
  });
  const cancel: Action = {
    name: 'cancel',
    status: 'CANCELLED',
    run: (id) => h.api('POST', `/v2/payments/${id}/cancel`, { cancellationReason: 'VOID_SESSION' }),
  };
  const confirmWith = (body: Record<string, unknown>): Action => ({
    name: 'confirm',
    status: 'REQUIRE_ACTION',
    run: (id) => h.api('POST', `/v2/payments/${id}/confirm`, body),
  });

  async function race(id: string, actions: Action[]) {
    const results = await Promise.all(actions.map(async (a) => ({ action: a, res: await a.run(id) })));
    const winners = results.filter((r) => r.res.status === 200);
    const losers = results.filter((r) => r.res.status !== 200);
    return { results, winners, losers };
  }

  function expectCleanLosers(losers: Array<{ action: Action; res: ApiResponse }>, winner?: Action): void {
    // A loser is told the state is wrong (as it saw it, before or after the winner), never "retry later";
    // once the winner has expired the session, a loser that re-reads it hears that it expired.
    const codes = winner?.status === 'EXPIRED' ? ['invalid_state', 'payment_session_expired'] : ['invalid_state'];
    for (const { action, res } of losers) {
      expectErrorEnvelope(res, 422);
      expect(codes, `${action.name}: ${JSON.stringify(res.body)}`).toContain(res.body.code);
      expect(res.body.error.details).toEqual([]);
    }
  }

  it(`(a) REQUIRE_ACTION: ${N} concurrent simulate SUCCESS/EXPIRED/FAILED, cancel and confirm — exactly one wins`, async () => {
    const kinds = [
      simulate('SUCCESS', 'PAID'),
      simulate('EXPIRED', 'EXPIRED'),
      simulate('FAILED', 'CANCELLED'),
      cancel,
      confirmWith(seedConfirmBody()),
    ];
    const winnersSeen = new Set<string>();
    for (let round = 0; round < ROUNDS; round++) {
      const id = await create(seedAutoConfirmBody());
      const before = await h.api('GET', `/v2/payments/${id}`);
      expect(before.body.data.status).toBe('REQUIRE_ACTION');

      const { winners, losers } = await race(id, shuffle(Array.from({ length: N }, (_, i) => kinds[i % kinds.length]!)));
      expect(
        winners.map((w) => w.action.name),
        'exactly one state change wins',
      ).toHaveLength(1);
      const winner = winners[0]!.action;
      winnersSeen.add(winner.name);
      // cancel and confirm can never change a REQUIRE_ACTION session: only a simulation can win.
      expect(winner.name).toMatch(/^simulate /);
      expect(winners[0]!.res.body).toEqual({ code: '00', message: expect.any(String), data: { updated: true } });
      expect(losers).toHaveLength(N - 1);
      expectCleanLosers(losers, winner);

      const after = await h.api('GET', `/v2/payments/${id}`);
      expect(after.status).toBe(200);
      expect(after.body.data.status).toBe(winner.status);
      expect(after.body.data.chargeDetails).toHaveLength(1);

      const events = await callbacks(id);
      expect(
        events.filter((e) => TERMINAL_EVENTS.includes(e)),
        `events: ${events.join(', ')}`,
      ).toHaveLength(1);
      expect(events.filter((e) => e === 'PAYMENT.PROCESSING')).toHaveLength(1);
      expect(events).toHaveLength(2);
      const terminal = events.find((e) => TERMINAL_EVENTS.includes(e));
      expect(terminal).toBe(winner.status === 'PAID' ? 'PAYMENT.PAID' : 'PAYMENT.CANCELLED');

      // The VA number went back to the pool with the session's end.
      const va = await h.store.db.selectFrom('va_numbers').select('number').where('session_id', '=', id).execute();
      expect(va).toEqual([]);
    }
    expect(winnersSeen.size).toBeGreaterThan(0);
  });

  it(`(b) REQUIRE_CONFIRMATION: ${N} concurrent confirm and cancel — exactly one wins`, async () => {
    const outcomes = new Set<string>();
    for (let round = 0; round < ROUNDS; round++) {
      const id = await create(
        seedConfirmLaterBody({
          paymentMethod: { type: 'VIRTUAL_ACCOUNT' },
          paymentMethodOptions: { virtualAccount: { channel: 'BCA', virtualAccountName: 'Race Shop' } },
        }),
      );
      const before = await h.api('GET', `/v2/payments/${id}`);
      expect(before.body.data.status).toBe('REQUIRE_CONFIRMATION');

      // Confirms alternate between the session's own method ({}), an explicit one, and a QR switch.
      const kinds = [
        confirmWith({}),
        cancel,
        confirmWith(seedConfirmBody()),
        cancel,
        confirmWith({ paymentMethod: { type: 'QR' } }),
      ];
      const { winners, losers } = await race(id, shuffle(Array.from({ length: N }, (_, i) => kinds[i % kinds.length]!)));
      expect(winners, 'exactly one of confirm/cancel wins').toHaveLength(1);
      const winner = winners[0]!;
      outcomes.add(winner.action.name);
      expect(winner.res.body.code).toBe('00');
      expect(winner.res.body.data.status).toBe(winner.action.status);
      expect(losers).toHaveLength(N - 1);
      expectCleanLosers(losers);

      const after = await h.api('GET', `/v2/payments/${id}`);
      expect(after.body.data.status).toBe(winner.action.status);
      const events = await callbacks(id);
      const vaRows = await h.store.db.selectFrom('va_numbers').select('number').where('session_id', '=', id).execute();
      if (winner.action.name === 'cancel') {
        expect(events).toEqual(['PAYMENT.CANCELLED']);
        expect(after.body.data.chargeDetails).toBeNull();
        expect(vaRows).toEqual([]);
      } else {
        // One charge issued, one processing callback, at most one VA number held.
        expect(events).toEqual(['PAYMENT.PROCESSING']);
        expect(after.body.data.chargeDetails).toHaveLength(1);
        expect(after.body.data.chargeDetails[0]).toEqual(winner.res.body.data.chargeDetails[0]);
        expect(vaRows.length).toBe(after.body.data.paymentMethod.type === 'VIRTUAL_ACCOUNT' ? 1 : 0);
      }
    }
    expect(outcomes.size).toBeGreaterThan(0);
  });

  it(`(c) a paid session is never paid twice: ${N} concurrent simulate SUCCESS`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const id = await create(seedAutoConfirmBody());
      const { winners, losers } = await race(
        id,
        Array.from({ length: N }, () => simulate('SUCCESS', 'PAID')),
      );
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(N - 1);
      expectCleanLosers(losers);
      const after = await h.api('GET', `/v2/payments/${id}`);
      expect(after.body.data.status).toBe('PAID');
      expect(after.body.data.chargeDetails).toHaveLength(1);
      expect(after.body.data.chargeDetails[0].status).toBe('SUCCESS');
      const events = await callbacks(id);
      expect(events.filter((e) => e === 'PAYMENT.PAID')).toHaveLength(1);
      expect(events.filter((e) => e === 'PAYMENT.CANCELLED')).toHaveLength(0);
    }
  });

  it(`(d) a MULTIPLE session loses no payment: ${N} concurrent simulate SUCCESS each recorded once`, async () => {
    const id = await create(multipleQrBody());
    const results = await Promise.all(
      Array.from({ length: N }, () =>
        h.api('POST', '/v2/payments/simulations', {
          paymentSessionId: id,
          chargeStatus: 'SUCCESS',
          amount: { value: 15_000, currency: 'IDR' },
        }),
      ),
    );
    const ok = results.filter((r) => r.status === 200).length;
    for (const r of results.filter((r) => r.status !== 200)) {
      // Under heavy contention a payment may be refused as a retryable conflict, never lost or doubled.
      expectErrorEnvelope(r, 422);
      expect(r.body.code).toBe('concurrent_update');
    }
    const after = await h.api('GET', `/v2/payments/${id}`);
    expect(after.body.data.status).toBe('ACTIVE');
    // The first charge is the static QR itself; every accepted payment adds exactly one SUCCESS charge
    // (GET carries the latest few; /v2/charges has them all).
    const charges = (await h.api('GET', `/v2/charges?paymentSessionId=${id}&perPage=100`)).body.data;
    const paid = charges.filter((c: { status: string }) => c.status === 'SUCCESS');
    expect(paid).toHaveLength(ok);
    const events = await callbacks(id);
    expect(events.filter((e) => e === 'CHARGE.SUCCESS')).toHaveLength(ok);
    expect(ok).toBeGreaterThan(0);
  });
});
