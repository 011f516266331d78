// The Callbacks screen through the browser's forms, on both databases: undelivered callbacks listed with
// their reasons (escaped), filters, resend one and all of a filter (each audited), and the refusals: a bad
// filter (400), no CSRF token or another site (403), a role that may only read (403), another merchant's
// callback (404).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallbackDispatcher } from '../../src/callbacks/dispatcher.ts';
import { escapeHtml } from '../../src/page/html.ts';
import { DB_KINDS, type Harness } from '../helpers/harness.ts';
import { closeRig, drain, startCallbackRig, startDispatcher, type Receiver } from '../callbacks/receiver.ts';
import { bodyOf, create, pay } from '../usecases/dashboard/fixtures.ts';
import { csrfOf, signedIn } from './helpers.ts';

const SCRIPT = '<script>alert(1)</script>';

describe.each(DB_KINDS)('dashboard callbacks screen on %s', (kind) => {
  let h: Harness;
  let receiver: Receiver;
  let dispatcher: CallbackDispatcher | undefined;
  let failA: string;
  let failC: string;
  let otherCallbackId: string;

  const callbacksOf = (resourceId: string) =>
    h.store.db
      .selectFrom('callbacks')
      .select(['id', 'status', 'attempt_count', 'next_attempt_at', 'event'])
      .where('resource_id', '=', resourceId)
      .orderBy('created_at')
      .execute();
  const countFailed = async () =>
    Number(
      (
        await h.store.db
          .selectFrom('callbacks')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('merchant_id', '=', h.merchant.id)
          .where('status', '=', 'FAILED')
          .executeTakeFirstOrThrow()
      ).n,
    );
  const audit = (action: string) =>
    h.store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', action)
      .where('merchant_id', '=', h.merchant.id)
      .execute();

  beforeAll(async () => {
    ({ h, receiver } = await startCallbackRig(kind));
    // References starting with "fail" are answered 500 with markup in the body; the rest are taken.
    receiver.answer = (r) =>
      String(r.json.data?.clientReferenceId ?? '').startsWith('fail') ? { status: 500, body: `down ${SCRIPT}` } : {};
    dispatcher = startDispatcher(h, { breaker: { failures: 1000, cooldownMs: 1 } });
    failA = await create(h, bodyOf(h, 'va', { clientReferenceId: 'fail-a' }));
    await pay(h, failA);
    h.clock.advance(1000);
    await create(h, bodyOf(h, 'va', { clientReferenceId: 'ok-1' }));
    await drain(h, dispatcher);
    await dispatcher.stop();
    dispatcher = undefined;
    h.clock.advance(1000);
    // Not tried yet: PENDING, no attempt.
    failC = await create(h, bodyOf(h, 'va', { clientReferenceId: 'fail-c' }));
    const other = await h.otherMerchant();
    const otherSession = await create(h, bodyOf(h, 'va', { clientReferenceId: 'fail-other' }), other.token);
    otherCallbackId = (await callbacksOf(otherSession))[0]!.id;
  });
  afterAll(() => closeRig({ h, receiver, ...(dispatcher && { dispatcher }) }));

  it('lists FAILED and PENDING callbacks with the last attempt, the receiver’s answer escaped; a viewer cannot resend', async () => {
    const { browser } = await signedIn(h, 'viewer');
    const page = await browser.get('/dashboard/callbacks?lang=en');
    expect(page.status).toBe(200);
    expect(page.body).toContain('Undelivered callbacks');
    const failed = await callbacksOf(failA);
    expect(failed.map((c) => c.status)).toEqual(['FAILED', 'FAILED']);
    for (const c of failed) expect(page.body).toContain(c.id);
    expect(page.body).toContain((await callbacksOf(failC))[0]!.id);
    expect(page.body).toContain('HTTP 500');
    expect(page.body).toContain(escapeHtml(`down ${SCRIPT}`));
    expect(page.body).not.toContain(SCRIPT);
    expect(page.body).toContain(`href="/dashboard/payments/${failA}"`);
    expect(page.body).not.toContain(otherCallbackId);
    // Delivered callbacks are not listed.
    expect(page.body).not.toMatch(/ok-1/);
    expect(page.body).not.toContain('/resend"');
    expect(page.body).toContain('aria-current="page"');
  });

  it('filters by status, resource and event, and keeps the filter in the form', async () => {
    const { browser } = await signedIn(h, 'developer');
    const pending = await browser.get('/dashboard/callbacks?status=PENDING');
    expect(pending.status).toBe(200);
    expect(pending.body).toContain((await callbacksOf(failC))[0]!.id);
    for (const c of await callbacksOf(failA)) expect(pending.body).not.toContain(c.id);
    expect(pending.body).toMatch(/<option value="PENDING" selected>/);
    expect(pending.body).toContain('<input type="hidden" name="status" value="PENDING" />');
    const paid = await browser.get('/dashboard/callbacks?event=PAYMENT.PAID&lang=en');
    const [processing, paidCallback] = await callbacksOf(failA);
    expect(paid.body).toContain(paidCallback!.id);
    expect(paid.body).not.toContain(processing!.id);
    const refunds = await browser.get('/dashboard/callbacks?resourceType=refund&lang=en');
    expect(refunds.body).toContain('No undelivered callbacks for this filter.');
    expect(refunds.body).not.toContain('Resend all');
  });

  it('answers a bad filter or cursor with the 400 page', async () => {
    const { browser } = await signedIn(h, 'owner');
    for (const url of [
      '/dashboard/callbacks?status=DELIVERED',
      '/dashboard/callbacks?event=%3Cscript%3E',
      '/dashboard/callbacks?resourceType=charge',
      '/dashboard/callbacks?cursor=nope',
    ]) {
      const page = await browser.get(`${url}&lang=en`);
      expect(page.status, url).toBe(400);
      expect(page.body).toContain('Cannot continue');
      expect(page.body).not.toContain('<script>');
    }
  });

  it('resends one: due now, a fresh cycle, the history kept, an audit entry naming the user', async () => {
    const { browser, email } = await signedIn(h, 'developer');
    const [target] = await callbacksOf(failA);
    const res = await browser.submit('/dashboard/callbacks', `/dashboard/callbacks/${target!.id}/resend`, { status: 'FAILED' });
    expect(res.status).toBe(200);
    expect(res.body).toContain(`Callback ${target!.id}`);
    expect(res.body).toContain('role="status"');
    const [after] = await callbacksOf(failA);
    expect(after).toMatchObject({ status: 'PENDING', attempt_count: 0 });
    expect(Number(after!.next_attempt_at)).toBeLessThanOrEqual(h.clock.now().getTime());
    const attempts = await h.store.db
      .selectFrom('callback_attempts')
      .select('id')
      .where('callback_id', '=', target!.id)
      .execute();
    expect(attempts.length).toBeGreaterThan(0);
    expect(await audit('callback.resend')).toEqual([
      expect.objectContaining({ actor_kind: 'user', actor_email: email, resource_type: 'callback', resource_id: target!.id }),
    ]);
  });

  it('resends all of a filter and says how many', async () => {
    const { browser, email } = await signedIn(h, 'owner');
    const failed = await countFailed();
    expect(failed).toBeGreaterThan(0);
    const res = await browser.submit('/dashboard/callbacks?status=FAILED', '/dashboard/callbacks/resend', { status: 'FAILED' });
    expect(res.status).toBe(200);
    expect(res.body).toContain(`${failed} callback dijadwalkan ulang`);
    expect(await countFailed()).toBe(0);
    expect(await audit('callbacks.resend_all')).toEqual([
      expect.objectContaining({ actor_email: email, resource_type: 'merchant', resource_id: h.merchant.id }),
    ]);
  });

  it('refuses a resend without the CSRF token, from another site, by a viewer, or of another merchant’s callback', async () => {
    const [target] = await callbacksOf(failC);
    const url = `/dashboard/callbacks/${target!.id}/resend`;
    const { browser } = await signedIn(h, 'developer');
    expect((await browser.post(url, {})).status).toBe(403);
    expect((await browser.post(url, { csrf: 'x'.repeat(43) })).status).toBe(403);
    const token = csrfOf((await browser.get('/dashboard/callbacks')).body);
    expect((await browser.post(url, { csrf: token }, { origin: 'https://evil.test' })).status).toBe(403);
    expect((await browser.post(url, { csrf: token }, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await browser.post('/dashboard/callbacks/resend', { csrf: token, status: 'NOPE' })).status).toBe(400);
    const other = await browser.post(`/dashboard/callbacks/${otherCallbackId}/resend`, { csrf: token });
    expect(other.status).toBe(404);
    const viewer = await signedIn(h, 'viewer');
    const viewerToken = csrfOf((await viewer.browser.get('/dashboard/callbacks')).body);
    expect((await viewer.browser.post(url, { csrf: viewerToken })).status).toBe(403);
    expect((await viewer.browser.post('/dashboard/callbacks/resend', { csrf: viewerToken })).status).toBe(403);
    // None of these changed anything.
    expect(await audit('callback.resend')).toHaveLength(1);
    expect((await callbacksOf(failC))[0]!.attempt_count).toBe(0);
  });

  it('sends a signed-out browser to sign in, and an operator to the merchant picker first', async () => {
    const { browser } = await signedIn(h, 'viewer');
    await browser.post('/dashboard/sign-out', { csrf: csrfOf((await browser.get('/dashboard/callbacks')).body) });
    const out = await browser.get('/dashboard/callbacks');
    expect(out.status).toBe(303);
    expect(out.location).toMatch(/^\/dashboard\/sign-in/);
    const operator = await signedIn(h, 'operator');
    const picker = await operator.browser.get('/dashboard/callbacks');
    expect(picker.status).toBe(303);
    expect(picker.location).toBe('/dashboard/merchants');
  });
});
