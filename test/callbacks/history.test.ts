// GET /v2/callbacks and POST /v2/callbacks/{id}/resend (Kasir extensions): happy, error and security paths.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, requestId, type Harness } from '../helpers/harness.ts';
import { seedAutoConfirmBody } from '../helpers/bodies.ts';
import type { CallbackDispatcher } from '../../src/callbacks/dispatcher.ts';
import { quiet, startDispatcher, type Receiver, startCallbackRig, closeRig } from './receiver.ts';

describe.each(DB_KINDS)('callback history and resend on %s', (kind) => {
  let h: Harness;
  let receiver: Receiver;
  let dispatcher: CallbackDispatcher;
  const sessions: string[] = [];

  beforeAll(async () => {
    ({ h, receiver } = await startCallbackRig(kind));
    dispatcher = startDispatcher(h);
    // 13 sessions: 13 PROCESSING + 12 PAID = 25 callbacks; the last one's PROCESSING is refused (404).
    receiver.answer = (r) => (r.json.data.clientReferenceId === 'refuseme' ? { status: 404, body: 'unknown order' } : {});
    for (let i = 0; i < 13; i++) {
      const last = i === 12;
      const res = await h.api('POST', '/v2/payments', seedAutoConfirmBody(last ? { clientReferenceId: 'refuseme' } : {}), {
        'x-request-id': requestId(),
      });
      sessions.push(res.body.data.id);
      if (!last) await h.api('POST', '/v2/payments/simulations', { paymentSessionId: res.body.data.id, chargeStatus: 'SUCCESS' });
    }
    await receiver.waitFor((r) => r.length >= 25);
    await dispatcher.idle();
  });
  afterAll(() => closeRig({ h, receiver, dispatcher }));

  it('lists callbacks newest first, 20 per page by default, with the pagination envelope', async () => {
    const first = await h.api('GET', '/v2/callbacks');
    expect(first.status).toBe(200);
    expect(first.body.code).toBe('00');
    expect(first.body.pagination).toEqual({ page: 1, perPage: 20, totalItems: 25, totalPages: 2 });
    expect(first.body.data).toHaveLength(20);
    const second = await h.api('GET', '/v2/callbacks?page=2');
    expect(second.body.data).toHaveLength(5);
    const all = [...first.body.data, ...second.body.data];
    expect(new Set(all.map((c: { id: string }) => c.id)).size).toBe(25);
    const created = all.map((c: { createdAt: string }) => Date.parse(c.createdAt));
    expect([...created].sort((a, b) => b - a)).toEqual(created);
    const small = await h.api('GET', '/v2/callbacks?perPage=7&page=4');
    expect(small.body.pagination).toEqual({ page: 4, perPage: 7, totalItems: 25, totalPages: 4 });
    expect(small.body.data).toHaveLength(4);
  });

  it('shows every attempt with time, HTTP status, latency and a response excerpt', async () => {
    const res = await h.api('GET', `/v2/callbacks?paymentSessionId=${sessions[0]}`);
    expect(res.body.data).toHaveLength(2);
    const paid = res.body.data.find((c: { event: string }) => c.event === 'PAYMENT.PAID');
    expect(paid).toMatchObject({
      id: expect.stringMatching(/^cb_/),
      paymentSessionId: sessions[0],
      status: 'DELIVERED',
      attemptCount: 1,
      nextAttemptAt: null,
      deliveredAt: expect.any(String),
      payload: { event: 'PAYMENT.PAID', data: { id: sessions[0], status: 'PAID' } },
    });
    expect(paid.attempts).toEqual([
      { attemptedAt: expect.any(String), httpStatus: 200, latencyMs: expect.any(Number), responseExcerpt: 'ok', error: null },
    ]);
  });

  it('filters by session, event and status, together', async () => {
    const byEvent = await h.api('GET', '/v2/callbacks?event=PAYMENT.PAID&perPage=100');
    expect(byEvent.body.pagination.totalItems).toBe(12);
    expect(byEvent.body.data.every((c: { event: string }) => c.event === 'PAYMENT.PAID')).toBe(true);
    const failed = await h.api('GET', '/v2/callbacks?status=FAILED');
    expect(failed.body.data).toHaveLength(1);
    expect(failed.body.data[0]).toMatchObject({ paymentSessionId: sessions[12], event: 'PAYMENT.PROCESSING' });
    expect(failed.body.data[0].attempts[0]).toMatchObject({ httpStatus: 404, responseExcerpt: 'unknown order' });
    const combined = await h.api(
      'GET',
      `/v2/callbacks?paymentSessionId=${sessions[3]}&event=PAYMENT.PROCESSING&status=DELIVERED`,
    );
    expect(combined.body.data).toHaveLength(1);
    const none = await h.api('GET', `/v2/callbacks?paymentSessionId=${sessions[3]}&status=FAILED`);
    expect(none.body).toMatchObject({ data: [], pagination: { totalItems: 0, totalPages: 0 } });
  });

  it('refuses bad query parameters with api_validation_error', async () => {
    for (const q of ['perPage=101', 'perPage=0', 'page=0', 'event=PAYMENT.SUCCESS', 'status=LOST']) {
      const res = await h.api('GET', `/v2/callbacks?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.code).toBe('api_validation_error');
    }
  });

  it('resend sends a FAILED callback again now, keeps the history and the webhook-id', async () => {
    const failed = (await h.api('GET', '/v2/callbacks?status=FAILED')).body.data[0];
    receiver.answer = () => ({});
    const before = receiver.received.length;
    const res = await h.api('POST', `/v2/callbacks/${failed.id}/resend`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toMatchObject({ id: failed.id, attemptCount: 0 });
    expect(['PENDING', 'DELIVERING', 'DELIVERED']).toContain(res.body.data.status);
    await receiver.waitFor((r) => r.length > before);
    await dispatcher.idle();
    const after = (await h.api('GET', `/v2/callbacks?paymentSessionId=${sessions[12]}`)).body.data[0];
    expect(after.status).toBe('DELIVERED');
    expect(after.attempts.map((a: { httpStatus: number }) => a.httpStatus)).toEqual([404, 200]);
    expect(receiver.received.at(-1)!.headers['webhook-id']).toBe(failed.id);
  });

  it('resend also works on a DELIVERED callback (the merchant lost it)', async () => {
    const delivered = (await h.api('GET', `/v2/callbacks?paymentSessionId=${sessions[1]}&event=PAYMENT.PAID`)).body.data[0];
    const before = receiver.received.length;
    expect((await h.api('POST', `/v2/callbacks/${delivered.id}/resend`)).status).toBe(200);
    await receiver.waitFor((r) => r.length === before + 1);
    await dispatcher.idle();
    const after = (await h.api('GET', `/v2/callbacks?paymentSessionId=${sessions[1]}&event=PAYMENT.PAID`)).body.data[0];
    expect(after.attempts).toHaveLength(2);
  });

  it('resend of an unknown id is 404', async () => {
    const res = await h.api('POST', '/v2/callbacks/cb_nope/resend');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('resource_missing');
  });

  it('resend while the callback is being delivered is 422', async () => {
    await h.store.db
      .updateTable('callbacks')
      .set({ status: 'DELIVERING', lease_until: h.clock.now().getTime() + 60_000 })
      .where('resource_id', '=', sessions[2]!)
      .execute();
    const cb = (await h.api('GET', `/v2/callbacks?paymentSessionId=${sessions[2]}&perPage=1`)).body.data[0];
    const res = await h.api('POST', `/v2/callbacks/${cb.id}/resend`);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('invalid_state');
    await h.store.db
      .updateTable('callbacks')
      .set({ status: 'DELIVERED', lease_until: null })
      .where('resource_id', '=', sessions[2]!)
      .execute();
  });

  it('security: no token is 401; another merchant sees none of these and cannot resend them', async () => {
    expect((await h.api('GET', '/v2/callbacks', undefined, { authorization: '' })).status).toBe(401);
    expect((await h.api('POST', '/v2/callbacks/x/resend', undefined, { authorization: 'Bearer nope' })).status).toBe(401);
    const other = await h.otherMerchant();
    const auth = { authorization: `Bearer ${other.token}` };
    const list = await h.api('GET', '/v2/callbacks', undefined, auth);
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ data: [], pagination: { totalItems: 0 } });
    const bySession = await h.api('GET', `/v2/callbacks?paymentSessionId=${sessions[0]}`, undefined, auth);
    expect(bySession.body.data).toEqual([]);
    const mine = (await h.api('GET', '/v2/callbacks?perPage=1')).body.data[0];
    const before = receiver.received.length;
    const resend = await h.api('POST', `/v2/callbacks/${mine.id}/resend`, undefined, auth);
    expect(resend.status).toBe(404);
    await quiet(h, dispatcher);
    expect(receiver.received.length).toBe(before);
  });

  it('is marked as a Kasir extension in the OpenAPI document', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.paths['/v2/callbacks'].get.tags).toEqual(['Kasir extension']);
    expect(doc.paths['/v2/callbacks/{id}/resend'].post.tags).toEqual(['Kasir extension']);
  });
});
