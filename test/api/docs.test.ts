// GET /docs: Scalar's page, branded Kasir, its bundle served by Kasir itself (no CDN), under a CSP that
// allows the page's one inline script by its hash and nothing from elsewhere.
import { createHash } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHarness, type Harness } from '../helpers/harness.ts';

describe('GET /docs', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness('sqlite', { publicUrl: 'https://pay.toko.example' });
  });
  afterAll(async () => h.close());

  const get = (url: string, headers: Record<string, string> = {}) => h.app.inject({ method: 'GET', url, headers });

  it('answers 200 with a page titled Kasir that loads the renderer from this server', async () => {
    expect((await get('/docs')).headers.location).toBe('/docs/');
    const res = await get('/docs/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toMatch(/<title>Kasir payment-session API — reference<\/title>/);
    const scripts = [...res.body.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts).toEqual(['js/scalar.js']);
    // No URL but the favicon's SVG namespace (a name, never fetched).
    expect(res.body.replaceAll('http://www.w3.org/2000/svg', '')).not.toMatch(/https?:\/\//);
    // Every setting that would reach Scalar's servers is off.
    expect(res.body).toContain('"withDefaultFonts": false');
    expect(res.body).toContain('"telemetry": false');
    const bundle = await get('/docs/js/scalar.js');
    expect(bundle.statusCode).toBe(200);
    expect(bundle.headers['content-type']).toMatch(/^application\/javascript/);
  });

  it("sends the renderer's 3.5 MB bundle compressed when the browser accepts it, the same script either way", async () => {
    const plain = await get('/docs/js/scalar.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.length).toBeGreaterThan(3_000_000);
    expect(plain.headers.vary).toBe('accept-encoding');

    const br = await get('/docs/js/scalar.js', { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
    expect(brotliDecompressSync(br.rawPayload).equals(plain.rawPayload)).toBe(true);

    const gzipped = await get('/docs/js/scalar.js', { 'accept-encoding': 'br;q=0, gzip' });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(Number(gzipped.headers['content-length'])).toBe(gzipped.rawPayload.length);
    expect(gunzipSync(gzipped.rawPayload).equals(plain.rawPayload)).toBe(true);

    // Nothing acceptable but what is refused: the script as it is, which every client can read.
    const none = await get('/docs/js/scalar.js', { 'accept-encoding': 'compress, identity;q=0' });
    expect(none.headers['content-encoding']).toBeUndefined();
    expect(none.rawPayload.equals(plain.rawPayload)).toBe(true);
    // The bundle keeps the docs' security headers.
    expect(br.headers['content-security-policy']).toBe(plain.headers['content-security-policy']);
    expect(br.headers['x-content-type-options']).toBe('nosniff');
  });

  it('lets a browser keep the bundle and revalidate it by its ETag: a 304 with no body', async () => {
    const first = await get('/docs/js/scalar.js', { 'accept-encoding': 'br' });
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(first.headers['cache-control']).toBe('public, no-cache');
    for (const ifNoneMatch of [etag, `W/${etag}`, `"older", ${etag}`, '*']) {
      const again = await get('/docs/js/scalar.js', { 'accept-encoding': 'br', 'if-none-match': ifNoneMatch });
      expect(again.statusCode, ifNoneMatch).toBe(304);
      expect(again.rawPayload.length).toBe(0);
      expect(again.headers.etag).toBe(etag);
    }
    // Another version's tag gets the whole bundle.
    const changed = await get('/docs/js/scalar.js', { 'accept-encoding': 'br', 'if-none-match': '"older"' });
    expect(changed.statusCode).toBe(200);
    expect(changed.rawPayload.equals(first.rawPayload)).toBe(true);
  });

  it("allows the page's inline script by its hash, nothing inline besides styles, and no other origin", async () => {
    const res = await get('/docs/');
    const csp = String(res.headers['content-security-policy']);
    const directives = Object.fromEntries(
      csp.split(/;\s*/).map((d) => {
        const [name = '', ...sources] = d.split(' ');
        return [name, sources];
      }),
    );
    const inline = [...res.body.matchAll(/<script(?![^>]*src=)[^>]*>([\s\S]*?)<\/script>/g)].map(
      (m) =>
        `'sha256-${createHash('sha256')
          .update(m[1] ?? '')
          .digest('base64')}'`,
    );
    expect(inline).toHaveLength(1);
    expect(directives['script-src']).toEqual(["'self'", ...inline]);
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
    expect(directives['connect-src']).toEqual(["'self'", 'https://pay.toko.example']);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(csp).not.toContain('unsafe-eval');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(res.headers['permissions-policy']).toContain('camera=()');
  });

  it('reads the same document as /openapi.json: examples and callback events included', async () => {
    const served = (await get('/openapi.json')).json();
    const docs = await get('/docs/openapi.json');
    expect(docs.statusCode).toBe(200);
    const rendered = docs.json();
    expect(rendered.info.title).toBe(served.info.title);
    expect(Object.keys(rendered.paths)).toEqual(Object.keys(served.paths));
    expect(Object.keys(rendered['x-webhooks'])).toEqual(Object.keys(served['x-webhooks']));
    expect(rendered.paths['/v2/payments'].post.requestBody.content['application/json'].examples).toEqual(
      served.paths['/v2/payments'].post.requestBody.content['application/json'].examples,
    );
  });
});
