// The OpenAPI document exactly as a running Kasir serves it (GET /openapi.json), for the contract tests.
import { makeHarness } from '../helpers/harness.ts';

export async function servedDocument(): Promise<string> {
  const h = await makeHarness('sqlite');
  try {
    const res = await h.app.inject({ method: 'GET', url: '/openapi.json' });
    if (res.statusCode !== 200) throw new Error(`/openapi.json answered ${res.statusCode}`);
    return res.body;
  } finally {
    await h.close();
  }
}
