// The package runs outside Node (Deno, Bun, edge runtimes): its build sees no @types/node, so any Node-only API
// (Buffer, process, node:crypto, …) in its sources fails to compile. Root `tsc` checks the same sources with
// Node's types, which would not notice; this does.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SDK = fileURLToPath(new URL('../../packages/sdk', import.meta.url));
const TSC = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));

describe('@kasir/sdk uses no Node-only API', () => {
  it('builds with no ambient types at all', () => {
    const config = JSON.parse(readFileSync(`${SDK}/tsconfig.build.json`, 'utf8'));
    expect(config.compilerOptions.types).toEqual([]);
    const check = () =>
      execFileSync(process.execPath, [TSC, '-p', 'tsconfig.build.json', '--noEmit'], { cwd: SDK, encoding: 'utf8' });
    expect(check).not.toThrow();
  });

  it('imports only openapi-fetch, eventsource-parser and its own modules', () => {
    const sources = readdirSync(join(SDK, 'src'), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
      .map((entry) => join(entry.parentPath, entry.name));
    expect(sources.length).toBeGreaterThan(5);
    const imports = sources.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)\b[^;]*?from '([^']+)'/gms)].map((m) => m[1]),
    );
    expect(new Set(imports.filter((specifier) => !specifier?.startsWith('./')))).toEqual(
      new Set(['openapi-fetch', 'eventsource-parser']),
    );
  });
});
