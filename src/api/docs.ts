// The API reference at /docs: Scalar's renderer (its bundle served from node_modules, nothing from a CDN)
// reading the same document as /openapi.json, in Kasir's colours, under a CSP that allows only what
// the renderer needs.
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import apiReference from '@scalar/fastify-api-reference';
import { helmetHeaders, PERMISSIONS_POLICY } from '../page/headers.ts';
import Negotiator from 'negotiator';
import { API_TITLE } from '../contract/index.ts';

const DOCS_PREFIX = '/docs';
/** The renderer's bundle, as the page names it (relative to /docs/). */
const BUNDLE_ROUTE = `${DOCS_PREFIX}/js/scalar.js`;

/** Kasir's palette (the payment page's blue, ink and greys) on Scalar's theme variables, light and dark. */
const KASIR_CSS = `
.light-mode {
  --scalar-color-1: #1b1f24;
  --scalar-color-2: #4a5561;
  --scalar-color-3: #5f6b78;
  --scalar-color-accent: #0b4f8a;
  --scalar-background-1: #ffffff;
  --scalar-background-2: #f5f7fa;
  --scalar-background-3: #eef1f5;
  --scalar-background-accent: #e3edf7;
  --scalar-border-color: #d5dbe3;
  /* Scalar's own method and syntax colours fall below 4.5:1 on these backgrounds (axe); darker shades do not. */
  --scalar-color-blue: #0a5a9c;
  --scalar-color-green: #17693a;
  --scalar-color-orange: #9a4700;
  --scalar-color-red: #a3261b;
  --scalar-color-yellow: #7a5b00;
  --scalar-color-purple: #6b3fa0;
}
.dark-mode {
  --scalar-color-1: #eef1f5;
  --scalar-color-2: #c3cbd5;
  --scalar-color-3: #98a3b0;
  --scalar-color-accent: #7db8ec;
  --scalar-background-1: #111820;
  --scalar-background-2: #18222d;
  --scalar-background-3: #1f2b38;
  --scalar-background-accent: #16324d;
  --scalar-border-color: #2c3a49;
}
.light-mode .t-doc__sidebar, .dark-mode .t-doc__sidebar {
  --scalar-sidebar-color-active: var(--scalar-color-accent);
  --scalar-sidebar-item-active-background: var(--scalar-background-accent);
}
:root {
  --scalar-font: system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif;
  --scalar-font-code: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
}
`;

/** A "K" in Kasir's blue, inline: the page asks no other server, and no /favicon.ico that is not there. */
const FAVICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect width='32' height='32' rx='6' fill='%230b4f8a'/%3E%3Cpath d='M10 7v18M10 16l10-9M13 14l8 11' stroke='%23fff' stroke-width='3.5' fill='none'/%3E%3C/svg%3E";

/** sha256 sources for each inline script of a page, so the CSP allows exactly those and no other. */
function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>();
  for (const match of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
    hashes.add(
      `'sha256-${createHash('sha256')
        .update(match[1] ?? '')
        .digest('base64')}'`,
    );
  }
  return [...hashes];
}

/**
 * What the renderer needs: its bundle and the inline call that starts it (by hash), the styles it injects
 * at run time (hence 'unsafe-inline' for styles only), the document and "Test request" calls to this
 * server and to the document's server, data: images and fonts it embeds. Nothing from elsewhere.
 */
export function docsContentSecurityPolicy(scriptHashes: string[], apiOrigin: string): string {
  return [
    "default-src 'none'",
    ["script-src 'self'", ...scriptHashes].join(' '),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self' ${apiOrigin}`,
    "form-action 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** The bundle as it is sent: its ETag, and its bytes plain and in each content coding a browser may accept. */
interface BundleForms {
  etag: string;
  bodies: { br: Buffer; gzip: Buffer; identity: Buffer };
}
type Coding = keyof BundleForms['bodies'];
const CODINGS: Coding[] = ['br', 'gzip', 'identity'];

/** Compressed once per bundle, in the thread pool: brotli at quality 9 takes about half a second of CPU. */
async function bundleForms(source: string): Promise<BundleForms> {
  const identity = Buffer.from(source, 'utf8');
  const [br, gzipped] = await Promise.all([
    promisify(brotliCompress)(identity, {
      params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 9, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: identity.length },
    }),
    promisify(gzip)(identity, { level: 9 }),
  ]);
  const etag = `"${createHash('sha256').update(identity).digest('base64url').slice(0, 27)}"`;
  return { etag, bodies: { br, gzip: gzipped, identity } };
}

/** True when If-None-Match names this ETag (weakly, as RFC 9110 §13.1.2 compares for GET) or is `*`. */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const candidate = tag.trim();
    return candidate === '*' || candidate.replace(/^W\//, '') === etag;
  });
}

/**
 * The smallest coding the client accepts (br, then gzip): browsers list gzip first with the same weight,
 * so the client's order would rarely pick brotli. Identity when it accepts neither, even if it said
 * `identity;q=0`: RFC 9110 §12.5.3 lets a server then answer without a coding.
 */
function codingFor(request: FastifyRequest): Coding {
  const accepted = new Negotiator(request.raw).encodings(CODINGS);
  return CODINGS.find((coding) => accepted.includes(coding)) ?? 'identity';
}

export async function registerDocs(app: FastifyInstance, options: { publicUrl: string }): Promise<void> {
  const apiOrigin = new URL(options.publicUrl).origin;
  const headers = Object.freeze({ ...helmetHeaders(), 'permissions-policy': PERMISSIONS_POLICY });
  // The page is the same for every request, so its CSP is worked out once per distinct page.
  let lastPage = '';
  let lastPolicy = docsContentSecurityPolicy([], apiOrigin);
  // The bundle is read once by the renderer's plugin; its compressed forms are made on the first request.
  let bundleSource: string | undefined;
  let bundle: Promise<BundleForms> | undefined;

  await app.register(async (docs) => {
    docs.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      reply.header('content-security-policy', lastPolicy);
      done();
    });
    docs.addHook('onSend', async (request, reply, payload) => {
      // 3.5 MB as the renderer's plugin sends it: uncompressed and fetched again on every visit. Sent
      // compressed when the browser accepts it (about 0.9 MB), and revalidated by its ETag (a 304).
      if (typeof payload === 'string' && request.routeOptions.url === BUNDLE_ROUTE && reply.statusCode === 200) {
        if (payload !== bundleSource || !bundle) {
          bundleSource = payload;
          const forms = bundleForms(payload);
          // A failed compression is tried again by the next request rather than remembered.
          forms.catch(() => {
            if (bundle === forms) bundle = undefined;
          });
          bundle = forms;
        }
        const { etag, bodies } = await bundle;
        reply.header('etag', etag).header('cache-control', 'public, no-cache').header('vary', 'accept-encoding');
        if (matchesEtag(request.headers['if-none-match'], etag)) {
          reply.code(304).removeHeader('content-type');
          return null;
        }
        const coding = codingFor(request);
        if (coding !== 'identity') reply.header('content-encoding', coding);
        return bodies[coding];
      }
      if (typeof payload !== 'string' || !String(reply.getHeader('content-type')).startsWith('text/html')) return payload;
      // The renderer's page names no language; the reference is in English.
      const page = payload.replace(/^<!doctype html>\s*<html>/i, '<!doctype html>\n<html lang="en">');
      if (page !== lastPage) {
        lastPage = page;
        lastPolicy = docsContentSecurityPolicy(inlineScriptHashes(page), apiOrigin);
      }
      reply.header('content-security-policy', lastPolicy);
      return page;
    });
    await docs.register(apiReference, {
      routePrefix: DOCS_PREFIX,
      logLevel: 'warn',
      configuration: {
        pageTitle: `${API_TITLE} — reference`,
        favicon: FAVICON,
        theme: 'none',
        customCss: KASIR_CSS,
        // Each of these would reach a Scalar server (its fonts, telemetry, its AI agent); no proxyUrl is set,
        // so "Test Request" calls Kasir directly.
        withDefaultFonts: false,
        telemetry: false,
        agent: { disabled: true },
        // Scalar's toolbar for editing the page's configuration, shown by default on localhost.
        showDeveloperTools: 'never',
        documentDownloadType: 'json',
        // Fields in the contract's order (identity first), not alphabetical.
        orderSchemaPropertiesBy: 'preserve',
      },
    });
  });
}
