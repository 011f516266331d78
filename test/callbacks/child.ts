// Real Kasir processes for crash and multi-instance tests, as `npm start` runs them (dist/server.js).
import { BUILT_SERVER, freePort, startKasir as spawnKasir, type Spawned } from '../helpers/process.ts';

export { freePort };
export type Kasir = Spawned;

export function startKasir(env: Record<string, string>): Promise<Kasir> {
  return spawnKasir(env, { probe: '/healthz', entry: BUILT_SERVER });
}

export function stopped(kasir: Kasir): Promise<void> {
  return kasir.proc.exitCode !== null || kasir.proc.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => kasir.proc.once('exit', () => resolve()));
}

/** A tiny merchant client over real HTTP. */
export async function client(base: string, id: string, secret: string) {
  const tokenRes = await fetch(`${base}/v1/access-token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-merchant-id': id, 'x-merchant-secret': secret },
    body: JSON.stringify({ grantType: 'client_credentials' }),
  });
  const token = ((await tokenRes.json()) as { data: { accessToken: string } }).data.accessToken;
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  return { call };
}
