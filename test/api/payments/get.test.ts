import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, makeHarness, requestId, type Harness } from '../../helpers/harness.ts';
import { seedAutoConfirmBody } from '../../helpers/bodies.ts';

describe.each(DB_KINDS)('GET /v2/payments/{id} on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness(kind);
  });
  afterAll(async () => h.close());

  it('returns the session exactly as create returned it', async () => {
    const created = await h.api('POST', '/v2/payments', seedAutoConfirmBody(), { 'x-request-id': requestId() });
    const got = await h.api('GET', `/v2/payments/${created.body.data.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);
  });

  it('answers 404 resource_missing for an unknown id, in the error envelope', async () => {
    const res = await h.api('GET', '/v2/payments/7f65c757-355f-4645-ac14-028b34ab51b1');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({
      code: 'resource_missing',
      message: 'The payment session with ID 7f65c757-355f-4645-ac14-028b34ab51b1 cannot be found',
      error: { type: 'API_ERROR', details: [] },
    });
  });

  it("never shows another merchant's session", async () => {
    const created = await h.api('POST', '/v2/payments', seedAutoConfirmBody(), { 'x-request-id': requestId() });
    const other = await h.otherMerchant();
    const res = await h.api('GET', `/v2/payments/${created.body.data.id}`, undefined, { authorization: `Bearer ${other.token}` });
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toContain(created.body.data.clientReferenceId);
  });

  it('needs a valid bearer token', async () => {
    const res = await h.api('GET', '/v2/payments/x', undefined, { authorization: 'Bearer not.a.jwt' });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('credentials_invalid');
  });
});
