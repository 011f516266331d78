import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHarness, type Harness } from '../helpers/harness.ts';

describe('GET /openapi.json and /docs', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness('sqlite');
  });
  afterAll(async () => h.close());

  it('serves an OpenAPI 3 document generated from the route schemas', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of ['/v1/access-token', '/v2/payments', '/v2/payments/{id}', '/v2/payments/{id}/confirm', '/v2/payments/{id}/cancel', '/v2/payment-method-configs', '/v2/payments/simulations']) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
    const create = doc.paths['/v2/payments'].post;
    const schema = create.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(expect.arrayContaining(['clientReferenceId', 'redirectUrl']));
    expect(schema.properties.amount.properties.value.type).toBe('integer');
    expect(create.responses['200'].content['application/json'].schema.properties.data.properties.paymentUrl).toBeDefined();
    expect(create.responses['409']).toBeDefined();
    expect(doc.components.securitySchemes.bearerAuth.scheme).toBe('bearer');
  });

  it('serves a browsable reference at /docs', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('swagger');
  });
});
