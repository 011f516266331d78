// The README's quick start, followed as a newcomer would: the blocks under its `<!-- quickstart: … -->` markers
// run in bash, one process per terminal, on a clean copy of the repository (the files git would check out,
// with this checkout's installed node_modules and built dist/ standing in for `npm install`). It passes when
// terminal 2 (`kasir listen`) prints PAYMENT.PROCESSING and PAYMENT.PAID with their signatures verified.
// The time from `npm start` to the second line is printed and kept in test-artifacts/quickstart.json: it
// is a measurement, not an assertion.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './helpers/process.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The README's code blocks, each under the `<!-- quickstart: NAME -->` marker right before it. */
function quickstartBlocks(readme: string): Map<string, string> {
  const blocks = new Map<string, string>();
  for (const match of readme.matchAll(/<!-- quickstart: ([^>]+?) -->\n```sh\n([\s\S]*?)```\n/g)) {
    blocks.set(match[1]!, match[2]!);
  }
  return blocks;
}

/** What `git clone` would give: every tracked file (and new ones not ignored), nothing built or installed. */
function cleanCopy(): string {
  const copy = mkdtempSync(join(tmpdir(), 'kasir-quickstart-'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT })
    .toString()
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(ROOT, file), join(copy, file), { dereference: false, errorOnExist: false, force: true });
  }
  // `npm install` here would install and build exactly this: the checkout's own stand in for it.
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
  cpSync(join(ROOT, 'dist'), join(copy, 'dist'), { recursive: true });
  return copy;
}

interface Terminal {
  process: ChildProcess;
  out: string;
  err: string;
  exited: Promise<number | null>;
}

describe('the README quick start, on a clean copy', () => {
  const terminals: Terminal[] = [];
  let copy: string | undefined;

  afterAll(() => {
    // Each terminal is its own process group: npm's children go with it.
    for (const terminal of terminals) {
      if (terminal.process.exitCode === null && terminal.process.pid) process.kill(-terminal.process.pid, 'SIGTERM');
    }
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  it('reaches PAYMENT.PROCESSING and PAYMENT.PAID, both verified, from the README commands alone', async () => {
    const blocks = quickstartBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    expect([...blocks.keys()]).toEqual(['every terminal', 'terminal 1', 'terminal 2', 'terminal 3']);
    copy = cleanCopy();
    const port = await freePort();
    // The only change to the README's commands: the port (PORT for Kasir, KASIR_BASE_URL for the CLI, the
    // curl lines' :3000), so parallel test runs cannot meet.
    const script = (name: string) =>
      `set -e\n${blocks.get('every terminal')}\n${blocks.get(name)}`.replaceAll(':3000', `:${port}`);
    // A newcomer's shell: nothing of this test run's Kasir settings.
    const shellEnv = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? tmpdir(),
      PORT: String(port),
      KASIR_BASE_URL: `http://localhost:${port}`,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    };
    const open = (name: string): Terminal => {
      const child = spawn('bash', ['-c', script(name)], { cwd: copy, env: shellEnv, detached: true, stdio: 'pipe' });
      const terminal: Terminal = {
        process: child,
        out: '',
        err: '',
        exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
      };
      child.stdout!.on('data', (chunk) => (terminal.out += chunk));
      child.stderr!.on('data', (chunk) => (terminal.err += chunk));
      terminals.push(terminal);
      return terminal;
    };
    const until = async (what: string, done: () => boolean | Promise<boolean>, boundMs = 60_000) => {
      const deadline = Date.now() + boundMs;
      while (!(await done())) {
        if (Date.now() > deadline) {
          throw new Error(`${what} did not happen; terminals:\n${terminals.map((t) => t.out + t.err).join('\n---\n')}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };

    const started = Date.now();
    open('terminal 1');
    await until(
      'Kasir answering /readyz',
      async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.ok === true,
    );
    const listener = open('terminal 2');
    await until('kasir listen ready', () => listener.err.includes('Ready'));
    const flow = open('terminal 3');
    expect(await flow.exited, flow.out + flow.err).toBe(0);
    const sessionId = flow.out.match(/"id":"([0-9a-f-]{36})"/)?.[1];
    expect(sessionId).toBeDefined();
    await until('both callbacks verified', () => /PAYMENT\.PAID\s+\S+\s+PAID\s+signature verified/.test(listener.out));
    const elapsedMs = Date.now() - started;

    const lines = listener.out.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`PAYMENT\\.PROCESSING\\s+${sessionId}\\s+REQUIRE_ACTION\\s+signature verified$`));
    expect(lines[1]).toMatch(new RegExp(`PAYMENT\\.PAID\\s+${sessionId}\\s+PAID\\s+signature verified$`));

    mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
    writeFileSync(join(ROOT, 'test-artifacts', 'quickstart.json'), JSON.stringify({ elapsedMs, lines }, null, 2));
    console.log(`quick start: npm start → PAYMENT.PAID verified in ${(elapsedMs / 1000).toFixed(1)} s`);
  });
});
