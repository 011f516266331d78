import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import { DB_KINDS, makeHarness, requestId, type Harness } from './helpers/harness.ts';
import { seedAutoConfirmBody } from './helpers/bodies.ts';

describe.each(DB_KINDS)('smoke on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => { h = await makeHarness(kind); });
  afterAll(async () => { await h.close(); });
  it('creates, simulates and reads a PAID session', async () => {
    const created = await h.api('POST', '/v2/payments', seedAutoConfirmBody(), { 'x-request-id': requestId() });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const id = created.body.data.id;
    const sim = await h.api('POST', '/v2/payments/simulations', { paymentSessionId: id, chargeStatus: 'SUCCESS' });
    expect(sim.status, JSON.stringify(sim.body)).toBe(200);
    const got = await h.api('GET', `/v2/payments/${id}`);
    expect(got.body.data.status).toBe('PAID');
  });
});
