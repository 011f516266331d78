// `npm run build` (npm install runs it): dist/, which `npm start`, the `kasir` command and the Docker image
// run. tsc type-checks src/ and compiles each module into dist/ with its source map; the page's and the
// dashboard's assets are copied beside their modules. Then dist/server.js, what `npm start` runs, is
// bundled with the packages it imports into that one file: loading them file by file (about 1,650 files
// opened; bundled, about 290, Scalar's plugin and what it imports) was most of a start (1.25 CPU-s to
// listening on a 2-core machine; bundled, 0.65). The CLI and every other module keep their per-module files.
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { relative, resolve } from 'node:path';
import { build } from 'esbuild';

const DIST = resolve('dist');
const require = createRequire(import.meta.url);

rmSync(DIST, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
for (const part of ['page', 'dashboard']) cpSync(`src/${part}/assets`, `dist/${part}/assets`, { recursive: true });

/**
 * In a bundle every module's `import.meta.url` is the bundle's. Ours find files beside themselves (the
 * page's assets), so each use is pointed back at the module's own place in dist/, from the bundle's.
 */
const moduleUrls = {
  name: 'module-urls',
  setup(bundler) {
    bundler.onLoad({ filter: /\.js$/ }, (args) => {
      const path = relative(DIST, args.path);
      if (path.startsWith('..')) return undefined;
      const own = `new URL(${JSON.stringify(`./${path}`)}, import.meta.url).href`;
      const text = readFileSync(args.path, 'utf8').replaceAll('import.meta.url', own);
      return { contents: text, loader: 'js', resolveDir: resolve(args.path, '..') };
    });
  },
};

await build({
  entryPoints: ['dist/server.js'],
  outfile: 'dist/server.js',
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  sourcesContent: false,
  // A native addon; pg's optional native binding; Scalar's plugin reads its renderer from its own folder.
  external: ['better-sqlite3', 'pg-native', '@scalar/fastify-api-reference'],
  // The CommonJS packages inside call require() for node's modules and the externals above.
  banner: {
    js: "import { createRequire as createRequireForBundle } from 'node:module';\nconst require = createRequireForBundle(import.meta.url);",
  },
  plugins: [moduleUrls],
  logLevel: 'warning',
});
