// The compiled build (dist/, made by `npm run build`, which `npm install` runs through `prepare`): what
// `npm start` and the `kasir` bin run, with plain node and no TypeScript loader.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './helpers/process.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function run(args: string[], env: Record<string, string>) {
  const proc = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (d) => (out += d));
  proc.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, exited, output: () => out };
}

describe('the compiled build', () => {
  const databaseUrl = `file:${join(mkdtempSync(join(tmpdir(), 'kasir-dist-')), 'k.db')}`;
  let server: ChildProcess | undefined;

  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist/server.js'))) throw new Error('dist/ is missing: run `npm run build` (npm install runs it)');
  });
  afterAll(() => {
    if (server?.exitCode === null) server.kill('SIGKILL');
  });

  it('npm start: dist/server.js serves the API, the payment page, the dashboard and the reference with their assets, and stops on SIGTERM', async () => {
    const port = await freePort();
    const started = run(['dist/server.js'], {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
    });
    server = started.proc;
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 40_000;
    while (
      !(await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      ))
    ) {
      if (Date.now() > deadline || started.proc.exitCode !== null)
        throw new Error(`dist/server.js never became ready:\n${started.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(started.output()).toMatch(/X-MERCHANT-ID:/);

    const page = await fetch(`${base}/detail?token=not-a-token`);
    expect(page.status).toBe(404);
    const html = await page.text();
    const stylesheet = /href="(\/detail\/assets\/page\.[0-9a-f]+\.css)"/.exec(html)?.[1];
    expect(stylesheet).toBeDefined();
    const css = await fetch(base + stylesheet);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/text\/css/);
    // dist/server.js is one bundled file: each part still finds the files it serves beside its own module.
    const signIn = await (await fetch(`${base}/dashboard/sign-in`)).text();
    const dashboardSheet = /href="(\/dashboard\/assets\/dashboard\.[0-9a-f]+\.css)"/.exec(signIn)?.[1];
    expect(dashboardSheet).toBeDefined();
    expect((await fetch(base + dashboardSheet)).status).toBe(200);
    const reference = await fetch(`${base}/docs/`);
    expect(reference.status).toBe(200);
    expect(await reference.text()).toContain('src="js/scalar.js"');
    const renderer = await fetch(`${base}/docs/js/scalar.js`);
    expect(renderer.status).toBe(200);
    expect((await renderer.text()).length).toBeGreaterThan(100_000);

    started.proc.kill('SIGTERM');
    expect(await started.exited).toBe(0);
  });

  it('the kasir bin runs the compiled CLI', async () => {
    const cli = run(['bin/kasir.js', 'merchant', 'create', '--name', 'Toko Dist', '--json'], { DATABASE_URL: databaseUrl });
    expect(await cli.exited).toBe(0);
    expect(JSON.parse(cli.output())).toMatchObject({
      clientId: expect.any(String),
      webhookSecret: expect.stringMatching(/^whsec_/),
    });
  });
});
