#!/usr/bin/env node
// The `kasir` command runs the compiled CLI (dist/, built by `npm run build`, which `npm install` runs).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('kasir: dist/ is missing; run `npm run build` (npm install does it) first\n');
  process.exit(1);
}
const { main } = await import(entry.href);
main();
