// CPU time the serving process spends per request: the bare app's GET, Kasir's /healthz, GET of a session,
// the payment page and create (with the outbox work its callback row causes), each read from the server's own /proc/<pid>/stat (user + system) over a
// fixed number of requests. Unlike req/s, it does not depend on how fast the load generator is; it still
// moves with the machine (a VM's CPU can slow by half within the hour), so compare two versions in
// alternate runs, several of each.
//   tsx bench/cpu-per-request.ts [--requests 20000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
// @ts-ignore -- autocannon ships no types
import autocannonUntyped from 'autocannon';
import { BUILT_SERVER, spawnService, type Spawned } from '../test/helpers/process.ts';
import ensureFreshBuild from '../test/helpers/fresh-build.ts';
import { benchServiceEnv, UNLIMITED_PAGE_RATES } from './service-env.ts';
import { accessToken, alnum, paymentBody } from './merchant-client.ts';
import { processCpuMicroseconds } from './process-cpu.ts';
import { benchPlacement, describePlacement, pinProcess } from './placement.ts';

type Req = { method?: string; headers?: Record<string, string>; body?: string };
type CannonOpts = Req & { url: string; connections: number; amount: number; requests?: Array<{ setupRequest: (r: Req) => Req }> };
const autocannon = autocannonUntyped as unknown as (o: CannonOpts) => Promise<{ requests: { total: number }; non2xx: number }>;

const { values } = parseArgs({ options: { requests: { type: 'string', default: '20000' } } });
const REQUESTS = Number(values.requests);
const MERCHANT = { id: 'cpu-merchant', secret: 'cpu-merchant-secret-0123456789' };
/** Warms the route up, then measures: µs of the server's CPU per answered request. */
async function perRequest(server: Spawned, opts: Omit<CannonOpts, 'connections' | 'amount'>, amount: number) {
  await autocannon({ ...opts, connections: 20, amount: Math.ceil(amount / 4) });
  const before = processCpuMicroseconds(server.proc.pid!);
  const result = await autocannon({ ...opts, connections: 20, amount });
  if (result.non2xx > 0) throw new Error(`${opts.url}: ${result.non2xx} answers were not 2xx`);
  return (processCpuMicroseconds(server.proc.pid!) - before) / result.requests.total;
}

async function main(): Promise<void> {
  ensureFreshBuild();
  const placement = benchPlacement();
  if (placement) pinProcess(process.pid, placement.load);
  const tmp = mkdtempSync(join(tmpdir(), 'kasir-cpu-'));
  const bare = await spawnService('bench/bare-server.mjs', {}, { probe: '/bare' });
  const kasir = await spawnService(
    BUILT_SERVER,
    { ...benchServiceEnv(join(tmp, 'kasir.db'), MERCHANT), ...UNLIMITED_PAGE_RATES },
    { probe: '/healthz' },
  );
  for (const server of [bare, kasir]) if (placement) pinProcess(server.proc.pid!, placement.service);
  try {
    const token = await accessToken(kasir.base, MERCHANT);
    const bearer = { authorization: `Bearer ${token}` };
    const json = { 'content-type': 'application/json' };
    const created = await fetch(kasir.base + '/v2/payments', {
      method: 'POST',
      headers: { ...json, ...bearer, 'x-request-id': alnum(32) },
      body: paymentBody(),
    });
    const session = ((await created.json()) as { data: { id: string; paymentUrl: string } }).data;
    const page = new URL(session.paymentUrl);
    const rows: Array<[string, number]> = [
      ['bare GET', await perRequest(bare, { url: bare.base + '/bare' }, REQUESTS)],
      ['/healthz', await perRequest(kasir, { url: kasir.base + '/healthz' }, REQUESTS)],
      ['GET session', await perRequest(kasir, { url: `${kasir.base}/v2/payments/${session.id}`, headers: bearer }, REQUESTS)],
      ['page', await perRequest(kasir, { url: kasir.base + page.pathname + page.search }, REQUESTS)],
      [
        'create',
        await perRequest(
          kasir,
          {
            url: kasir.base + '/v2/payments',
            method: 'POST',
            headers: { ...json, ...bearer },
            requests: [
              { setupRequest: (r) => ({ ...r, body: paymentBody(), headers: { ...r.headers, 'x-request-id': alnum(32) } }) },
            ],
          },
          Math.ceil(REQUESTS / 10),
        ),
      ],
    ];
    console.log(`CPU of the serving process per request (µs); ${describePlacement(placement)}`);
    for (const [name, micros] of rows) console.log(`  ${name.padEnd(12)} ${micros.toFixed(0).padStart(6)}`);
  } finally {
    bare.proc.kill();
    kasir.proc.kill();
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
