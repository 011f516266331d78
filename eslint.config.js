// ESLint (flat config): typescript-eslint's recommended rules for the whole tree, and the layer rule of
// ARCHITECTURE.md for src/: adapters (api, page, dashboard, callbacks, cli, metrics) → use cases → domain. Only the use
// cases and the composition root reach the store; the domain imports nothing outside itself, not even
// node builtins or packages; src/contract holds pure wire schemas (domain and libraries only).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import boundaries from 'eslint-plugin-boundaries';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const ADAPTERS = ['api', 'page', 'dashboard', 'callbacks', 'cli', 'metrics'];
const TOP_LEVEL = { config: ['src/config.ts', 'src/config-*.ts'], app: 'src/app.ts', root: ['src/compose.ts', 'src/server.ts'] };
/** A layer is a folder of src/ (an element), or one of the top-level files (a file category). */
const layer = (name) =>
  name in TOP_LEVEL ? { element: { type: 'top' }, file: { categories: name } } : { element: { type: name } };

/** Where each layer may import from, inside src/. Anything not listed is refused. */
const LAYERS = {
  domain: ['domain'],
  contract: ['contract', 'domain'],
  config: ['config'],
  security: ['security', 'config'],
  store: ['store', 'domain', 'config', 'security'],
  usecases: ['usecases', 'domain', 'contract', 'store', 'security', 'config'],
  ...Object.fromEntries(
    ADAPTERS.map((adapter) => [adapter, [...ADAPTERS, 'usecases', 'domain', 'contract', 'security', 'config']]),
  ),
  // The CLI is an entry point of its own: it opens the database through the composition root.
  cli: [...ADAPTERS, 'root', 'usecases', 'domain', 'contract', 'security', 'config'],
  app: [...ADAPTERS, 'usecases', 'domain', 'contract', 'security', 'config'],
  root: ['root', 'app', ...ADAPTERS, 'usecases', 'domain', 'contract', 'store', 'security', 'config'],
};

/**
 * Imports that break the rule today in files whose owners are rewriting them (issue 7). Each entry is a
 * debt, not a permission: remove it with the fix.
 */
/** @type {Array<{ file: string, to: string }>} */
const KNOWN_VIOLATIONS = [];

export default defineConfig(
  { ignores: ['dist/', 'packages/*/dist/', 'node_modules/', 'coverage/', 'test-artifacts/', 'data/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      // A leading underscore marks a parameter or binding that is there on purpose but unused.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-ignore': 'allow-with-description' }],
      // tsconfig's verbatimModuleSyntax emits every import not marked `type`: mark type-only imports, and
      // keep an all-type import from leaving a side-effect `import {} from '…'` behind.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-import-type-side-effects': 'error',
    },
  },
  {
    // The payment page's script, and the example shop's, run in the shopper's browser.
    files: ['src/page/assets/**/*.js', 'examples/shop/src/assets/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
  {
    // Tests and the bench read JSON answers whose shape the assertions check.
    files: ['test/**', 'bench/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Known, in a file owned elsewhere (issue 7's domain rewrite): rethrows without { cause }.
    files: ['src/domain/qris.ts'],
    rules: { 'preserve-caught-error': 'off' },
  },
  {
    // Migrations run against the schema as it was at each step, not today's typed schema: Kysely<any>.
    files: ['src/store/migrations.ts', 'src/store/migrations/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': [
        ...Object.keys(LAYERS)
          .filter((name) => !(name in TOP_LEVEL))
          .map((type) => ({ type, pattern: `src/${type}`, partialMatch: false })),
        // Listed last, so it takes only the files directly in src/.
        { type: 'top', pattern: 'src', partialMatch: false },
      ],
      'boundaries/files': Object.entries(TOP_LEVEL).map(([category, pattern]) => ({ category, pattern })),
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          checkAllOrigins: true,
          policies: [
            ...Object.entries(LAYERS).map(([from, to]) => ({ from: layer(from), allow: { to: to.map(layer) } })),
            // Packages and node builtins anywhere but in the domain, which is pure: time and randomness are
            // passed in, and nothing there knows HTTP or SQL.
            { from: { element: { type: '!domain' } }, allow: { to: { module: { origin: ['external', 'core'] } } } },
            ...KNOWN_VIOLATIONS.map(({ file, to }) => ({ from: { file: { path: file } }, allow: { to: layer(to) } })),
          ],
        },
      ],
      'boundaries/no-unknown-files': 'error',
    },
  },
);
