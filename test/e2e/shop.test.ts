// The example shop (examples/shop) end to end: the shop runs as `node examples/shop/src/server.js` with its
// settings from the environment, against a listening Kasir whose merchant's callback URL is the shop's and
// whose dispatcher delivers callbacks as they are made. In Chromium a shopper buys with a VA, QRIS, DANA and
// a 3-D Secure card, comes back to the shop, and sees the order paid — paid because the signed callback
// arrived, which the test waits for before leaving Kasir's page. A resent callback (same webhook-id) changes
// nothing; a tampered, stale or wrongly keyed callback gets 401 and changes nothing; a shopper back before
// any callback sees what Kasir's API says. Screenshots of the shop's pages at 360 px and 1280 px.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { CallbackDispatcher } from '../../src/callbacks/dispatcher.ts';
import { webhookHeaders } from '../../src/callbacks/signing.ts';
import { setCallbackUrl } from '../../src/usecases/merchants.ts';
import { startDispatcher } from '../callbacks/receiver.ts';
import { freePort, spawnService, type Spawned } from '../helpers/process.ts';
import { seriousViolations } from './axe.ts';
import { browserSuite, fitsWidth, hasBrowser, shot, type Screen } from './helpers.ts';

const SHOP_SCRIPT = 'examples/shop/src/server.js';
const KOPI_PRICE = 85_000;

/** One line the shop logs per verified callback: `callback <webhook-id> <event>: <what it did>`. */
interface CallbackLine {
  webhookId: string;
  event: string;
  outcome: string;
}

describe.runIf(hasBrowser)('the example shop in a browser', () => {
  // Kasir's status page waits long enough for the test to see the callback arrive before it clicks "back".
  const suite = browserSuite({ statusRedirectSeconds: 120 });
  let shop: Spawned;
  let dispatcher: CallbackDispatcher;

  beforeAll(async () => {
    const kasir = suite.kasir;
    const port = await freePort();
    const shopUrl = `http://127.0.0.1:${port}`;
    await setCallbackUrl(kasir.store.db, kasir.merchant.id, `${shopUrl}/kasir/callbacks`);
    dispatcher = startDispatcher(kasir);
    shop = await spawnService(
      SHOP_SCRIPT,
      {
        PORT: String(port),
        SHOP_PUBLIC_URL: shopUrl,
        KASIR_BASE_URL: kasir.baseUrl,
        KASIR_MERCHANT_ID: kasir.merchant.id,
        KASIR_MERCHANT_SECRET: kasir.merchantSecret,
        KASIR_WEBHOOK_SECRET: kasir.merchant.webhookSecret,
        KASIR_CALLBACK_API_KEY: kasir.merchant.callbackApiKey,
      },
      { probe: '/' },
    );
  });
  afterAll(async () => {
    // Runs before browserSuite's afterAll: the shop and the dispatcher stop while Kasir still listens.
    shop?.proc.kill('SIGTERM');
    await shop?.exited;
    await dispatcher?.stop();
  });

  const callbackLines = (): CallbackLine[] =>
    [...shop.output().matchAll(/^callback (\S+) (\S+): (.*)$/gm)].map(([, webhookId = '', event = '', outcome = '']) => ({
      webhookId,
      event,
      outcome,
    }));

  /** Waits until the shop logged a verified callback matching `predicate`. */
  const shopLogged = (predicate: (line: CallbackLine) => boolean) =>
    expect.poll(() => callbackLines().some(predicate), { timeout: 15_000 }).toBe(true);

  /** A screenshot of one of the shop's screens, and no serious accessibility problem on it (axe). */
  async function judge(page: Page, name: string): Promise<void> {
    await shot(page, name);
    expect(await seriousViolations(page)).toEqual([]);
  }

  /** The product page → "Buy now" on the coffee → Kasir's page; returns the order id (the session's reference). */
  async function buyCoffee(screen: Screen, shotName?: string): Promise<{ page: Page; orderId: string; sessionId: string }> {
    const page = await suite.open(shop.base, screen);
    expect(await page.getByTestId('price-kopi-gayo').textContent()).toBe('Rp 85.000');
    expect(await fitsWidth(page)).toBe(true);
    if (shotName) await judge(page, shotName);
    await page.getByTestId('buy-kopi-gayo').click();
    await page.waitForURL(`${suite.kasir.baseUrl}/detail?**`);
    const newest = (await suite.kasir.api('GET', '/v2/payments?perPage=1')).body.data[0];
    expect(newest).toMatchObject({ amount: { value: KOPI_PRICE, currency: 'IDR' }, status: 'REQUIRE_PAYMENT_METHOD' });
    return { page, orderId: newest.clientReferenceId, sessionId: newest.id };
  }

  /** Waits for the shop to mark the order paid from the PAYMENT.PAID callback, then goes back to the shop. */
  async function backToShopPaidByCallback(page: Page, orderId: string): Promise<void> {
    await page.getByTestId('status-paid').waitFor();
    await shopLogged((line) => line.event === 'PAYMENT.PAID' && line.outcome === `order ${orderId} is PAID`);
    await page.getByTestId('return').click();
    await page.waitForURL(`${shop.base}/orders/${orderId}/return?**`);
    expect(await page.getByTestId('order-status').getAttribute('data-status')).toBe('PAID');
    expect(await page.getByTestId('return-title').textContent()).toBe('Thank you, your order is paid');
    expect(await fitsWidth(page)).toBe(true);
  }

  /** The order page's history: which statuses came from where. */
  async function history(page: Page, orderId: string): Promise<Array<{ status: string; source: string }>> {
    await page.goto(`${shop.base}/orders/${orderId}`);
    return page
      .getByTestId('history')
      .locator('li')
      .evaluateAll((items) =>
        items.map((li) => ({ status: li.getAttribute('data-status') ?? '', source: li.getAttribute('data-source') ?? '' })),
      );
  }

  /** The order page's history of an order the callback paid: placed by the shop, paid by Kasir's callback. */
  const PAID_BY_CALLBACK = [
    { status: 'PENDING', source: 'shop' },
    { status: 'PAID', source: 'callback' },
  ];

  /**
   * Buys the coffee on `screen`, pays on Kasir's page with `pay`, comes back paid by the callback and checks
   * the order page; screenshots and axe checks of the three shop pages under `shots` (their suffix) when given.
   */
  async function buyAndPay(screen: Screen, pay: (page: Page) => Promise<void>, shots?: string) {
    const bought = await buyCoffee(screen, shots && `shop-products-${shots}`);
    await pay(bought.page);
    await backToShopPaidByCallback(bought.page, bought.orderId);
    if (shots) await judge(bought.page, `shop-return-paid-${shots}`);
    expect(await history(bought.page, bought.orderId)).toEqual(PAID_BY_CALLBACK);
    expect(await bought.page.getByTestId('payment-session-id').textContent()).toBe(bought.sessionId);
    expect(await fitsWidth(bought.page)).toBe(true);
    if (shots) await judge(bought.page, `shop-order-${shots}`);
    return bought;
  }

  it('VA on a phone: BCA → sandbox payment → back to the shop, paid by the callback; a resend changes nothing', async () => {
    const { page, orderId, sessionId } = await buyAndPay(
      { lang: 'id' },
      async (kasirPage) => {
        await kasirPage.getByRole('button', { name: 'BCA', exact: true }).click();
        await kasirPage.getByTestId('va-number').waitFor();
        await kasirPage.getByTestId('simulate-success').click();
      },
      '360',
    );

    // Kasir resends the PAYMENT.PAID callback (same webhook-id, fresh signature): acknowledged, not applied again.
    const paidCallbacks = async () =>
      (await suite.kasir.api('GET', `/v2/callbacks?paymentSessionId=${sessionId}&event=PAYMENT.PAID`)).body.data;
    const sent = await paidCallbacks();
    expect(sent).toHaveLength(1);
    const webhookId: string = sent[0].id;
    expect((await suite.kasir.api('POST', `/v2/callbacks/${webhookId}/resend`)).status).toBe(200);
    await shopLogged((line) => line.webhookId === webhookId && line.outcome === 'already handled');
    expect(callbackLines().filter((line) => line.webhookId === webhookId)).toEqual([
      { webhookId, event: 'PAYMENT.PAID', outcome: `order ${orderId} is PAID` },
      { webhookId, event: 'PAYMENT.PAID', outcome: 'already handled' },
    ]);
    expect(await history(page, orderId)).toEqual(PAID_BY_CALLBACK);
    const [delivered] = await paidCallbacks();
    expect(delivered.attempts.map((attempt: { httpStatus: number }) => attempt.httpStatus)).toEqual([200, 200]);
  });

  it('QRIS on a desktop: the QR code → sandbox payment → paid by the callback', async () => {
    await buyAndPay(
      { lang: 'en', desktop: true },
      async (kasirPage) => {
        await kasirPage.getByTestId('choose-qr').click();
        await kasirPage.locator('[data-testid="qr"] svg').waitFor();
        await kasirPage.getByTestId('simulate-success').click();
      },
      '1280',
    );
  });

  it('DANA on a phone: the sandbox wallet, 08111111001 and OTP 000000 → paid by the callback', async () => {
    await buyAndPay({ lang: 'en' }, async (kasirPage) => {
      await kasirPage.getByTestId('choose-dana').click();
      await kasirPage.getByTestId('open-wallet').click();
      await kasirPage.getByTestId('wallet-number').fill('08111111001');
      await kasirPage.getByTestId('wallet-continue').click();
      await kasirPage.getByTestId('wallet-otp').fill('000000');
      await kasirPage.getByTestId('wallet-pay').click();
    });
  });

  it('card on a desktop: a challenge card, the 3-D Secure OTP 000000 → paid by the callback', async () => {
    await buyAndPay({ lang: 'en', desktop: true }, async (kasirPage) => {
      await kasirPage.getByTestId('choose-card').click();
      await kasirPage.getByTestId('card-number').fill('5550000112220002');
      await kasirPage.getByTestId('card-expiry').pressSequentially(`12${String(new Date().getFullYear() + 3).slice(2)}`);
      await kasirPage.getByTestId('card-cvc').fill('737');
      await kasirPage.getByTestId('card-holder').fill('Budi Santoso');
      await kasirPage.getByTestId('card-pay').click();
      await kasirPage.getByTestId('acs').waitFor();
      await kasirPage.getByTestId('otp').fill('000000');
      await kasirPage.getByTestId('otp-submit').click();
    });
  });

  it('a tampered, stale or wrongly keyed callback gets 401 and changes nothing; back before any callback, the API decides', async () => {
    const kasir = suite.kasir;
    const { page, orderId, sessionId } = await buyCoffee({ lang: 'id' });
    const session = (await kasir.api('GET', `/v2/payments/${sessionId}`)).body.data;
    const secrets = { current: kasir.merchant.webhookSecret };
    const post = (body: string, headers: Record<string, string>) =>
      fetch(`${shop.base}/kasir/callbacks`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', ...headers },
      });
    const apiKey = { 'x-api-key': kasir.merchant.callbackApiKey };
    const genuine = JSON.stringify({ event: 'PAYMENT.PROCESSING', data: session });
    const forged = JSON.stringify({ event: 'PAYMENT.PAID', data: { ...session, status: 'PAID' } });

    // Signed for one body, sent with another.
    expect((await post(forged, { ...apiKey, ...webhookHeaders(secrets, 'cb_forged1', new Date(), genuine) })).status).toBe(401);
    // Signed with another secret.
    const otherSecret = { current: `whsec_${Buffer.from('another merchant secret 32 bytes').toString('base64')}` };
    expect((await post(forged, { ...apiKey, ...webhookHeaders(otherSecret, 'cb_forged2', new Date(), forged) })).status).toBe(
      401,
    );
    // Signed right, ten minutes ago (a replay).
    const stale = webhookHeaders(secrets, 'cb_forged3', new Date(Date.now() - 600_000), forged);
    expect((await post(forged, { ...apiKey, ...stale })).status).toBe(401);
    // Signed right, with the wrong X-API-Key.
    expect(
      (await post(forged, { 'x-api-key': 'wrong', ...webhookHeaders(secrets, 'cb_forged4', new Date(), forged) })).status,
    ).toBe(401);
    // Nothing at all.
    expect((await post(forged, {})).status).toBe(401);
    expect(callbackLines().filter((line) => line.webhookId.startsWith('cb_forged'))).toEqual([]);
    // Signed right (with the merchant's secret, as Kasir would) but for another amount: acknowledged, not applied.
    const otherAmount = JSON.stringify({
      event: 'PAYMENT.PAID',
      data: { ...session, status: 'PAID', amount: { value: 1000, currency: 'IDR' } },
    });
    expect(
      (await post(otherAmount, { ...apiKey, ...webhookHeaders(secrets, 'cb_amount', new Date(), otherAmount) })).status,
    ).toBe(200);
    expect(callbackLines().filter((line) => line.webhookId === 'cb_amount')).toEqual([
      { webhookId: 'cb_amount', event: 'PAYMENT.PAID', outcome: "ignored: the session's amount is not the order's total" },
    ]);

    // Kasir's callbacks are held back (no nudge; the dispatcher polls only when the harness clock moves).
    kasir.ctx.onCallbacksEnqueued = undefined;
    try {
      // A second tab on the return URL, with a query string that lies: the order is still pending.
      const waiting = await page.context().newPage();
      await waiting.goto(`${shop.base}/orders/${orderId}/return?status=PAID&paymentSessionId=${sessionId}`);
      expect(await waiting.getByTestId('order-status').getAttribute('data-status')).toBe('PENDING');
      expect(await waiting.getByTestId('return-title').textContent()).toBe('Waiting for confirmation');
      expect(await waiting.getByTestId('refresh').getAttribute('href')).toBe(`/orders/${orderId}/return`);
      expect(await fitsWidth(waiting)).toBe(true);
      await judge(waiting, 'shop-return-waiting-360');

      expect(
        (await kasir.api('POST', '/v2/payments/simulations', { paymentSessionId: sessionId, chargeStatus: 'SUCCESS' })).status,
      ).toBe(422); // no charge yet: the shopper has not picked a method
      await page.getByRole('button', { name: 'BCA', exact: true }).click();
      await page.getByTestId('simulate-success').click();
      await page.getByTestId('status-paid').waitFor();
      // The waiting tab asks the shop every 5 s; the shop asks Kasir's API; the tab reloads, paid.
      await waiting.locator('[data-testid="order-status"][data-status="PAID"]').waitFor({ timeout: 15_000 });
      expect(await waiting.getByTestId('return-title').textContent()).toBe('Thank you, your order is paid');
      await page.getByTestId('return').click();
      await page.waitForURL(`${shop.base}/orders/${orderId}/return?**`);
      expect(await page.getByTestId('order-status').getAttribute('data-status')).toBe('PAID');
      expect(callbackLines().filter((line) => line.outcome.includes(orderId))).toEqual([]);
    } finally {
      kasir.ctx.onCallbacksEnqueued = dispatcher.nudge;
    }
    // The held callbacks arrive now: verified and acknowledged, and the order stays as the API made it.
    dispatcher.nudge();
    await shopLogged((line) => line.event === 'PAYMENT.PAID' && line.outcome === `order ${orderId} stays PAID`);
    expect(await history(page, orderId)).toEqual([
      { status: 'PENDING', source: 'shop' },
      { status: 'PAID', source: 'api' },
    ]);
  });

  it('a declined payment and an expired one: the callbacks make the orders FAILED and EXPIRED', async () => {
    const declined = await buyCoffee({ lang: 'en' });
    await declined.page.getByRole('button', { name: 'BRI', exact: true }).click();
    await declined.page.getByTestId('simulate-failed').click();
    await declined.page.getByTestId('status-failed').waitFor();
    await shopLogged((line) => line.event === 'PAYMENT.CANCELLED' && line.outcome === `order ${declined.orderId} is FAILED`);
    await declined.page.getByTestId('return').click();
    await declined.page.waitForURL(`${shop.base}/orders/${declined.orderId}/return?**`);
    expect(await declined.page.getByTestId('return-title').textContent()).toBe('The payment did not go through');
    expect(await declined.page.getByTestId('order-status').getAttribute('data-status')).toBe('FAILED');
    await judge(declined.page, 'shop-return-failed-360');

    const expired = await buyCoffee({ lang: 'en' });
    await expired.page.getByRole('button', { name: 'BNI', exact: true }).click();
    await expired.page.getByTestId('va-number').waitFor();
    const simulation = { paymentSessionId: expired.sessionId, chargeStatus: 'EXPIRED' };
    expect((await suite.kasir.api('POST', '/v2/payments/simulations', simulation)).status).toBe(200);
    await shopLogged((line) => line.event === 'PAYMENT.CANCELLED' && line.outcome === `order ${expired.orderId} is EXPIRED`);
    expect(await history(expired.page, expired.orderId)).toEqual([
      { status: 'PENDING', source: 'shop' },
      { status: 'EXPIRED', source: 'callback' },
    ]);
  });

  it('a missing or malformed setting stops the shop at start with one line', async () => {
    const settings = {
      SHOP_PUBLIC_URL: shop.base,
      KASIR_BASE_URL: suite.kasir.baseUrl,
      KASIR_MERCHANT_ID: suite.kasir.merchant.id,
      KASIR_MERCHANT_SECRET: suite.kasir.merchantSecret,
    };
    const startsWith = async (env: Record<string, string>) => {
      const started = await spawnService(SHOP_SCRIPT, { ...settings, ...env });
      expect(await started.exited).toBe(1);
      return started.output().trim();
    };
    expect(await startsWith({})).toBe(
      'kasir-example-shop: set KASIR_WEBHOOK_SECRET (preferred) or KASIR_CALLBACK_API_KEY, or both',
    );
    expect(await startsWith({ KASIR_WEBHOOK_SECRET: 'not-a-secret' })).toBe(
      'kasir-example-shop: KASIR_WEBHOOK_SECRET must start with whsec_',
    );
    expect(await startsWith({ KASIR_CALLBACK_API_KEY: 'key', KASIR_BASE_URL: 'localhost:3000' })).toBe(
      'kasir-example-shop: KASIR_BASE_URL must be an absolute http(s) URL, got "localhost:3000"',
    );
  });

  it('checkout refuses a form without its token, from another site, or with a bad quantity', async () => {
    const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
    const products = await fetch(shop.base);
    const cookie = products.headers.get('set-cookie')!.split(';')[0]!;
    const token = cookie.split('=')[1]!;
    const checkout = (body: string, headers: Record<string, string> = {}) =>
      fetch(`${shop.base}/checkout`, {
        method: 'POST',
        body,
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      });
    const before = (await suite.kasir.api('GET', '/v2/payments?perPage=1')).body.pagination.totalItems;

    expect((await checkout(form({ productId: 'kopi-gayo', quantity: '1' }), { cookie })).status).toBe(403);
    expect((await checkout(form({ productId: 'kopi-gayo', quantity: '1', csrf: 'x'.repeat(43) }), { cookie })).status).toBe(403);
    const crossSite = { cookie, origin: 'https://evil.example' };
    expect((await checkout(form({ productId: 'kopi-gayo', quantity: '1', csrf: token }), crossSite)).status).toBe(403);
    expect((await checkout(form({ productId: 'kopi-gayo', quantity: '0', csrf: token }), { cookie })).status).toBe(400);
    expect((await checkout(form({ productId: 'nasi-goreng', quantity: '1', csrf: token }), { cookie })).status).toBe(400);
    expect((await suite.kasir.api('GET', '/v2/payments?perPage=1')).body.pagination.totalItems).toBe(before);

    const ok = await checkout(form({ productId: 'teh-tarik', quantity: '3', csrf: token }), { cookie, origin: shop.base });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toMatch(new RegExp(`^${suite.kasir.baseUrl}/detail\\?token=`));
    const created = (await suite.kasir.api('GET', '/v2/payments?perPage=1')).body.data[0];
    expect(created).toMatchObject({ amount: { value: 75_000 }, status: 'REQUIRE_PAYMENT_METHOD' });
    expect((await fetch(`${shop.base}/orders/00000000-0000-0000-0000-000000000000`)).status).toBe(404);
    expect((await fetch(`${shop.base}/kasir/callbacks`)).status).toBe(405);
    const huge = await fetch(`${shop.base}/kasir/callbacks`, { method: 'POST', body: 'x'.repeat(300 * 1024) });
    expect(huge.status).toBe(413);
  });
});
