// The two seed flows through a client generated from the served document (openapi-typescript types +
// openapi-fetch): the types are generated afresh, the merchant program (seed-client.ts) is type-checked
// against them, and then run against a listening Kasir. packages/sdk/src/generated/openapi.ts is the committed
// copy of the same types, the one @kasir/sdk's types come from (so `tsc` sees them too); regenerate it with
// KASIR_WRITE_CLIENT_TYPES=1 when the contract changes.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHarness, uniqueReference, type Harness } from '../helpers/harness.ts';
import { runSeedFlows } from './seed-client.ts';
import { servedDocument } from './served-document.ts';

const root = resolve(import.meta.dirname, '../..');
const typesFile = join(root, 'packages/sdk/src/generated/openapi.ts');
const programFile = join(import.meta.dirname, 'seed-client.ts');

const HEADER = '// Generated from the served /openapi.json by test/contract/typed-client.test.ts (KASIR_WRITE_CLIENT_TYPES=1).\n';

async function generateTypes(document: object): Promise<string> {
  return HEADER + astToString(await openapiTS(JSON.stringify(document)));
}

function compilerOptions(): ts.CompilerOptions {
  const configFile = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
  return ts.parseJsonConfigFileContent(configFile.config, ts.sys, root).options;
}

/** Parsed library files (lib.d.ts, @types/node, openapi-fetch) are shared by every check in this file. */
const parsed = new Map<string, ts.SourceFile | undefined>();

/** Type errors of the merchant program when the client types are `types` (not the file on disk). */
function typeErrors(types: string, options: ts.CompilerOptions): string[] {
  const host = ts.createCompilerHost(options);
  const readSource = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language, onError) => {
    if (resolve(fileName) === typesFile) return ts.createSourceFile(fileName, types, language);
    if (!parsed.has(fileName)) parsed.set(fileName, readSource(fileName, language, onError));
    return parsed.get(fileName);
  };
  const program = ts.createProgram([programFile], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file ? `${d.file.fileName}:` : ''} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

describe('a client generated from /openapi.json', () => {
  let document: Record<string, any>;
  let types: string;
  const options = compilerOptions();

  beforeAll(async () => {
    document = JSON.parse(await servedDocument());
    types = await generateTypes(document);
    if (process.env.KASIR_WRITE_CLIENT_TYPES) writeFileSync(typesFile, types);
  });

  it('is the committed packages/sdk/src/generated/openapi.ts (regenerate it with KASIR_WRITE_CLIENT_TYPES=1 after a contract change)', () => {
    expect(readFileSync(typesFile, 'utf8')).toBe(types);
  });

  it('type-checks the seed flows program, which has no casts', () => {
    const source = readFileSync(programFile, 'utf8').replace(/\/\/.*$/gm, '');
    expect(source.match(/\bas\s+(?!const\b)[A-Za-z{[(]/g) ?? []).toEqual([]);
    expect(source).not.toMatch(/@ts-(ignore|expect-error|nocheck)|\bany\b/);
    expect(typeErrors(types, options)).toEqual([]);
  });

  it('is really checked: types that lost the X-REQUEST-ID header or the charge details fail the program', async () => {
    const broken = structuredClone(document);
    broken.paths['/v2/payments'].post.parameters = [];
    delete broken.components.schemas.PaymentSession.properties.chargeDetails;
    const errors = typeErrors(await generateTypes(broken), options);
    expect(errors.join('\n')).toMatch(/x-request-id/);
    expect(errors.join('\n')).toMatch(/chargeDetails/);
  });

  describe('run against a listening Kasir', () => {
    let h: Harness;
    let baseUrl: string;
    beforeAll(async () => {
      h = await makeHarness('sqlite');
      baseUrl = await h.app.listen({ port: 0, host: '127.0.0.1' });
    });
    afterAll(async () => h.close());

    it('runs both seed flows to PAID', async () => {
      const result = await runSeedFlows(baseUrl, { id: h.merchant.id, secret: h.merchantSecret }, uniqueReference());
      expect(result.early).toEqual({
        created: 'REQUIRE_ACTION',
        virtualAccountNumber: expect.stringMatching(/^\d{8,23}$/),
        paid: 'PAID',
      });
      expect(result.later).toEqual({ created: 'REQUIRE_PAYMENT_METHOD', confirmed: 'REQUIRE_ACTION', paid: 'PAID' });
    });
  });
});
