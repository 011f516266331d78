// Validators and serializers compiled on a route's first use (src/api/schema-compilers.ts): a started app
// has compiled none, every one of Kasir's compiles, a broken schema is still caught, and a lazily compiled
// validator refuses what it should (Fastify reads its errors off the function it was handed).
import Fastify from 'fastify';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchemaCompilers } from '../../src/api/schema-compilers.ts';
import { makeHarness, requestId, type Harness } from '../helpers/harness.ts';
import { seedAutoConfirmBody } from '../helpers/bodies.ts';

describe("Kasir's routes", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness('sqlite');
  });
  afterAll(() => h.close());

  it('compile nothing at start, compile what a request uses, and every schema left compiles', async () => {
    const atStart = h.app.schemaCompilers.pendingCount;
    // Every operation's body, query, params, headers and each answer's serializer: well over a hundred.
    expect(atStart).toBeGreaterThan(100);
    const created = await h.api('POST', '/v2/payments', seedAutoConfirmBody(), { 'x-request-id': requestId() });
    expect(created.status).toBe(200);
    expect(h.app.schemaCompilers.pendingCount).toBeLessThan(atStart);
    expect(() => h.app.schemaCompilers.compileAll()).not.toThrow();
    expect(h.app.schemaCompilers.pendingCount).toBe(0);
    // Compiled ahead of use, they answer as before.
    const read = await h.api('GET', `/v2/payments/${created.body.data.id}`);
    expect(read.body.data).toEqual(created.body.data);
  });
});

describe('a lazily compiled route', () => {
  async function appWith(body: object) {
    const compilers = new SchemaCompilers();
    const app = Fastify({ schemaController: { compilersFactory: { buildSerializer: compilers.serializers() } } });
    app.setValidatorCompiler(compilers.validators(() => new Ajv({ allErrors: true })));
    app.post(
      '/things',
      { schema: { body, response: { 200: { type: 'object', properties: { name: { type: 'string' } } } } } },
      async (request) => ({ name: (request.body as { name: string }).name, secret: 'not in the schema' }),
    );
    await app.ready();
    return { app, compilers };
  }

  it("refuses a body that breaks its schema, with the validator's reasons, and serializes by its schema", async () => {
    const { app } = await appWith({ type: 'object', required: ['name'], properties: { name: { type: 'string' } } });
    const refused = await app.inject({ method: 'POST', url: '/things', payload: { nom: 'x' } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toContain("must have required property 'name'");
    const accepted = await app.inject({ method: 'POST', url: '/things', payload: { name: 'kopi' } });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toEqual({ name: 'kopi' });
    await app.close();
  });

  it('with a schema that does not compile: compileAll throws, and the route answers 500, never unchecked', async () => {
    const { app, compilers } = await appWith({ type: 'not-a-json-type' });
    expect(() => compilers.compileAll()).toThrow(/type/);
    const answer = await app.inject({ method: 'POST', url: '/things', payload: { name: 'kopi' } });
    expect(answer.statusCode).toBe(500);
    await app.close();
  });
});
