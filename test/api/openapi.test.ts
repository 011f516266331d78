import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHarness, type Harness } from '../helpers/harness.ts';

type Json = Record<string, any>;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function operations(doc: Json): Array<{ where: string; op: Json }> {
  return Object.entries<Json>(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((m) => ({ where: `${m.toUpperCase()} ${path}`, op: item[m] })),
  );
}

/** The code enum a documented error response narrows the envelope to. */
function codesOf(response: Json): string[] {
  const schema = response.content['application/json'].schema;
  expect(schema.allOf[0]).toEqual({ $ref: '#/components/schemas/ErrorEnvelope' });
  return schema.allOf[1].properties.code.enum;
}

describe('GET /openapi.json', () => {
  let h: Harness;
  let doc: Json;
  beforeAll(async () => {
    h = await makeHarness('sqlite');
    const res = await h.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    doc = res.json();
  });
  afterAll(async () => h.close());

  it('serves an OpenAPI 3 document generated from the route schemas', () => {
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of [
      '/v1/access-token',
      '/v2/payments',
      '/v2/payments/{id}',
      '/v2/payments/{id}/confirm',
      '/v2/payments/{id}/cancel',
      '/v2/payment-method-configs',
      '/v2/payments/simulations',
      '/v2/callbacks',
      '/v2/callbacks/{id}/resend',
    ]) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
    const create = doc.components.schemas.CreatePaymentRequest.allOf[0];
    expect(create.required).toEqual(expect.arrayContaining(['clientReferenceId', 'redirectUrl']));
    expect(doc.components.schemas.AmountInput.properties.value.type).toBe('integer');
    expect(doc.components.schemas.PaymentSession.properties.paymentUrl).toBeDefined();
  });

  it('names its schemas: the error envelope and the Payment Session Object are defined once and referenced', () => {
    const names = Object.keys(doc.components.schemas);
    expect(names).toEqual(
      expect.arrayContaining(['ErrorEnvelope', 'PaymentSession', 'Charge', 'Amount', 'CreatePaymentRequest', 'Callback']),
    );
    expect(names.filter((n) => n.startsWith('def-'))).toEqual([]);
    const text = JSON.stringify(doc);
    // The envelope's distinctive field appears in its component only, never inlined into a response.
    expect(text.split('"traceId":{').length - 1).toBe(1);
    // Once in Charge and once in Capture: neither is inlined where it is used.
    expect(text.split('"paymentSessionClientReferenceId":{').length - 1).toBe(2);
    expect(text.split('"#/components/schemas/ErrorEnvelope"').length - 1).toBeGreaterThanOrEqual(30);
  });

  it('gives every operation a unique operationId and declares its security', () => {
    const ops = operations(doc);
    expect(ops.length).toBeGreaterThanOrEqual(10);
    const ids = ops.map(({ op }) => op.operationId);
    expect(
      ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id)),
      ids.join(),
    ).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { where, op } of ops) {
      expect(op.security, where).toBeInstanceOf(Array);
      expect(op.security.length, where).toBeGreaterThan(0);
      for (const requirement of op.security) {
        for (const scheme of Object.keys(requirement))
          expect(doc.components.securitySchemes, `${where} ${scheme}`).toHaveProperty([scheme]);
      }
    }
    expect(doc.paths['/v2/payments'].post.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths['/v1/access-token'].post.security).toEqual([{ merchantId: [], merchantSecret: [] }]);
    expect(doc.components.securitySchemes.bearerAuth.scheme).toBe('bearer');
  });

  it('marks required headers and the conditional create amount as required', () => {
    const header = (op: Json, name: string) => op.parameters.find((p: Json) => p.in === 'header' && p.name === name);
    expect(header(doc.paths['/v2/payments'].post, 'x-request-id')).toMatchObject({
      required: true,
      schema: { pattern: '^[A-Za-z0-9]{16,36}$' },
    });
    const token = doc.paths['/v1/access-token'].post;
    expect(header(token, 'x-merchant-id').required).toBe(true);
    expect(header(token, 'x-merchant-secret').required).toBe(true);
    // amount: required, unless paymentType is MULTIPLE (open amount).
    const [, condition] = doc.components.schemas.CreatePaymentRequest.allOf;
    expect(condition.anyOf).toEqual([
      expect.objectContaining({ required: ['amount'] }),
      expect.objectContaining({
        required: ['paymentType'],
        properties: { paymentType: expect.objectContaining({ enum: ['MULTIPLE'] }) },
      }),
    ]);
  });

  it('documents, per route, the error statuses it can answer and their codes', () => {
    const create = doc.paths['/v2/payments'].post.responses;
    expect(Object.keys(create).sort()).toEqual(['200', '400', '401', '409', '413', '415', '422', '503']);
    expect(codesOf(create['409']).sort()).toEqual(['duplicate_error', 'idempotency_error']);
    expect(codesOf(create['401'])).toEqual(['credentials_invalid']);
    const confirm = doc.paths['/v2/payments/{id}/confirm'].post.responses;
    expect(codesOf(confirm['422']).sort()).toEqual(['concurrent_update', 'invalid_state', 'payment_session_expired']);
    expect(codesOf(confirm['404'])).toEqual(['resource_missing']);
    expect(codesOf(doc.paths['/v1/access-token'].post.responses['429'])).toEqual(['frequency_above_limit']);
    expect(Object.keys(doc.paths['/v2/payments/{id}'].get.responses).sort()).toEqual(['200', '400', '401', '404', '503']);
    for (const { where, op } of operations(doc)) {
      // Every route reads the database (the bearer check loads the merchant), so every route can be unavailable.
      expect(codesOf(op.responses['503']), where).toEqual(['service_unavailable']);
      expect(op.responses['503'].headers['Retry-After'].schema, where).toMatchObject({ type: 'integer' });
      for (const [status, response] of Object.entries<Json>(op.responses)) {
        if (status === '200') continue;
        expect(Number(status), where).toBeGreaterThanOrEqual(400);
        expect(codesOf(response).length, `${where} ${status}`).toBeGreaterThan(0);
      }
    }
  });
});
