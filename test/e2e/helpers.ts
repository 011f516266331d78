// Browser-test plumbing: Kasir (harness + page plugin) listening on a real port, a tiny merchant site
// that records which return URL the shopper landed on, Debian's Chromium, phone-sized contexts and
// screenshots under test-artifacts/screenshots/.
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import type { KasirEnv } from '../../src/config.ts';
import { makeHarness, requestId, type Harness, type HarnessOptions } from '../helpers/harness.ts';
import { freePort } from '../helpers/process.ts';

export const SCREENSHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');

export interface Kasir extends Harness {
  baseUrl: string;
  /** Creates a session through the merchant API; returns its id, paymentUrl and API view. */
  create(body: unknown): Promise<{ id: string; paymentUrl: string; data: any }>;
}

/** The harness app listening on 127.0.0.1, with publicUrl matching so paymentUrl is openable. */
export async function startKasir(
  options: { env?: KasirEnv; statusRedirectSeconds?: number; pageRateLimits?: HarnessOptions['pageRateLimits'] } = {},
): Promise<Kasir> {
  const env = options.env ?? 'sandbox';
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const h = await makeHarness('sqlite', {
    env,
    publicUrl,
    statusRedirectSeconds: options.statusRedirectSeconds ?? 2,
    pageRateLimits: options.pageRateLimits,
  });
  await h.app.listen({ port, host: '127.0.0.1' });
  return {
    ...h,
    baseUrl: publicUrl,
    create: async (body) => {
      const res = await h.api('POST', '/v2/payments', body, { 'x-request-id': requestId() });
      if (res.status !== 200) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { id: res.body.data.id, paymentUrl: res.body.data.paymentUrl, data: res.body.data };
    },
  };
}

export interface Merchant {
  url: string;
  redirectUrl: { successReturnUrl: string; failureReturnUrl: string; expirationReturnUrl: string };
  hits: URL[];
  /** Resolves with the first hit on `path` (waiting for it if needed). */
  waitForHit(path: string, timeoutMs?: number): Promise<URL>;
  close(): Promise<void>;
}

/** The merchant's shop: answers every GET with a small page and remembers what was asked. */
export async function startMerchant(): Promise<Merchant> {
  const hits: URL[] = [];
  const waiters: Array<() => void> = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://merchant');
    if (url.pathname === '/favicon.ico') {
      res.writeHead(404).end();
      return;
    }
    hits.push(url);
    waiters.splice(0).forEach((wake) => wake());
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><html lang="en"><title>Shop</title><h1 id="landed">Shop: ${url.pathname.replace(/[^a-z]/g, '')}</h1></html>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    redirectUrl: {
      successReturnUrl: `${base}/success`,
      failureReturnUrl: `${base}/failure`,
      expirationReturnUrl: `${base}/expiration`,
    },
    hits,
    waitForHit: async (path, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = hits.find((u) => u.pathname === path);
        if (hit) return hit;
        if (Date.now() > deadline)
          throw new Error(`merchant never received ${path}; got ${hits.map((u) => u.pathname).join(', ')}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Browser suites run wherever Debian's Chromium is installed. On CI it must be (.ci/run installs it), so
 * its absence fails the run; elsewhere the suites are skipped with a note, like the PostgreSQL ones.
 */
export const hasBrowser = existsSync(CHROMIUM);
if (!hasBrowser) {
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing; on CI the browser tests must run (apt-get install chromium)`);
  console.warn(`browser tests skipped: ${CHROMIUM} not found (apt-get install chromium to run them)`);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A phone: 360 px wide, touch, Indonesian unless told otherwise. */
export function phone(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'id-ID',
    acceptDownloads: true,
    ...options,
  });
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** True when nothing overflows a 360 px viewport sideways. */
export async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}
