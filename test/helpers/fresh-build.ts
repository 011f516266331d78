// Global setup of the process project: its tests spawn dist/server.js, the compiled JavaScript `npm start`
// runs, so dist/ must match the sources. `npm install` builds it (prepare); after an edit under src/ this
// rebuilds it once before the suite rather than letting the tests run yesterday's code.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function newestUnder(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

export default function setup(): void {
  const built = join(ROOT, 'dist', 'server.js');
  const stale = !existsSync(built) || newestUnder(join(ROOT, 'src')) > statSync(built).mtimeMs;
  if (!stale) return;
  execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
}
