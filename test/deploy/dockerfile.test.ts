// No container engine runs here, so this reproduces the Dockerfile's runtime stage in a clean temporary
// folder, reading its steps from the Dockerfile itself so the two cannot drift: each COPY (from the build
// stage, which is this checkout after `npm ci` and `npm run build`), each npm RUN, the ENV, then the CMD
// with DATABASE_URL under a temporary stand-in for the /data volume; the HEALTHCHECK's own command says
// when it is ready; one payment is created and read back; SIGTERM ends it with exit code 0.
import { spawn, type SpawnOptions } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAutoConfirmBody } from '../helpers/bodies.ts';
import { freePort } from '../helpers/process.ts';
import { envPairs, execForm, healthcheck, readDockerfile, type Instruction, type Stage } from './dockerfile.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const stages = readDockerfile(new URL('../../Dockerfile', import.meta.url));
const build = stages.find((stage) => stage.name === 'build');
const runtime = stages.at(-1);

/** Given to the container as an operator would (`docker run -e`), so the test can get a token. */
const MERCHANT = { id: 'docker-shop', secret: 'docker-shop-secret-0123' };

/** The one RUN of the runtime stage that is not npm: the volume's directory, owned by the unprivileged user. */
const DATA_DIR_RUN = 'mkdir -p /data && chown node:node /data';

function only(stage: Stage, keyword: string): Instruction {
  const found = stage.instructions.filter((i) => i.keyword === keyword);
  expect(found, `${stage.name}: one ${keyword}`).toHaveLength(1);
  return found[0]!;
}

describe('the Dockerfile', () => {
  it('builds in one stage and runs in another: non-root, /data volume, readiness healthcheck, node dist/server.js', () => {
    expect(build, 'a stage named build').toBeDefined();
    expect(runtime).not.toBe(build);
    const buildRuns = build!.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    expect(buildRuns.some((run) => run.startsWith('npm ci '))).toBe(true);
    expect(buildRuns).toContain('npm run build');

    const stage = runtime!;
    expect(only(stage, 'WORKDIR').args).toBe('/app');
    expect(only(stage, 'USER').args).toBe('node');
    // USER comes before CMD and after every RUN: nothing at run time is root.
    const at = (keyword: string) => stage.instructions.findIndex((i) => i.keyword === keyword);
    const lastRun = stage.instructions.map((i) => i.keyword).lastIndexOf('RUN');
    expect(at('USER')).toBeGreaterThan(lastRun);
    expect(only(stage, 'VOLUME').args).toBe('/data');
    const env = Object.assign({}, ...stage.instructions.filter((i) => i.keyword === 'ENV').map((i) => envPairs(i.args)));
    expect(env.DATABASE_URL).toMatch(/^file:\/data\//);
    expect(only(stage, 'EXPOSE').args).toBe(env.PORT);
    expect(execForm(only(stage, 'CMD').args)).toEqual(['node', 'dist/server.js']);
    const check = healthcheck(only(stage, 'HEALTHCHECK'));
    expect(check.command[0]).toBe('node');
    expect(check.command.join(' ')).toContain('/readyz');
  });
});

describe('.dockerignore', () => {
  it('keeps local state, build output and secrets out of the build context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['.git', 'node_modules', '**/node_modules', 'dist', 'data', '*.db', '.env'])
      expect(ignored).toContain(entry);
  });
});

describe("the Dockerfile's runtime stage, reproduced in a clean folder", () => {
  const scratch = mkdtempSync(join(tmpdir(), 'kasir-image-'));
  const app = join(scratch, 'app');
  const data = join(scratch, 'data');
  /** A setting naming the volume (`/data/…`, `file:/data/…`) names this folder's stand-in instead. */
  const onHost = (value: string) =>
    value.replace(/^(file:)?\/data(?=\/|$)/, (_whole, scheme: string | undefined) => `${scheme ?? ''}${data}`);
  const imageEnv: Record<string, string> = {};
  let healthCommand: string[] = [];
  let command: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist/server.js'))) throw new Error('dist/ is missing: run `npm run build`');
    if (!existsSync(join(ROOT, 'packages/sdk/dist/index.js'))) throw new Error('the SDK is not built: run `npm run build`');
    mkdirSync(app);
    for (const step of runtime!.instructions) await reproduce(step);
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  async function reproduce(step: Instruction): Promise<void> {
    switch (step.keyword) {
      case 'WORKDIR':
      case 'USER':
      case 'VOLUME':
      case 'EXPOSE':
        return;
      case 'ENV':
        return void Object.assign(imageEnv, envPairs(step.args));
      case 'COPY':
        return copy(step);
      case 'RUN':
        return run(step);
      case 'HEALTHCHECK':
        return void (healthCommand = healthcheck(step).command);
      case 'CMD':
        return void (command = execForm(step.args));
      default:
        throw new Error(`Dockerfile line ${step.line}: the test does not know how to reproduce ${step.keyword}`);
    }
  }

  /** COPY --from=build: the build stage's /app is this checkout. A directory's contents land in the target. */
  function copy(step: Instruction): void {
    expect(step.flags.from, `Dockerfile line ${step.line}: the runtime stage copies from the build stage`).toBe('build');
    const parts = step.args.split(/\s+/);
    const target = parts.pop()!;
    for (const source of parts) {
      expect(source, `Dockerfile line ${step.line}`).toMatch(/^\/app\//);
      const from = join(ROOT, source.slice('/app/'.length));
      const into = join(app, target);
      const to = target.endsWith('/') || parts.length > 1 ? join(into, basename(from)) : into;
      mkdirSync(join(to, '..'), { recursive: true });
      cpSync(from, to, { recursive: true });
    }
  }

  /** npm steps run as written (the npm cache is this machine's); the data directory is made by hand. */
  async function run(step: Instruction): Promise<void> {
    if (step.args === DATA_DIR_RUN) return void mkdirSync(data);
    expect(step.args, `Dockerfile line ${step.line}: only npm steps are run here`).toMatch(/^npm /);
    const result = await exitOf('/bin/sh', ['-c', step.args], { cwd: app, env: { ...hostEnv(), ...imageEnv } });
    expect(result.code, `${step.args}\n${result.output}`).toBe(0);
  }

  it('installs production dependencies only: no compiler, no test tools, of the workspaces only the built SDK', () => {
    const installed = readdirSync(join(app, 'node_modules'));
    for (const dev of ['typescript', 'vitest', 'tsx', 'eslint', 'playwright-core']) expect(installed).not.toContain(dev);
    expect(readdirSync(join(app, 'node_modules/@kasir'))).toEqual(['sdk']);
    expect(existsSync(join(app, 'node_modules/@kasir/sdk/dist/index.js'))).toBe(true);
    expect(installed).not.toContain('kasir-example-shop');
    for (const runtimeDependency of ['fastify', 'kysely', 'better-sqlite3', 'pg', 'prom-client']) {
      expect(installed).toContain(runtimeDependency);
    }
    expect(readdirSync(join(app, 'packages'))).toEqual(['sdk']);
    expect(existsSync(join(app, 'examples'))).toBe(false);
    expect(statSync(join(app, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node')).isFile()).toBe(true);
  });

  it('starts, passes its HEALTHCHECK, takes a payment, keeps it under /data and stops on SIGTERM', async () => {
    const port = await freePort();
    const env: Record<string, string> = {
      ...hostEnv(),
      ...Object.fromEntries(Object.entries(imageEnv).map(([key, value]) => [key, onHost(value)])),
      PORT: String(port),
      HOST: '127.0.0.1',
      KASIR_MERCHANT_ID: MERCHANT.id,
      KASIR_MERCHANT_SECRET: MERCHANT.secret,
      LOG_LEVEL: 'warn',
    };
    const [executable, ...args] = command;
    const server = spawn(executable === 'node' ? process.execPath : executable!, args, {
      cwd: app,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    server.stdout.on('data', (d) => (output += d));
    server.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
    try {
      await untilHealthy(
        env,
        () => server.exitCode !== null,
        () => output,
      );
      const base = `http://127.0.0.1:${port}`;
      const token = await fetch(`${base}/v1/access-token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-merchant-id': MERCHANT.id,
          'x-merchant-secret': MERCHANT.secret,
        },
        body: JSON.stringify({ grantType: 'client_credentials' }),
      }).then((r) => r.json());
      const authorization = `Bearer ${token.data.accessToken}`;
      const created = await fetch(`${base}/v2/payments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization, 'x-request-id': `docker${Date.now()}` },
        body: JSON.stringify(seedAutoConfirmBody()),
      });
      expect(created.status).toBe(200);
      const id = (await created.json()).data.id;
      const read = await fetch(`${base}/v2/payments/${id}`, { headers: { authorization } });
      expect(read.status).toBe(200);
      expect((await read.json()).data).toMatchObject({ id, status: 'REQUIRE_ACTION' });
      const databaseFile = (env.DATABASE_URL ?? '').slice('file:'.length);
      expect(databaseFile.startsWith(`${data}/`)).toBe(true);
      expect(existsSync(databaseFile)).toBe(true);
    } finally {
      server.kill('SIGTERM');
    }
    expect(await exited, output).toBe(0);
  });

  it('runs the kasir CLI: `docker exec … kasir merchant list` reads the volume the server wrote', async () => {
    const env = { ...hostEnv(), DATABASE_URL: onHost(imageEnv.DATABASE_URL ?? '') };
    const version = await exitOf(process.execPath, ['bin/kasir.js', '--version'], { cwd: app, env });
    expect(version, version.output).toMatchObject({ code: 0 });
    const listed = await exitOf(process.execPath, ['bin/kasir.js', 'merchant', 'list', '--json'], { cwd: app, env });
    expect(listed.code, listed.output).toBe(0);
    expect(listed.output).toContain(MERCHANT.id);
  });

  /** Runs the HEALTHCHECK's command, as the engine would, until it exits 0 (bounded, not a fixed wait). */
  async function untilHealthy(env: Record<string, string>, died: () => boolean, output: () => string): Promise<void> {
    const [executable, ...args] = healthCommand;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const probe = await exitOf(executable === 'node' ? process.execPath : executable!, args, {
        cwd: app,
        env,
        timeout: 10_000,
      });
      if (probe.code === 0) return;
      if (died() || Date.now() > deadline) throw new Error(`never healthy (probe exit ${probe.code}):\n${output()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
});

/** What a container's shell would have: a PATH (npm, sh) and a HOME (npm's cache); none of this test run's settings. */
function hostEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? tmpdir() };
}

/** Runs a command to its end without blocking this process (the server it probes keeps being read). */
function exitOf(command: string, args: string[], options: SpawnOptions): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}
