// The served document's examples: every operation has them (request bodies where it takes one, its success
// answer, one body per documented error code), every callback event has one, and each validates with ajv
// against the schema it illustrates — so an example that stops matching the contract goes red. The create
// examples are also sent to Kasir, which must accept them.
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as operations from '../../src/contract/operations.ts';
import { OPERATION_EXAMPLES } from '../../src/contract/examples.ts';
import { CALLBACK_EVENTS } from '../../src/domain/statuses.ts';
import { makeHarness, requestId, type Harness } from '../helpers/harness.ts';

const addFormats = addFormatsModule.default;
type Json = Record<string, any>;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

interface Example {
  where: string;
  schema: Json;
  value: unknown;
}

const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/** Every example of a media type, with the JSON pointer of the schema it illustrates. */
function mediaExamples(media: Json | undefined, where: string[]): Example[] {
  if (!media) return [];
  const schema = { $ref: `doc#/${pointer(...where, 'schema')}` };
  const named = Object.entries<Json>(media.examples ?? {}).map(([name, example]) => ({
    where: `${where.join(' ')} ${name}`,
    schema,
    value: example.value,
  }));
  return 'example' in media ? [{ where: where.join(' '), schema, value: media.example }, ...named] : named;
}

function operationsOf(doc: Json): Array<{ where: string[]; op: Json }> {
  const of = (root: 'paths' | 'x-webhooks') =>
    Object.entries<Json>(doc[root]).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((m) => ({ where: [root, path, m], op: item[m] })),
    );
  return [...of('paths'), ...of('x-webhooks')];
}

/** Examples of parameters (headers such as X-REQUEST-ID), on the parameter or on its schema. */
function parameterExamples(op: Json, where: string[]): Example[] {
  return (op.parameters ?? []).flatMap((parameter: Json, i: number) =>
    [parameter.example, parameter.schema?.example]
      .filter((value) => value !== undefined)
      .map((value) => ({
        where: `${where.join(' ')} ${parameter.in} ${parameter.name}`,
        schema: { $ref: `doc#/${pointer(...where, 'parameters', String(i), 'schema')}` },
        value,
      })),
  );
}

function allExamples(doc: Json): Example[] {
  return operationsOf(doc).flatMap(({ where, op }) => [
    ...parameterExamples(op, where),
    ...mediaExamples(op.requestBody?.content?.['application/json'], [...where, 'requestBody', 'content', 'application/json']),
    ...Object.entries<Json>(op.responses).flatMap(([status, response]) =>
      ['application/json', 'text/event-stream'].flatMap((type) =>
        mediaExamples(response.content?.[type], [...where, 'responses', status, 'content', type]),
      ),
    ),
  ]);
}

/** ajv over the whole document: a schema pointer resolves its $refs inside it, as a reader's would. */
function validatorFor(doc: Json): (schema: Json) => ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc, 'doc');
  return (schema) => ajv.compile(schema);
}

describe('the examples in the served document', () => {
  let h: Harness;
  let doc: Json;
  let compile: (schema: Json) => ValidateFunction;
  beforeAll(async () => {
    h = await makeHarness('sqlite');
    doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    compile = validatorFor(doc);
  });
  afterAll(async () => h.close());

  it('are keyed by operationId, one entry per operation of the contract', () => {
    for (const [name, operation] of Object.entries(operations)) expect(operation.operationId).toBe(name);
    expect(Object.keys(OPERATION_EXAMPLES).sort()).toEqual(Object.keys(operations).sort());
  });

  it('cover every operation: request bodies, the success answer, and each error code of each status', () => {
    const seen = operationsOf(doc).filter(({ where }) => where[0] === 'paths');
    expect(seen.length).toBe(Object.keys(operations).length);
    for (const { where, op } of seen) {
      const label = `${where[2]} ${where[1]}`;
      const body = op.requestBody?.content?.['application/json'];
      if (body) expect(Object.keys(body.examples ?? {}).length, `${label} request`).toBeGreaterThan(0);
      const success = op.responses['200'].content;
      if (success['text/event-stream']) {
        expect(success['text/event-stream'].example, `${label} 200 (one message)`).toMatchObject({ id: expect.any(String) });
      } else expect(success['application/json'].example, `${label} 200`).toMatchObject({ code: '00' });
      for (const [status, response] of Object.entries<Json>(op.responses)) {
        if (status === '200') continue;
        const media = response.content['application/json'];
        const codes: string[] = media.schema.allOf[1].properties.code.enum;
        expect(Object.keys(media.examples).sort(), `${label} ${status}`).toEqual([...codes].sort());
        for (const code of codes) {
          expect(media.examples[code].value.code, `${label} ${status} ${code}`).toBe(code);
          expect(response.description, `${label} ${status} lists ${code}`).toContain(`\`${code}\``);
        }
      }
    }
  });

  it('give every callback event its headers and an example body', () => {
    expect(Object.keys(doc['x-webhooks'])).toEqual(CALLBACK_EVENTS);
    for (const event of CALLBACK_EVENTS) {
      const post = doc['x-webhooks'][event].post;
      expect(post.parameters.map((p: Json) => p.name)).toEqual([
        'X-API-Key',
        'webhook-id',
        'webhook-timestamp',
        'webhook-signature',
      ]);
      expect(post.requestBody.content['application/json'].example).toMatchObject({ event, data: expect.any(Object) });
    }
  });

  it('each validate against the schema they illustrate', () => {
    const examples = allExamples(doc);
    expect(examples.length).toBeGreaterThan(100);
    const failures = examples.flatMap(({ where, schema, value }) => {
      const validate = compile(schema);
      return validate(value) ? [] : [`${where}: ${ajvMessages(validate)}`];
    });
    expect(failures).toEqual([]);
  });

  it('are really checked: an example that leaves the contract fails', () => {
    const [paid] = allExamples(doc).filter(
      (e) => e.where === 'paths /v2/payments/{id} get responses 200 content application/json',
    );
    expect(paid).toBeDefined();
    const validate = compile(paid!.schema);
    expect(validate(paid!.value)).toBe(true);
    const broken = structuredClone(paid!.value) as Json;
    broken.data.status = 'SOLD';
    expect(validate(broken)).toBe(false);
    delete broken.data.status;
    broken.data.chargeDetails[0].amount.value = '10000';
    expect(validate(broken)).toBe(false);
  });

  it("the seed's create bodies are accepted by Kasir, whose answer has the example's shape", async () => {
    const create = doc.paths['/v2/payments'].post;
    const success = create.responses['200'].content['application/json'].example;
    // The examples are dated (their expiryAt is fixed): Kasir's clock moves to the example's creation time.
    h.clock.advance(Date.parse(success.data.createdAt) - h.clock.now().getTime());
    const token = await h.app.inject({
      method: 'POST',
      url: '/v1/access-token',
      headers: { 'x-merchant-id': h.merchant.id, 'x-merchant-secret': h.merchantSecret },
      payload: doc.paths['/v1/access-token'].post.requestBody.content['application/json'].examples.token.value,
    });
    const authorization = `Bearer ${token.json().data.accessToken}`;
    for (const [name, example] of Object.entries<Json>(create.requestBody.content['application/json'].examples)) {
      const res = await h.api('POST', '/v2/payments', example.value, { authorization, 'x-request-id': requestId() });
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(200);
      if (example.value.autoConfirm) expect(Object.keys(res.body.data).sort()).toEqual(Object.keys(success.data).sort());
    }
  });
});

function ajvMessages(validate: ValidateFunction): string {
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`).join('; ');
}
