// Four projects, run together by `npm test` and alone by `npm run test:<name>`:
// - unit: pure modules, no database, no app;
// - api: the app in-process on SQLite and PostgreSQL (test/helpers/harness.ts), time moved by the harness clock;
// - process: real Kasir processes from the compiled build (start-up, signals, crashes, several instances);
// - browser: the hosted page in Debian's Chromium.
// A new test file lands in api unless it matches one of the other projects' globs.
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Vitest runs one project's files after another's (alphabetically: api, browser, process, unit), and each
 * change of project starts new workers, so the CPU idles between them while the last long file of one
 * project runs alone. `npm test` runs the type-checks, ESLint and Prettier beside the tests for its first
 * half-minute: the projects whose files mostly wait (on child processes, Chromium and timers) go then, and
 * the api project's hundred short files go last, where they pack the end of the run tightly. Within a
 * project vitest starts the files it remembers as slowest first, or on a fresh clone (CI) the largest:
 * the browser files below are small but long, so they start first instead of ending the project alone.
 * Measured with `npm test` from empty caches on a 2-core machine: 178–187 s (327–343 CPU-s) over three runs
 * in vitest's order, 172–176 s (316–328 CPU-s) over three in this one.
 */
const PROJECT_ORDER = ['unit', 'process', 'browser', 'api'];
const LONG_FIRST = ['test/e2e/page.test.ts', 'test/e2e/docs.test.ts', 'test/e2e/a11y.test.ts'];

class ProjectOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const projectRank = (file: TestSpecification) => PROJECT_ORDER.indexOf(file.project.name);
    const longRank = (file: TestSpecification) => {
      const rank = LONG_FIRST.findIndex((path) => file.moduleId.endsWith(path));
      return rank === -1 ? LONG_FIRST.length : rank;
    };
    // Array.prototype.sort is stable: the rest keep vitest's order within their project.
    return sorted.sort((a, b) => projectRank(a) - projectRank(b) || longRank(a) - longRank(b));
  }
}

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
    sequence: { sequencer: ProjectOrder },
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
