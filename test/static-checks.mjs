// The checks `npm test` runs beside the tests: both type-checks, ESLint and Prettier. Run one after another
// they took 75 s; they read the same files and share nothing, so they run at once (each is mostly one
// core's work). Each one's output is printed when it ends, whole, so outputs do not interleave; the
// exit status is the first failure's, after all have ended.
//
// `node test/static-checks.mjs -- vitest run` runs the tests too, at the same time, with their output as it
// comes (`npm test`): the test files spend part of their time waiting on processes, Chromium and sockets,
// and the checks fill it. Run before the tests, they added 34 s to a 259 s `npm test` on a 2-core machine.
// Beside them, two vitest workers do better than three (vitest.config.ts).
//
// ESLint and Prettier keep a cache under node_modules/.cache/ (by file content, and dropped by either tool
// when its configuration or version changes), and tsc its incremental build info there: a run after a
// small change re-checks only what changed. A fresh clone, as on CI, checks everything.
import { spawn } from 'node:child_process';

const CACHE = 'node_modules/.cache';
const CHECKS = [
  ['tsc', '--noEmit', '--incremental', '--tsBuildInfoFile', `${CACHE}/tsc/root.tsbuildinfo`],
  ['tsc', '-p', 'examples/shop', '--incremental', '--tsBuildInfoFile', `${CACHE}/tsc/shop.tsbuildinfo`],
  ['eslint', '.', '--cache', '--cache-strategy', 'content', '--cache-location', `${CACHE}/eslint/`],
  ['prettier', '--check', '.', '--cache', '--cache-strategy', 'content'],
];

function run([command, ...args]) {
  const line = `${command} ${args.join(' ')}`;
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    // 'close' follows 'error' too (e.g. a command not found): the output then carries the error.
    child.on('error', (error) => (output += `${error}\n`));
    child.on('close', (code) => {
      process.stdout.write(`\n> ${line} (${((Date.now() - started) / 1000).toFixed(1)} s, exit ${code})\n${output}`);
      resolve({ line, code: code ?? 1 });
    });
  });
}

/** The command after `--`, run with its output passed straight through. */
function runAlongside([command, ...args]) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit' });
    child.on('error', (error) => console.error(`${command}: ${error}`));
    child.on('close', (code) => resolve({ line: [command, ...args].join(' '), code: code ?? 1 }));
  });
}

const separator = process.argv.indexOf('--');
const alongside = separator === -1 ? [] : process.argv.slice(separator + 1);
const results = await Promise.all([...CHECKS.map(run), ...(alongside.length > 0 ? [runAlongside(alongside)] : [])]);
const failed = results.filter((result) => result.code !== 0);
for (const { line } of failed) console.error(`failed: ${line}`);
process.exit(failed.length > 0 ? 1 : 0);
