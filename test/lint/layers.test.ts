// The layer rule in eslint.config.js, checked on probe files: a plugin upgrade or a config slip that
// silently stopped checking (an unknown selector is only a warning) would otherwise pass `npm test`.
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: ROOT });

/** The layer-rule messages for `code` as if it were the file at `path` (which need not exist). */
async function layerErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}/${path}` });
  // lintText answers one result per text.
  return result!.messages.filter((m) => m.ruleId?.startsWith('boundaries/')).map((m) => m.message);
}

describe('the layer rule', () => {
  it('keeps the domain pure: no store, no config, no packages, no node builtins, even from a subfolder', async () => {
    const code = [
      "import { findMerchant } from '../store/merchants.ts';",
      "import { loadConfig } from '../config.ts';",
      "import { randomUUID } from 'node:crypto';",
      "import { Type } from 'typebox';",
      "import { Refusal } from './refusal.ts';",
      'export const probe = [findMerchant, loadConfig, randomUUID, Type, Refusal];',
    ].join('\n');
    const errors = await layerErrors('src/domain/probe.ts', code);
    expect(errors).toHaveLength(4);
    expect(errors.join('\n')).toMatch(/"store"[\s\S]*"config"[\s\S]*node:crypto[\s\S]*typebox/);

    const nested =
      "import { Refusal } from '../refusal.ts';\nimport { openStore } from '../../store/database.ts';\nexport const p = [Refusal, openStore];";
    expect(await layerErrors('src/domain/methods/probe.ts', nested)).toHaveLength(1);
  });

  it('lets only use cases and the composition root reach the store', async () => {
    const code = "import { findMerchant } from '../store/merchants.ts';\nexport const probe = findMerchant;";
    for (const adapter of ['api', 'page', 'callbacks', 'cli']) {
      expect(await layerErrors(`src/${adapter}/probe.ts`, code), adapter).toHaveLength(1);
    }
    expect(await layerErrors('src/usecases/probe.ts', code)).toEqual([]);
    expect(await layerErrors('src/contract/probe.ts', code)).toHaveLength(1);
    expect(
      await layerErrors('src/compose.ts', "import { openStore } from './store/database.ts';\nexport const p = openStore;"),
    ).toEqual([]);
  });

  it('lets adapters call use cases, and never lets use cases call adapters or the composition root', async () => {
    const adapter = "import { getSession } from '../usecases/read-sessions.ts';\nexport const probe = getSession;";
    expect(await layerErrors('src/api/probe.ts', adapter)).toEqual([]);
    const upwards = [
      "import { callbackUrlCheck } from '../callbacks/url-policy.ts';",
      "import { composeApp } from '../compose.ts';",
      'export const probe = [callbackUrlCheck, composeApp];',
    ].join('\n');
    expect(await layerErrors('src/usecases/probe.ts', upwards)).toHaveLength(2);
  });
});
