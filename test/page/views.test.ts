// The VA page's "how to pay" card is rendered once per bank and language and filled in per view: each
// page must still carry its own VA number and amount, escaped, and never another session's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../helpers/harness.ts';
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
