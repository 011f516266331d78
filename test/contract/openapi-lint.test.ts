// `redocly lint` on the served document with the repository's rules (redocly.yaml): no problem at all.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { servedDocument } from './served-document.ts';

const root = resolve(import.meta.dirname, '../..');
const redocly = join(root, 'node_modules/.bin/redocly');

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: Array<{ ruleId: string; severity: string; message: string; location: Array<{ pointer?: string }> }>;
}

async function lint(file: string): Promise<LintReport> {
  const args = ['lint', file, '--config', join(root, 'redocly.yaml'), '--format', 'json'];
  // redocly exits 1 when it finds errors; the report on stdout is what matters.
  const output = await promisify(execFile)(redocly, args, { cwd: root }).catch((error: { stdout?: string }) => ({
    stdout: error.stdout ?? '',
  }));
  return JSON.parse(output.stdout);
}

describe('the served OpenAPI document', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kasir-openapi-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes redocly lint (recommended-strict) with no errors or warnings', async () => {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, await servedDocument());
    const report = await lint(file);
    const problems = report.problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`);
    expect(problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });

  it('is really checked: a document with a known defect fails the same lint', async () => {
    const doc = JSON.parse(await servedDocument());
    delete doc.paths['/v2/payments'].post.operationId;
    doc.paths['/v2/payments'].post.security = undefined;
    const file = join(dir, 'broken.json');
    writeFileSync(file, JSON.stringify(doc));
    const report = await lint(file);
    expect(report.problems.map((p) => p.ruleId)).toEqual(expect.arrayContaining(['operation-operationId', 'security-defined']));
    expect(report.totals.errors).toBeGreaterThan(0);
  });
});
