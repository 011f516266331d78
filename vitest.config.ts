// Four projects, run together by `npm test` and alone by `npm run test:<name>`:
// - unit: pure modules, no database, no app;
// - api: the app in-process on SQLite and PostgreSQL (test/helpers/harness.ts), time moved by the harness clock;
// - process: real Kasir processes from the compiled build (start-up, signals, crashes, several instances);
// - browser: the hosted page in Debian's Chromium.
// A new test file lands in api unless it matches one of the other projects' globs.
import { defineConfig } from 'vitest/config';

const UNIT = [
  'test/domain/**/*.test.ts',
  'test/config.test.ts',
  'test/callbacks/{signing,circuit-breaker,write-batch}.test.ts',
  'test/security/**/*.test.ts',
  'test/page/{format,html,i18n,return-url,va-instructions}.test.ts',
  'test/usecases/dashboard/{csv,days}.test.ts',
  'test/deploy/compose.test.ts',
];
const PROCESS = [
  'test/server.test.ts',
  'test/server-outage.test.ts',
  'test/server-connections.test.ts',
  'test/dist.test.ts',
  'test/quickstart.test.ts',
  'test/callbacks/{crash,multi-instance}.test.ts',
  'test/cli/start.test.ts',
  'test/deploy/dockerfile.test.ts',
];
const BROWSER = ['test/e2e/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default on a 2-core machine is one worker, so a file waiting on a child process or a
    // socket holds up every other file. The files share nothing (own SQLite file or PostgreSQL schema,
    // own ports), so a few run at once. `npm test` asks for two: its static checks run beside the files,
    // and there a third worker only added contention (two: 200–202 s and 365–369 CPU-s; three: 211–216 s
    // and 395–405 CPU-s, on a 2-core machine).
    maxWorkers: 3,
    globalSetup: ['test/helpers/pg-schemas.ts', 'test/helpers/template-stores.ts'],
    projects: [
      {
        extends: true,
        // Pure modules: one worker's module cache serves every file.
        test: { name: 'unit', include: UNIT, isolate: false },
      },
      {
        extends: true,
        // Each file builds its own app, database and clock through the harness and no test mocks a module or
        // changes the environment, so a worker's module cache can serve every file: isolated, the api files
        // spent about 150 s of a run importing the same modules again (vitest's "import" time: 41 s shared).
        // Every app compiles the same response serializers and validators: test/helpers/serializer-cache.ts and
        // validator-cache.ts keep them.
        test: {
          name: 'api',
          include: ['test/**/*.test.ts'],
          exclude: [...UNIT, ...PROCESS, ...BROWSER],
          isolate: false,
          setupFiles: ['test/helpers/serializer-cache.ts', 'test/helpers/validator-cache.ts'],
        },
      },
      {
        extends: true,
        // They spawn dist/server.js, as `npm start` does; the setup rebuilds it when src/ is newer.
        // Start-ups are bounded generously: on a shared 2-core machine a start can take 20 s of wall time.
        // Nothing in them mocks a module or changes the environment, so a worker's module cache serves every
        // file: isolated, each file imported vitest and the helpers again (75 → 61 CPU-s for the project).
        test: {
          name: 'process',
          include: PROCESS,
          isolate: false,
          globalSetup: ['test/helpers/pg-schemas.ts', 'test/helpers/template-stores.ts', 'test/helpers/fresh-build.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        extends: true,
        // Each file starts its own Chromium, Kasir and SQLite file; nothing mocks a module or changes the
        // environment, so a worker's module cache serves every file, as in api.
        test: {
          name: 'browser',
          include: BROWSER,
          isolate: false,
          setupFiles: ['test/helpers/serializer-cache.ts', 'test/helpers/validator-cache.ts'],
        },
      },
    ],
  },
});
