// The VA page's "how to pay" card is rendered once per bank and language and filled in per view: each
// page must still carry its own VA number and amount, escaped, and never another session's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueReference, type Harness } from '../helpers/harness.ts';
import { postRefund } from '../helpers/refunds.ts';
import { seedAutoConfirmBody } from '../helpers/bodies.ts';
import { createSession, get, makePageHarness } from './helpers.ts';

/** The steps card alone, so the numbers found are the ones filled into the instructions. */
function howToPayCard(body: string): string {
  const card = /<section class="card" aria-labelledby="how-h">[\s\S]*?<\/section>/.exec(body)?.[0];
  if (!card) throw new Error('no how-to-pay card on the page');
  return card;
}

const vaNumberIn = (body: string) => /data-testid="va-number">(\d+)</.exec(body)?.[1];

describe('VA page instructions', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await makePageHarness('sqlite');
  });
  afterAll(async () => {
    await h.close();
  });

  it('fills each session its own VA number and amount, for the same bank and language', async () => {
    const pages = [];
    for (const value of [15000, 2750000]) {
      const body = seedAutoConfirmBody({ amount: { value, currency: 'IDR' } });
      const session = await createSession(h, body);
      for (const lang of ['id', 'en']) {
        const res = await get(h, `${session.path}&lang=${lang}`);
        expect(res.statusCode).toBe(200);
        pages.push({ lang, value, number: vaNumberIn(res.body)!, card: howToPayCard(res.body) });
      }
    }
    const [first, , second] = pages;
    expect(first!.number).not.toBe(second!.number);
    for (const page of pages) {
      const others = pages.filter((p) => p.number !== page.number);
      expect(page.card).toContain(page.number);
      expect(page.card).toContain(page.value === 15000 ? 'Rp 15.000' : 'Rp 2.750.000');
      for (const other of others) expect(page.card).not.toContain(other.number);
      expect(page.card).not.toMatch(/\{vaNumber\}|\{amount\}|\uE000/);
    }
  });
});

describe('status page of a refunded payment', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await makePageHarness('sqlite');
  });
  afterAll(async () => {
    await h.close();
  });

  async function refund(sessionId: string, amount: Record<string, unknown>) {
    const res = await postRefund(h, {
      clientReferenceId: uniqueReference(),
      paymentSessionId: sessionId,
      reason: 'OTHERS',
      ...amount,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const settled = await h.api('POST', '/v1/refunds/simulations', { refundId: res.body.data.id, status: 'SUCCESS' });
    expect(settled.status).toBe(200);
  }

  it('says how much came back once a refund succeeds, then that all of it did, in Indonesian and English', async () => {
    const session = await createSession(h, seedAutoConfirmBody({ redirectUrl: {} }));
    await h.api('POST', '/v2/payments/simulations', { paymentSessionId: session.id, chargeStatus: 'SUCCESS' });
    const page = async (lang: string) => (await get(h, `${session.path}&lang=${lang}`)).body;
    expect(await page('id')).not.toContain('dikembalikan');

    // A pending refund is not shown: nothing has come back yet.
    const pending = await postRefund(h, {
      clientReferenceId: uniqueReference(),
      paymentSessionId: session.id,
      reason: 'OTHERS',
      amount: { value: '1000', currency: 'IDR' },
    });
    expect(pending.status).toBe(200);
    expect(await page('en')).not.toContain('refunded');

    await refund(session.id, { amount: { value: '4000', currency: 'IDR' } });
    const partlyId = await page('id');
    expect(partlyId).toContain('data-testid="status-paid"');
    expect(partlyId).toContain('Sebagian pembayaran ini, Rp 4.000, telah dikembalikan kepada Anda.');
    expect(partlyId).toMatch(/Jumlah dikembalikan<\/dt>\s*<dd[^>]*>Rp 4\.000</);
    expect(await page('en')).toContain('Part of this payment, Rp 4.000, has been refunded to you.');

    await h.api('POST', '/v1/refunds/simulations', { refundId: pending.body.data.id, status: 'SUCCESS' });
    await refund(session.id, { isFullAmount: true });
    const wholeEn = await page('en');
    expect(wholeEn).toContain('data-testid="status-refunded"');
    expect(wholeEn).toContain('<h1 id="status-h">Payment refunded</h1>');
    expect(wholeEn).toMatch(/Amount refunded<\/dt>\s*<dd[^>]*>Rp 10\.000</);
    expect(await page('id')).toContain('Pembayaran telah dikembalikan');
  });
});
