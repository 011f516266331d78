// Shared setup for the page's server-side tests: a harness with the page plugin, and helpers to
// create a session through the API and open its paymentUrl in-process.
import type { KasirEnv } from '../../src/config.ts';
import { makeHarness, requestId, type DbKind, type Harness } from '../helpers/harness.ts';

export const PUBLIC_URL = 'http://kasir.test';

export function makePageHarness(kind: DbKind, env: KasirEnv = 'sandbox'): Promise<Harness> {
  return makeHarness(kind, { env, publicUrl: PUBLIC_URL });
}

export interface Created {
  id: string;
  token: string;
  /** Path + query of the paymentUrl, ready for inject(). */
  path: string;
  data: any;
}

export async function createSession(h: Harness, body: unknown): Promise<Created> {
  const res = await h.api('POST', '/v2/payments', body, { 'x-request-id': requestId() });
  if (res.status !== 200) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  const url = new URL(res.body.data.paymentUrl);
  return { id: res.body.data.id, token: url.searchParams.get('token')!, path: url.pathname + url.search, data: res.body.data };
}

export async function get(h: Harness, path: string, headers: Record<string, string> = {}) {
  return h.app.inject({ method: 'GET', url: path, headers });
}

export async function postForm(h: Harness, path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return h.app.inject({
    method: 'POST',
    url: path,
    // Empty values drop the header; by default the post looks like our own page's form.
    headers: Object.fromEntries(
      Object.entries({
        'content-type': 'application/x-www-form-urlencoded',
        'sec-fetch-site': 'same-origin',
        origin: PUBLIC_URL,
        ...headers,
      }).filter(([, v]) => v !== ''),
    ),
    payload: new URLSearchParams(fields).toString(),
  });
}

export function pagePath(token: string, lang?: string): string {
  return `/detail?token=${encodeURIComponent(token)}${lang ? `&lang=${lang}` : ''}`;
}
