// A NUL character (PostgreSQL text refuses it) anywhere in a request is a 400 naming the field, on every
// route the served OpenAPI document lists: each string path, query and header parameter, and each string
// of the bodies. On PostgreSQL these were 500s (callback history filter, resend, statementDescriptor, …).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, makeHarness, requestId, type Harness } from '../helpers/harness.ts';
import { seedAutoConfirmBody, seedConfirmBody } from '../helpers/bodies.ts';

type Json = Record<string, any>;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const NUL_TEXT = 'a\u0000b';

/** A body each operation accepts, so the only thing wrong with a request is the NUL put into it. */
function validBody(operationId: string): Json | undefined {
  switch (operationId) {
    case 'createPayment':
      return seedAutoConfirmBody();
    case 'confirmPayment':
      return seedConfirmBody();
    case 'cancelPayment':
      return { cancellationReason: 'VOID_SESSION' };
    case 'simulatePayment':
      return { paymentSessionId: '00000000-0000-4000-8000-000000000000', chargeStatus: 'SUCCESS' };
    case 'createAccessToken':
      return { grantType: 'client_credentials' };
    default:
      return undefined;
  }
}

/** Every path to a string leaf of `value`, with the field name validation details use (`a.b[0].c`). */
function stringLeaves(value: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((item, i) => stringLeaves(item, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...path, k]));
  return [];
}
const fieldName = (path: Array<string | number>) =>
  path.reduce<string>((name, part) => (typeof part === 'number' ? `${name}[${part}]` : name ? `${name}.${part}` : part), '');
function withNulAt(body: Json, path: Array<string | number>): Json {
  const copy = structuredClone(body);
  let target: any = copy;
  for (const part of path.slice(0, -1)) target = target[part];
  target[path[path.length - 1]!] = NUL_TEXT;
  return copy;
}

const isString = (schema: Json | undefined) =>
  schema?.type === 'string' || schema?.enum?.every((v: unknown) => typeof v === 'string');

describe.each(DB_KINDS)('NUL characters in requests on %s', (kind) => {
  let h: Harness;
  let doc: Json;
  /** Real values for path parameters the NUL is not in: a session and a callback of the merchant. */
  let sessionId: string;
  let callbackId: string;

  beforeAll(async () => {
    h = await makeHarness(kind);
    doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const created = await h.api('POST', '/v2/payments', seedAutoConfirmBody(), { 'x-request-id': requestId() });
    sessionId = created.body.data.id;
    callbackId = (await h.api('GET', `/v2/callbacks?paymentSessionId=${sessionId}`)).body.data[0].id;
  });
  afterAll(() => h.close());

  const operations = () =>
    Object.entries<Json>(doc.paths).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] as Json })),
    );
  const expectRefused = (res: { statusCode: number; json(): any }, field: string, where: string) => {
    expect(res.statusCode, `${where}: ${JSON.stringify(res.json())}`).toBe(400);
    const body = res.json();
    expect(body.code, where).toBe('api_validation_error');
    expect(body.error.details, where).toContainEqual({ field, message: expect.stringMatching(/NUL/) });
  };

  it('every string parameter of every documented operation', async () => {
    let checked = 0;
    for (const { path, method, op } of operations()) {
      const parameters: Json[] = op.parameters ?? [];
      for (const target of parameters.filter((p) => isString(p.schema))) {
        const query = new URLSearchParams();
        const headers: Record<string, string> = { authorization: `Bearer ${h.token}` };
        let url = path;
        for (const p of parameters) {
          const mine = p === target;
          if (p.in === 'path') {
            const real = path.startsWith('/v2/callbacks') ? callbackId : sessionId;
            url = url.replace(`{${p.name}}`, mine ? 'a%00b' : real);
          } else if (p.in === 'query' && mine) query.set(p.name, NUL_TEXT);
          else if (p.in === 'header') headers[p.name] = mine ? NUL_TEXT : p.name === 'x-request-id' ? requestId() : 'demo';
        }
        const body = validBody(op.operationId);
        const res = await h.app.inject({
          method: method.toUpperCase() as 'GET' | 'POST',
          url: query.size ? `${url}?${query}` : url,
          headers,
          ...(body !== undefined && { payload: body }),
        });
        expectRefused(res, p(target), `${method.toUpperCase()} ${path} ${target.in} ${target.name}`);
        checked++;
      }
    }
    // The walk really covered the API: ids, filters, the idempotency key and the token headers.
    expect(checked).toBeGreaterThanOrEqual(12);
  });

  it('every string in each documented request body', async () => {
    let checked = 0;
    for (const { path, method, op } of operations()) {
      const body = validBody(op.operationId);
      if (!op.requestBody || !body) continue;
      const url = path.replace('{id}', sessionId);
      for (const leaf of stringLeaves(body)) {
        const res = await h.app.inject({
          method: method.toUpperCase() as 'POST',
          url,
          headers: {
            authorization: `Bearer ${h.token}`,
            'x-request-id': requestId(),
            'x-merchant-id': 'demo',
            'x-merchant-secret': 'x',
          },
          payload: withNulAt(body, leaf),
        });
        expectRefused(res, fieldName(leaf), `${method.toUpperCase()} ${path} body ${fieldName(leaf)}`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('every operation documents the 400, whatever carries the NUL (an unlisted header or query parameter)', async () => {
    for (const { path, method, op } of operations()) {
      const url = path.replace('{id}', path.startsWith('/v2/callbacks') ? callbackId : sessionId);
      const body = validBody(op.operationId);
      for (const [where, extra] of [
        ['header', { headers: { 'x-note': NUL_TEXT } }],
        ['query', { query: { note: NUL_TEXT } }],
      ] as const) {
        const res = await h.app.inject({
          method: method.toUpperCase() as 'GET' | 'POST',
          url,
          headers: { authorization: `Bearer ${h.token}`, 'x-request-id': requestId(), ...('headers' in extra && extra.headers) },
          ...('query' in extra && { query: extra.query }),
          ...(body !== undefined && { payload: body }),
        });
        const name = `${method.toUpperCase()} ${path} (${where})`;
        expectRefused(res, where === 'header' ? 'X-NOTE' : 'note', name);
        expect(op.responses['400'], `${name} documents 400`).toBeDefined();
        expect(op.responses['400'].content['application/json'].schema.allOf[1].properties.code.enum, name).toContain(
          'api_validation_error',
        );
      }
    }
  });

  it('a NUL in a key of free-form merchant data, or deep inside it, is refused too', async () => {
    const keyed = seedAutoConfirmBody({ metadata: { 'in\u0000voice': 'INV001' } });
    expectRefused(
      await h.app.inject({
        method: 'POST',
        url: '/v2/payments',
        headers: { authorization: `Bearer ${h.token}`, 'x-request-id': requestId() },
        payload: keyed,
      }),
      'metadata.in\u0000voice',
      'metadata key',
    );
    // Built as text: JSON.stringify itself would overflow the stack on 20,000 levels.
    const deep = `${'['.repeat(20_000)}"a\\u0000b"${']'.repeat(20_000)}`;
    const res = await h.app.inject({
      method: 'POST',
      url: '/v2/payments',
      headers: { authorization: `Bearer ${h.token}`, 'x-request-id': requestId(), 'content-type': 'application/json' },
      payload: JSON.stringify(seedAutoConfirmBody({ metadata: { deep: '@DEEP@' } })).replace('"@DEEP@"', deep),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].field).toMatch(/^metadata\.deep(\[0\]){20000}$/);
  });
});

/** The field name a parameter's problem is reported under (headers as Pivot spells them). */
function p(parameter: Json): string {
  return parameter.in === 'header' ? String(parameter.name).toUpperCase() : String(parameter.name);
}
