// Browser-test plumbing: Kasir (harness + page plugin) listening on a real port, a tiny merchant site
// that records which return URL the shopper landed on, Debian's Chromium, phone and desktop contexts,
// screenshots under test-artifacts/screenshots/, and browserSuite(), which sets all of that up for a describe.
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, onTestFinished } from 'vitest';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import type { KasirEnv } from '../../src/config.ts';
import { makeHarness, requestId, type Harness, type HarnessOptions } from '../helpers/harness.ts';
import { freePort } from '../helpers/process.ts';

export const SCREENSHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');
/**
 * Screenshots are for people to look at, not assertions, and full-page ones at deviceScaleFactor 2 were a
 * large share of the browser project's time: they are taken only when KASIR_SCREENSHOTS=1. The checks made
 * on the same screens (fitsWidth, axe, the page's text) run either way.
 */
export const TAKE_SCREENSHOTS = process.env.KASIR_SCREENSHOTS === '1';

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

/**
 * Chromium's CPU is most of the browser project's: measured on page + card (29 tests), 179 CPU-s with the
 * base flags, 151 with the four after them. The spinner's endless animation is drawn in software, so motion is
 * reduced as a shopper may ask for (the page honours prefers-reduced-motion); and the tests' own pages need
 * no site isolation, which started a renderer per site and a spare one per navigation (157 renderers → 84).
 * Chromium 156's headless mode also builds the address bar's suggestion popups (two WebUI renderers) for
 * every context though nothing can show them: turned off, the dashboard's file took 26–29 Chromium CPU-s
 * instead of 41–44.
 */
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
      '--force-prefers-reduced-motion',
      '--disable-site-isolation-trials',
      '--disable-features=site-per-process,IsolateOrigins,SpareRendererForSitePerProcess,WebUIOmniboxPopup,WebUIOmniboxAimPopup,PreloadTopChromeWebUI',
      '--renderer-process-limit=2',
    ],
  });
}

/** A phone: 360 px wide, touch, Indonesian unless told otherwise. */
export function phone(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 360, height: 740 },
    // A phone's density matters only to the screenshots people look at; layout is the same in CSS pixels.
    deviceScaleFactor: TAKE_SCREENSHOTS ? 2 : 1,
    isMobile: true,
    hasTouch: true,
    locale: 'id-ID',
    acceptDownloads: true,
    ...options,
  });
}

/** A full-page screenshot under test-artifacts/screenshots/ when KASIR_SCREENSHOTS=1; nothing otherwise. */
export async function shot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  if (!TAKE_SCREENSHOTS) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: options.fullPage ?? true });
}

/** True when nothing overflows a 360 px viewport sideways. */
export async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

/** The page's two languages, and the browser locale that asks for each through Accept-Language. */
/** The sizes and languages every screen is judged at (screenshots, axe). */
export const SIZES = [
  { name: '360', viewport: { width: 360, height: 740 }, isMobile: true },
  { name: '1280', viewport: { width: 1280, height: 800 }, isMobile: false },
] as const;
export const LANGS = [
  { name: 'id', locale: 'id-ID' },
  { name: 'en', locale: 'en-US' },
] as const;

export type Lang = 'id' | 'en';
const BROWSER_LOCALE: Record<Lang, string> = { id: 'id-ID', en: 'en-US' };

/** Where a page is opened: a 360 px phone (the default) or a 1280 px desktop, in one language; any other context option on top. */
export interface Screen extends BrowserContextOptions {
  lang?: Lang;
  desktop?: boolean;
}

export interface BrowserSuite {
  readonly browser: Browser;
  readonly kasir: Kasir;
  readonly merchant: Merchant;
  /** A new context on `screen`, closed when the test that opened it finishes. */
  newContext(screen?: Screen): Promise<BrowserContext>;
  /**
   * `url` in a new page on `screen` (a phone in Indonesian unless told otherwise). A screen that names only
   * a language and a size gets the describe's context for that screen, emptied between tests (its pages
   * closed, its cookies cleared): a new context costs Chromium a new renderer, about 0.4 CPU-s a page on a
   * 2-core machine, where one kept open reuses its own. Any other option (no JavaScript, permissions…)
   * gets a context of its own, as newContext does.
   */
  open(url: string, screen?: Screen): Promise<Page>;
}

export interface BrowserSuiteOptions {
  /** How long the status page waits before it sends the shopper back to the shop. */
  statusRedirectSeconds?: number;
  pageRateLimits?: HarnessOptions['pageRateLimits'];
}

/**
 * One Chromium, one listening Kasir and one merchant site for the enclosing describe, started before its
 * first test and stopped after its last. Every context a test opens is closed when that test finishes
 * (sequential tests only: vitest's onTestFinished), since a page left open would go on polling and
 * redirect to the merchant in a later test's time. Read
 * the returned suite's fields inside tests: they exist once the describe's beforeAll has run.
 */
export function browserSuite(options: BrowserSuiteOptions = {}): BrowserSuite {
  let browser: Browser | undefined;
  let kasir: Kasir | undefined;
  let merchant: Merchant | undefined;

  beforeAll(async () => {
    // Each is kept as soon as it is up, so afterAll stops what started even when another failed to.
    await Promise.all([
      launchBrowser().then((started) => (browser = started)),
      startKasir(options).then((started) => (kasir = started)),
      startMerchant().then((started) => (merchant = started)),
    ]);
  });
  afterAll(async () => {
    kept.clear();
    await browser?.close();
    await kasir?.close();
    await merchant?.close();
  });

  /** Per language and size: a context and the blank page that keeps its renderer alive between tests. */
  const kept = new Map<string, { context: BrowserContext; anchor: Page }>();
  async function keptContext(lang: Lang, desktop: boolean): Promise<BrowserContext> {
    const key = `${lang} ${desktop ? 'desktop' : 'phone'}`;
    let entry = kept.get(key);
    if (!entry) {
      const context = await freshContext({ lang, desktop });
      entry = { context, anchor: await context.newPage() };
      kept.set(key, entry);
    }
    const { context, anchor } = entry;
    onTestFinished(async () => {
      await Promise.all(context.pages().map((page) => (page === anchor ? undefined : page.close())));
      await context.clearCookies();
    });
    return context;
  }
  function freshContext({ lang = 'id', desktop = false, ...rest }: Screen): Promise<BrowserContext> {
    const locale = BROWSER_LOCALE[lang];
    return desktop
      ? suite.browser.newContext({ viewport: { width: 1280, height: 800 }, locale, ...rest })
      : phone(suite.browser, { locale, ...rest });
  }

  const started = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`the browser suite's ${name} is not started: read it inside a test`);
    return value;
  };
  const suite: BrowserSuite = {
    get browser() {
      return started(browser, 'browser');
    },
    get kasir() {
      return started(kasir, 'Kasir');
    },
    get merchant() {
      return started(merchant, 'merchant');
    },
    async newContext(screen = {}) {
      const context = await freshContext(screen);
      onTestFinished(() => context.close());
      return context;
    },
    async open(url, { lang = 'id', desktop = false, ...rest } = {}) {
      const context =
        Object.keys(rest).length === 0 ? await keptContext(lang, desktop) : await suite.newContext({ lang, desktop, ...rest });
      const page = await context.newPage();
      await page.goto(url);
      return page;
    },
  };
  return suite;
}
