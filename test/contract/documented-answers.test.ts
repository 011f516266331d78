// The document tells the truth about errors: each refusal a route really gives is a status that route
// documents, with a code listed in that status's enum. Plus the inputs the contract now marks required.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, makeHarness, requestId, type ApiResponse, type Harness } from '../helpers/harness.ts';
import { multipleQrBody, seedAutoConfirmBody, seedConfirmLaterBody } from '../helpers/bodies.ts';
import { paidSession, postRefund, refundBody } from '../helpers/refunds.ts';

type Json = Record<string, any>;

describe.each(DB_KINDS)('documented answers on %s', (kind) => {
  let h: Harness;
  let doc: Json;
  beforeAll(async () => {
    h = await makeHarness(kind);
    doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  });
  afterAll(async () => h.close());

  /** Asserts the answer is documented for the operation, and returns it. */
  function documented(method: string, template: string, res: ApiResponse, status: number, code: string): ApiResponse {
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body.code).toBe(code);
    const response = doc.paths[template][method.toLowerCase()].responses[String(status)];
    expect(response, `${method} ${template} documents ${status}`).toBeDefined();
    expect(
      response.content['application/json'].schema.allOf[1].properties.code.enum,
      `${method} ${template} ${status}`,
    ).toContain(code);
    return res;
  }

  const create = (body: unknown, headers: Record<string, string> = { 'x-request-id': requestId() }) =>
    h.api('POST', '/v2/payments', body, headers);

  it('create: 400, 401, 409 (both codes), 413 and 415 are documented with their codes', async () => {
    documented(
      'POST',
      '/v2/payments',
      await create({ ...seedAutoConfirmBody(), redirectUrl: 'nope' }),
      400,
      'api_validation_error',
    );
    documented(
      'POST',
      '/v2/payments',
      await create(seedAutoConfirmBody(), { authorization: 'Bearer nope', 'x-request-id': requestId() }),
      401,
      'credentials_invalid',
    );
    const body = seedAutoConfirmBody();
    expect((await create(body)).status).toBe(200);
    documented('POST', '/v2/payments', await create({ ...body }), 409, 'duplicate_error');
    const key = requestId();
    expect((await create(seedAutoConfirmBody(), { 'x-request-id': key })).status).toBe(200);
    documented('POST', '/v2/payments', await create(seedAutoConfirmBody(), { 'x-request-id': key }), 409, 'idempotency_error');
    documented(
      'POST',
      '/v2/payments',
      await create({ ...seedAutoConfirmBody(), metadata: { big: 'x'.repeat(300 * 1024) } }),
      413,
      'payload_too_large',
    );
    const text = await h.app.inject({
      method: 'POST',
      url: '/v2/payments',
      headers: { authorization: `Bearer ${h.token}`, 'x-request-id': requestId(), 'content-type': 'application/xml' },
      payload: '<payment/>',
    });
    documented(
      'POST',
      '/v2/payments',
      { status: text.statusCode, body: text.json(), headers: text.headers },
      415,
      'unsupported_media_type',
    );
  });

  it('session actions: 404 and 422 are documented with their codes', async () => {
    documented(
      'GET',
      '/v2/payments/{id}',
      await h.api('GET', '/v2/payments/00000000-0000-4000-8000-000000000000'),
      404,
      'resource_missing',
    );
    const paid = (await create(seedAutoConfirmBody())).body.data.id;
    expect((await h.api('POST', '/v2/payments/simulations', { paymentSessionId: paid, chargeStatus: 'SUCCESS' })).status).toBe(
      200,
    );
    documented(
      'POST',
      '/v2/payments/{id}/cancel',
      await h.api('POST', `/v2/payments/${paid}/cancel`, { cancellationReason: 'DUPLICATED' }),
      422,
      'invalid_state',
    );
    documented(
      'POST',
      '/v2/payments/{id}/confirm',
      await h.api('POST', `/v2/payments/${paid}/confirm`, {}),
      422,
      'invalid_state',
    );
    documented(
      'POST',
      '/v2/payments/simulations',
      await h.api('POST', '/v2/payments/simulations', { paymentSessionId: paid, chargeStatus: 'SUCCESS' }),
      422,
      'invalid_state',
    );
    documented(
      'POST',
      '/v2/payments/{id}/confirm',
      await h.api('POST', '/v2/payments/nope/confirm', {}),
      404,
      'resource_missing',
    );
    documented(
      'POST',
      '/v2/payments/{id}/capture',
      await h.api('POST', `/v2/payments/${paid}/capture`, { releaseRemainingAmount: false }),
      422,
      'invalid_state',
    );
    documented(
      'POST',
      '/v2/payments/{id}/capture',
      await h.api('POST', '/v2/payments/nope/capture', { releaseRemainingAmount: false }),
      404,
      'resource_missing',
    );
    documented('GET', '/v1/customers/{customerId}', await h.api('GET', '/v1/customers/nobody'), 404, 'resource_missing');
    documented('GET', '/v2/payments', await h.api('GET', '/v2/payments?perPage=1000'), 400, 'api_validation_error');
    documented('POST', '/v2/callbacks/{id}/resend', await h.api('POST', '/v2/callbacks/nope/resend'), 404, 'resource_missing');
    const xml = await h.app.inject({
      method: 'POST',
      url: '/v2/callbacks/nope/resend',
      headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/xml' },
      payload: '<resend/>',
    });
    documented(
      'POST',
      '/v2/callbacks/{id}/resend',
      { status: xml.statusCode, body: xml.json(), headers: xml.headers },
      415,
      'unsupported_media_type',
    );
  });

  it('create: amount is required on a SINGLE session and may be left out on a MULTIPLE one', async () => {
    for (const body of [
      seedConfirmLaterBody({ amount: undefined }),
      seedConfirmLaterBody({ amount: undefined, paymentType: 'SINGLE' }),
    ]) {
      const res = documented('POST', '/v2/payments', await create(body), 400, 'api_validation_error');
      expect(res.body.error.details).toEqual([{ field: 'amount', message: 'amount is required' }]);
    }
    const open = await create(multipleQrBody());
    expect(open.status, JSON.stringify(open.body)).toBe(200);
    expect(open.body.data.amount.value).toBe(0);
  });

  it('create: X-REQUEST-ID is required and named as Pivot spells it', async () => {
    const missingOrMalformed: Record<string, string>[] = [{}, { 'x-request-id': 'short' }];
    for (const headers of missingOrMalformed) {
      const res = documented('POST', '/v2/payments', await create(seedAutoConfirmBody(), headers), 400, 'api_validation_error');
      expect(res.body.error.details).toEqual([{ field: 'X-REQUEST-ID', message: expect.stringMatching(/^X-REQUEST-ID /) }]);
    }
  });

  it('access token: a missing credential header is 401 like a wrong one; an over-long one is 400', async () => {
    const exchange = (headers: Record<string, string>) =>
      h.app.inject({ method: 'POST', url: '/v1/access-token', headers, payload: { grantType: 'client_credentials' } });
    const incomplete: Record<string, string>[] = [
      {},
      { 'x-merchant-id': h.merchant.id },
      { 'x-merchant-secret': h.merchantSecret },
    ];
    for (const headers of incomplete) {
      const res = await exchange(headers);
      documented(
        'POST',
        '/v1/access-token',
        { status: res.statusCode, body: res.json(), headers: res.headers },
        401,
        'credentials_invalid',
      );
    }
    const long = await exchange({ 'x-merchant-id': 'x'.repeat(201), 'x-merchant-secret': h.merchantSecret });
    documented(
      'POST',
      '/v1/access-token',
      { status: long.statusCode, body: long.json(), headers: long.headers },
      400,
      'api_validation_error',
    );
  });

  it('refunds: every refusal of create, get and the sandbox endpoint is documented with its code', async () => {
    const session = await paidSession(h);
    const target = { paymentSessionId: session.id };
    const refunds = '/v1/refunds';
    documented(
      'POST',
      refunds,
      await postRefund(h, refundBody(target, { amount: { value: '1.5', currency: 'IDR' } })),
      400,
      'api_validation_error',
    );
    documented(
      'POST',
      refunds,
      await postRefund(h, refundBody(target), { authorization: 'Bearer nope' }),
      401,
      'credentials_invalid',
    );
    documented('POST', refunds, await postRefund(h, refundBody({ paymentSessionId: 'missing' })), 404, 'resource_missing');
    const body = refundBody(target, { amount: { value: '4000', currency: 'IDR' } });
    const key = requestId();
    const first = await postRefund(h, body, { 'x-request-id': key });
    expect(first.status).toBe(200);
    documented('POST', refunds, await postRefund(h, body), 409, 'duplicate_error');
    documented(
      'POST',
      refunds,
      await postRefund(h, { ...body, reason: 'OTHERS' }, { 'x-request-id': key }),
      409,
      'idempotency_error',
    );
    documented(
      'POST',
      refunds,
      await postRefund(h, refundBody(target, { amount: { value: '6001', currency: 'IDR' } })),
      422,
      'refund_amount_exceeded',
    );
    const open = (await create(seedAutoConfirmBody())).body.data;
    documented('POST', refunds, await postRefund(h, refundBody({ paymentSessionId: open.id })), 422, 'invalid_state');
    documented('GET', '/v1/refunds/{id}', await h.api('GET', '/v1/refunds/missing'), 404, 'resource_missing');
    const simulations = '/v1/refunds/simulations';
    const refundId = first.body.data.id;
    documented('POST', simulations, await h.api('POST', simulations, { refundId, status: 'MAYBE' }), 400, 'api_validation_error');
    documented(
      'POST',
      simulations,
      await h.api('POST', simulations, { refundId: 'missing', status: 'SUCCESS' }),
      404,
      'resource_missing',
    );
    expect((await h.api('POST', simulations, { refundId, status: 'SUCCESS' })).status).toBe(200);
    documented('POST', simulations, await h.api('POST', simulations, { refundId, status: 'SUCCESS' }), 422, 'invalid_state');
  });
});
