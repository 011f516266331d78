// QR downloads against the event loop: /detail/qr.png requests at a steady rate while a probe asks
// /healthz every 10 ms. The probe's latency is what the event loop's delay looks like from outside: a
// request that draws a PNG on the loop holds every other request up for as long as it takes.
//   tsx bench/qr-images.ts            (or as part of npm run bench)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILT_SERVER, spawnService } from '../test/helpers/process.ts';
import { accessToken, alnum, qrPaymentBody } from './merchant-client.ts';
import { benchServiceEnv } from './service-env.ts';

const MERCHANT = { id: 'bench-qr-merchant', secret: 'bench-qr-secret-0123456789' };
const PROBE_EVERY_MS = 10;

export interface QrRound {
  name: string;
  requestsPerSecond: number;
  requests: number;
  failed: number;
  probeP50Ms: number;
  probeP99Ms: number;
  probeMaxMs: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `rate` downloads a second for `seconds`, cycling through `paths`, with the probe running alongside. */
async function round(base: string, name: string, paths: string[], rate: number, seconds: number): Promise<QrRound> {
  const latencies: number[] = [];
  let probing = true;
  const probe = (async () => {
    while (probing) {
      const started = performance.now();
      await fetch(base + '/healthz').then((r) => r.arrayBuffer());
      latencies.push(performance.now() - started);
      await sleep(PROBE_EVERY_MS);
    }
  })();
  const total = rate * seconds;
  const started = performance.now();
  const downloads: Array<Promise<boolean>> = [];
  for (let i = 0; i < total; i++) {
    // Paced against the clock, so a slow answer never lowers the rate it is measured at.
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    downloads.push(
      fetch(base + paths[i % paths.length]!).then(
        async (r) => (await r.arrayBuffer(), r.ok && r.headers.get('content-type') === 'image/png'),
        () => false,
      ),
    );
  }
  const ok = await Promise.all(downloads);
  probing = false;
  await probe;
  const sorted = latencies.sort((a, b) => a - b);
  return {
    name,
    requestsPerSecond: rate,
    requests: total,
    failed: ok.filter((o) => !o).length,
    probeP50Ms: percentile(sorted, 50),
    probeP99Ms: percentile(sorted, 99),
    probeMaxMs: sorted[sorted.length - 1] ?? NaN,
  };
}

/**
 * Two rounds at `rate`/s: every download a charge not drawn before (each image drawn once, on first
 * request), then the same charges again (every image already drawn).
 */
export async function runQrImageBench(options: { rate?: number; seconds?: number } = {}): Promise<QrRound[]> {
  const rate = options.rate ?? 30;
  const seconds = options.seconds ?? 5;
  const tmp = mkdtempSync(join(tmpdir(), 'kasir-bench-qr-'));
  const svc = await spawnService(
    BUILT_SERVER,
    {
      ...benchServiceEnv(join(tmp, 'qr.db'), MERCHANT),
      // One bench client is one address; the per-address limit would otherwise be what is measured.
      KASIR_PAGE_ADDRESS_RATE_LIMIT: '1000000',
    },
    { probe: '/healthz' },
  );
  try {
    const token = await accessToken(svc.base, MERCHANT);
    const paths: string[] = [];
    for (let i = 0; i < rate * seconds; i++) {
      const res = await fetch(svc.base + '/v2/payments', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': alnum(32) },
        body: qrPaymentBody(),
      });
      const data = ((await res.json()) as { data?: { paymentUrl?: string } }).data;
      if (!res.ok || !data?.paymentUrl) throw new Error(`QR create failed: HTTP ${res.status}`);
      paths.push(`/detail/qr.png?token=${encodeURIComponent(new URL(data.paymentUrl).searchParams.get('token') ?? '')}`);
    }
    return [
      await round(svc.base, 'first download of each charge', paths, rate, seconds),
      await round(svc.base, 'charges already drawn', paths, rate, seconds),
    ];
  } finally {
    svc.proc.kill('SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
  }
}

export function reportQrImages(rounds: QrRound[], targetP99Ms = 50): boolean {
  console.log(`\nQR downloads (/detail/qr.png) vs a /healthz probe every ${PROBE_EVERY_MS} ms:`);
  let met = true;
  for (const r of rounds) {
    const ok = r.probeP99Ms < targetP99Ms && r.failed === 0;
    met &&= ok;
    console.log(
      `  ${r.name.padEnd(30)} ${r.requestsPerSecond}/s × ${r.requests}: probe p50 ${r.probeP50Ms.toFixed(1)} ms, p99 ${r.probeP99Ms.toFixed(1)} ms, max ${r.probeMaxMs.toFixed(1)} ms, failed ${r.failed}  (p99 < ${targetP99Ms} ms ${ok ? 'met' : 'NOT met'})`,
    );
  }
  return met;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  reportQrImages(await runQrImageBench());
  process.exit(0);
}
