// /docs in Chromium: Scalar renders the reference from Kasir's own server alone (no request leaves it, no
// CSP violation), shows an operation's example and its error codes, and the callback events with their
// example bodies. Screenshots: docs-overview, docs-operation, docs-callbacks.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSuite, hasBrowser, shot } from './helpers.ts';
import { seriousViolations } from './axe.ts';

interface Watched {
  page: Page;
  /** Every URL the page asked for. */
  requests: string[];
  /** Console errors and CSP violations. */
  problems: string[];
}

/**
 * The one violation the renderer causes by design: its bundled zod probes whether eval is allowed
 * (`new Function("")` in a try) and, refused, validates without it. The CSP keeps refusing it.
 */
const EVAL_PROBE = /^CSP violation: script-src eval .*\/docs\/js\/scalar\.js:\d+/;

describe.runIf(hasBrowser)('the API reference at /docs', () => {
  const suite = browserSuite();

  async function openDocs(hash = ''): Promise<Watched> {
    const page = await (await suite.newContext({ lang: 'en', desktop: true })).newPage();
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) =>
        console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`),
      );
    });
    await page.goto(`${suite.kasir.baseUrl}/docs/${hash}`);
    // The renderer is a 3.5 MB script: on a loaded machine it can take a while to parse.
    await page.getByRole('heading', { name: 'Kasir payment-session API', exact: true }).waitFor({ timeout: 45_000 });
    return { page, requests, problems };
  }

  const screenshot = (page: Page, name: string) => shot(page, name, { fullPage: false });

  // One load serves both: the 3.5 MB renderer costs Chromium seconds of CPU to parse and draw each time.
  it('renders Kasir-branded from this server alone, with no CSP violation, and lists every callback event', async () => {
    const { page, requests, problems } = await openDocs();
    // 'load', not 'networkidle': a loaded machine can keep the network from looking idle for long. Every
    // request the page makes is recorded from the start; the origin check runs last, after the rendering.
    await page.waitForLoadState('load');
    expect(await page.title()).toBe('Kasir payment-session API — reference');
    await expect.poll(() => page.getByRole('heading', { name: 'Idempotency: X-REQUEST-ID' }).isVisible()).toBe(true);
    await screenshot(page, 'docs-overview');
    // Kasir's blue is the renderer's accent.
    const accent = await page.evaluate(() =>
      getComputedStyle(document.querySelector('.light-mode') ?? document.body).getPropertyValue('--scalar-color-accent'),
    );
    expect(accent.trim()).toBe('#0b4f8a');

    await page.getByRole('button', { name: 'Webhooks' }).first().click();
    await page.getByText('PAYMENT.PAID: A SINGLE session was paid').first().click();
    await page.getByRole('heading', { name: 'PAYMENT.PAID: A SINGLE session was paid' }).waitFor();
    await expect.poll(() => page.getByText('webhook-signature').first().isVisible()).toBe(true);
    await expect.poll(() => page.getByText('"PAYMENT.PAID"').first().isVisible()).toBe(true);
    await screenshot(page, 'docs-callbacks');
    for (const event of ['PAYMENT.PROCESSING', 'CHARGE.SUCCESS', 'REFUND.WAITING_BANK_TRANFER', 'PAYMENT.TEST'])
      expect(await page.getByText(`${event}:`).count(), event).toBeGreaterThan(0);

    const origin = new URL(suite.kasir.baseUrl).origin;
    expect(requests.length).toBeGreaterThanOrEqual(3);
    expect(requests.filter((url) => new URL(url).origin !== origin && !url.startsWith('data:'))).toEqual([]);
    expect(problems.filter((problem) => !EVAL_PROBE.test(problem))).toEqual([]);
  });

  it("shows an operation's example request and answer and its error codes, with no contrast or language violation (axe)", async () => {
    const { page, problems } = await openDocs('#tag/payment-sessions/POST/v2/payments');
    const operation = page.locator('[id="api-1/tag/payment-sessions/POST/v2/payments"]');
    await operation.getByRole('heading', { name: 'Create a payment session' }).waitFor();
    await expect.poll(() => operation.getByText('"1751610085"').first().isVisible()).toBe(true);
    await expect.poll(() => operation.getByText('"REQUIRE_ACTION"').first().isVisible()).toBe(true);
    await operation.getByRole('tab', { name: '409' }).click();
    await expect.poll(() => operation.getByText('"duplicate_error"').first().isVisible()).toBe(true);
    await screenshot(page, 'docs-operation');
    expect(problems.filter((problem) => !EVAL_PROBE.test(problem))).toEqual([]);
    // What Kasir's theme decides: contrast and language. The renderer's own markup (ARIA on its sidebar,
    // icon buttons) is Scalar's to fix, not asserted here.
    expect(await seriousViolations(page, ['color-contrast', 'html-has-lang', 'html-lang-valid'])).toEqual([]);
  });

  it("'Test Request' calls this Kasir from the page (the CSP lets the API through) and shows its answer", async () => {
    const { page, requests, problems } = await openDocs('#tag/payment-methods/GET/v2/payment-method-configs');
    await page.getByRole('heading', { name: 'Enabled payment methods, channels and limits' }).first().waitFor();
    await page
      .getByRole('button', { name: /Test Request/ })
      .first()
      .click();
    await page.getByPlaceholder('Token').first().fill(suite.kasir.token);
    await page.getByRole('button', { name: /^Send/ }).first().click();
    await expect.poll(() => page.getByText('200 OK').first().isVisible()).toBe(true);
    await expect.poll(() => page.getByText('"MANDIRI"').first().isVisible()).toBe(true);
    expect(requests).toContain(`${suite.kasir.baseUrl}/v2/payment-method-configs`);
    expect(problems.filter((problem) => !EVAL_PROBE.test(problem))).toEqual([]);
  });
});
