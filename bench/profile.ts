// Where one endpoint's CPU goes: starts Kasir under `node --cpu-prof`, drives the endpoint with autocannon,
// stops Kasir gracefully (which writes the profile) and prints the largest self-time shares, by function
// and by module. The .cpuprofile is kept for Chrome DevTools / speedscope.
//   tsx bench/profile.ts page|get|create|healthz [--seconds 10] [--top 25]
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
// @ts-ignore -- autocannon ships no types
import autocannonUntyped from 'autocannon';
import { BUILT_SERVER, freePort } from '../test/helpers/process.ts';
import ensureFreshBuild from '../test/helpers/fresh-build.ts';
import { benchServiceEnv, UNLIMITED_PAGE_RATES } from './service-env.ts';
import { accessToken, alnum, paymentBody } from './merchant-client.ts';

type Req = { method?: string; path?: string; headers?: Record<string, string>; body?: string };
type CannonOpts = Req & {
  url: string;
  connections: number;
  duration: number;
  requests?: Array<{ setupRequest?: (r: Req) => Req }>;
};
const autocannon = autocannonUntyped as unknown as (o: CannonOpts) => Promise<{ requests: { mean: number }; non2xx: number }>;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { seconds: { type: 'string', default: '10' }, top: { type: 'string', default: '25' } },
});
const ENDPOINTS = ['page', 'get', 'create', 'healthz'] as const;
type Endpoint = (typeof ENDPOINTS)[number];
const isEndpoint = (name: string): name is Endpoint => ENDPOINTS.some((known) => known === name);
const named = positionals[0] ?? 'page';
if (!isEndpoint(named)) throw new Error(`unknown endpoint ${named}: ${ENDPOINTS.join(', ')}`);
const endpoint: Endpoint = named;
const MERCHANT = { id: 'profile-merchant', secret: 'profile-secret-0123456789' };

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** Self samples per function and per module (a package under node_modules, or a file of ours). */
function summarise(path: string, top: number): string {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as { nodes: ProfileNode[] };
  const byFunction = new Map<string, number>();
  const byModule = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (!hits) continue;
    total += hits;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.startsWith('file://') ? relative(ROOT, fileURLToPath(url)) : url || '(native)';
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1];
    const module = pkg ? `npm:${pkg}` : file.startsWith('node:') ? 'node internals' : file;
    const name = `${functionName || '(anonymous)'}  ${file}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
    byModule.set(module, (byModule.get(module) ?? 0) + hits);
  }
  const table = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, hits]) => `${((100 * hits) / total).toFixed(1).padStart(5)}%  ${name}`)
      .join('\n');
  return `self time by module:\n${table(byModule)}\n\nself time by function:\n${table(byFunction)}`;
}

async function main(): Promise<void> {
  ensureFreshBuild();
  const dir = mkdtempSync(join(tmpdir(), 'kasir-profile-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, BUILT_SERVER], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      ...benchServiceEnv(join(dir, 'kasir.db'), MERCHANT),
      ...UNLIMITED_PAGE_RATES,
      KASIR_PUBLIC_URL: base,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
  for (
    let i = 0;
    !(await fetch(base + '/healthz').then(
      (r) => r.ok,
      () => false,
    ));
    i++
  ) {
    if (i > 300) throw new Error('kasir never became ready');
    await new Promise((r) => setTimeout(r, 100));
  }
  const token = await accessToken(base, MERCHANT);
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const created = await fetch(base + '/v2/payments', {
    method: 'POST',
    headers: { ...auth, 'x-request-id': alnum(32) },
    body: paymentBody(),
  });
  const session = ((await created.json()) as { data: { id: string; paymentUrl: string } }).data;
  const duration = Number(values.seconds);
  const load: Record<Endpoint, CannonOpts> = {
    page: { url: session.paymentUrl, connections: 20, duration },
    healthz: { url: `${base}/healthz`, connections: 20, duration },
    get: { url: `${base}/v2/payments/${session.id}`, headers: auth, connections: 20, duration },
    create: {
      url: `${base}/v2/payments`,
      method: 'POST',
      headers: auth,
      connections: 20,
      duration,
      requests: [{ setupRequest: (r) => ({ ...r, body: paymentBody(), headers: { ...r.headers, 'x-request-id': alnum(32) } }) }],
    },
  };
  const opts = load[endpoint];
  const result = await autocannon(opts);
  proc.kill('SIGINT');
  await exited;
  // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread (tsx's loader is another).
  const file = readdirSync(dir).find((f) => /\.0\.\d+\.cpuprofile$/.test(f));
  if (!file) throw new Error('no profile written');
  console.log(
    `${endpoint}: ${result.requests.mean.toFixed(0)} req/s under the profiler, ${result.non2xx} non-2xx; profile ${join(dir, file)}\n`,
  );
  console.log(summarise(join(dir, file), Number(values.top)));
}

main().then(
  () => process.exit(),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
