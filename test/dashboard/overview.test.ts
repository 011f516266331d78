// The Overview screen on a known data set over two days in Jakarta (the harness clock moved across
// midnight), on both databases: the figures for today and the 30 days, the splits, the SVG chart with its
// title, description, axis labels and a table of the same numbers, callbacks; where each role lands.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dateIn, startOfDay } from '../../src/usecases/dashboard/days.ts';
import { DB_KINDS, makeHarness, type Harness } from '../helpers/harness.ts';
import { bodyOf, create, pay } from '../usecases/dashboard/fixtures.ts';
import { signedIn } from './helpers.ts';

const TZ = 'Asia/Jakarta';

/** The text of the element after `<dt>label</dt>` inside the section headed `heading`. */
function figure(body: string, heading: string, label: string): string | undefined {
  const section = body.split(`>${heading}</h2>`)[1]?.split('</section>')[0] ?? '';
  return new RegExp(`<dt>${label}</dt>\\s*<dd>([^<]*)`).exec(section)?.[1]?.trim();
}

describe.each(DB_KINDS)('dashboard overview on %s', (kind) => {
  let h: Harness;
  let today: string;
  let firstDay: string;

  beforeAll(async () => {
    h = await makeHarness(kind);
    // To 01:00 in Jakarta on the next day (yesterday), then a day on (today).
    const now = h.clock.now().getTime();
    h.clock.advance(startOfDay(TZ, addDays(dateIn(TZ, now), 1)) + 3600_000 - now);
    let token = await h.tokens.issueAccessToken(h.merchant.id, h.clock.now());
    // Yesterday: VA PERMATA paid 10,000; one without a method, unpaid.
    await pay(h, await create(h, bodyOf(h, 'va'), token), { token });
    await create(h, bodyOf(h, 'later'), token);
    h.clock.advance(24 * 3600_000);
    token = await h.tokens.issueAccessToken(h.merchant.id, h.clock.now());
    // Today: QR paid 25,000.
    await pay(h, await create(h, bodyOf(h, 'qr', { amount: { value: 25_000, currency: 'IDR' } }), token), { token });
    // Another merchant's payment today: never counted.
    const other = await h.otherMerchant();
    const otherToken = await h.tokens.issueAccessToken(other.merchant.id, h.clock.now());
    await pay(h, await create(h, bodyOf(h, 'va'), otherToken), { token: otherToken });
    const at = h.clock.now().getTime();
    const t = dateIn(TZ, at);
    const fmt = (d: typeof t) => `${String(d.day).padStart(2, '0')}/${String(d.month).padStart(2, '0')}`;
    today = fmt(t);
    firstDay = fmt(addDays(t, -29));
  });
  afterAll(async () => h.close());

  it('lands a merchant user on the Overview after sign-in', async () => {
    const { browser } = await signedIn(h, 'viewer');
    const root = await browser.get('/dashboard');
    expect(root.status).toBe(303);
    expect(root.location).toBe('/dashboard/overview');
  });

  it('shows today and the last 30 days, in Indonesian', async () => {
    const { browser } = await signedIn(h, 'owner');
    const page = await browser.get('/dashboard/overview');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<html lang="id">');
    expect(figure(page.body, 'Hari ini', 'Dibuat')).toBe('1');
    expect(figure(page.body, 'Hari ini', 'Lunas')).toBe('1');
    expect(figure(page.body, 'Hari ini', 'Konversi')).toBe('100%');
    expect(figure(page.body, 'Hari ini', 'Jumlah lunas')).toBe('IDR 25.000');
    expect(figure(page.body, '30 hari terakhir', 'Dibuat')).toBe('3');
    expect(figure(page.body, '30 hari terakhir', 'Lunas')).toBe('2');
    expect(figure(page.body, '30 hari terakhir', 'Konversi')).toBe('66,7%');
    expect(figure(page.body, '30 hari terakhir', 'Jumlah lunas')).toBe('IDR 35.000');
    expect(page.body).toContain('Asia/Jakarta');
  });

  it('splits by method and by bank/channel, in English', async () => {
    const { browser } = await signedIn(h, 'developer');
    const page = await browser.get('/dashboard/overview?lang=en');
    const method = page.body.split('By method (30 days)</h2>')[1]!.split('</section>')[0]!;
    const rows = [
      ...method.matchAll(/<th scope="row"[^>]*>([^<]*)<\/th>\s*<td[^>]*>([^<]*)<\/td>\s*<td[^>]*>([^<]*)<\/td>/g),
    ].map((m) => [m[1], m[2], m[3]]);
    expect(rows).toEqual(
      expect.arrayContaining([
        ['VIRTUAL_ACCOUNT', '1', '1'],
        ['QR', '1', '1'],
        ['(not chosen)', '1', '0'],
      ]),
    );
    expect(rows).toHaveLength(3);
    const channel = page.body.split('By bank/channel (30 days)</h2>')[1]!.split('</section>')[0]!;
    expect(channel).toContain('PERMATA');
    expect(channel).toContain('(no bank/channel)');
    expect(figure(page.body, 'Last 30 days', 'Amount paid')).toBe('IDR 35,000');
    expect(figure(page.body, 'Last 30 days', 'Conversion')).toBe('66.7%');
  });

  it('draws the daily chart as SVG with a title, a description, axis labels, and the numbers in a table', async () => {
    const { browser } = await signedIn(h, 'viewer');
    const page = await browser.get('/dashboard/overview?lang=en');
    const svg = /<svg[\s\S]*?<\/svg>/.exec(page.body)?.[0] ?? '';
    expect(svg).toMatch(/role="img"/);
    expect(svg).toMatch(/aria-labelledby="paid-per-day-title paid-per-day-desc"/);
    expect(svg).toContain('<title id="paid-per-day-title">Paid payments per day</title>');
    expect(svg).toMatch(
      /<desc id="paid-per-day-desc">Bar chart, one bar per day from .* to .*\. 2 paid in all; the most, 1, on .*\.<\/desc>/,
    );
    const bars = [...svg.matchAll(/<rect[^>]*height="([\d.]+)"[^>]*>\s*<title>([^<]*)<\/title>/g)];
    expect(bars).toHaveLength(30);
    // Two days had a payment each; the others are empty bars.
    expect(bars.filter((b) => Number(b[1]) > 0)).toHaveLength(2);
    expect(bars.at(-1)![2]).toMatch(/: 1$/);
    expect(bars.at(-2)![2]).toMatch(/: 1$/);
    expect(bars.at(-3)![2]).toMatch(/: 0$/);
    expect(svg).toContain(`>${today}</text`);
    expect(svg).toContain('>Date</text>');
    expect(svg).toContain('Paid');
    // No inline style anywhere: the CSP would block it.
    expect(page.body).not.toMatch(/style="/);
    const table = page.body.split('<summary>The numbers per day</summary>')[1]!.split('</details>')[0]!;
    expect([...table.matchAll(/<tr>/g)]).toHaveLength(31);
    expect(table).toMatch(/<th scope="row"[^>]*>[^<]*<\/th>\s*<td[^>]*>1<\/td>\s*<td[^>]*>1<\/td>\s*<td[^>]*>IDR 25,000<\/td>/);
    // Every fifth day and the last are labelled under the axis.
    expect(svg).toContain(`>${firstDay}</text`);
  });

  it('shows callbacks’ success rate and the oldest undelivered callback, linked to its payment', async () => {
    const { browser } = await signedIn(h, 'owner');
    const page = await browser.get('/dashboard/overview?lang=en');
    // No dispatcher runs here: every callback is still waiting.
    expect(figure(page.body, 'Callbacks (30 days)', 'Success rate')).toBe('–');
    expect(Number(figure(page.body, 'Callbacks (30 days)', 'Waiting'))).toBeGreaterThan(0);
    const oldest = await h.store.db
      .selectFrom('callbacks')
      .select(['resource_id', 'event'])
      .where('merchant_id', '=', h.merchant.id)
      .orderBy('created_at')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    expect(page.body).toContain(`href="/dashboard/payments/${oldest.resource_id}"`);
    expect(page.body).toContain('href="/dashboard/callbacks"');
  });

  it('sends an operator to the picker first, and a signed-out browser to sign in', async () => {
    const operator = await signedIn(h, 'operator');
    const before = await operator.browser.get('/dashboard/overview');
    expect(before.status).toBe(303);
    expect(before.location).toBe('/dashboard/merchants');
    const picked = await operator.browser.submit('/dashboard/merchants', '/dashboard/merchants', { merchantId: h.merchant.id });
    expect(picked.location).toBe('/dashboard/overview');
    const page = await operator.browser.get('/dashboard/overview');
    expect(page.status).toBe(200);
    expect(figure(page.body, 'Hari ini', 'Jumlah lunas')).toBe('IDR 25.000');
    const anonymous = await h.app.inject({ method: 'GET', url: '/dashboard/overview' });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/dashboard/sign-in');
  });
});
