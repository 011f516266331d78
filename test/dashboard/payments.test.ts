// The Payments screens through the browser's forms on both databases: list, search, filters, keyset pages,
// CSV, a payment's timeline with its callbacks' attempts, and every action (resend, cancel, refund, capture,
// simulate) with its audit entry; refusals (bad amount, over-refund, wrong state) on the same page; security
// (CSRF, roles, another merchant's ids, escaping of merchant text and callback excerpts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallbackDispatcher } from '../../src/callbacks/dispatcher.ts';
import { escapeHtml } from '../../src/page/html.ts';
import { findSession } from '../../src/store/sessions.ts';
import { cardSessionBody, encryptCard, futureExpiry } from '../helpers/cards.ts';
import { requestId, DB_KINDS, type Harness } from '../helpers/harness.ts';
import { closeRig, drain, startCallbackRig, startDispatcher, type Receiver } from '../callbacks/receiver.ts';
import { bodyOf, create, pay } from '../usecases/dashboard/fixtures.ts';
import { csrfOf, signedIn } from './helpers.ts';

const SCRIPT = '<script>alert(1)</script>';
const ATTR = '"><img src=x onerror=alert(1)>';

async function auditOf(h: Harness, action: string) {
  return h.store.db
    .selectFrom('audit_log')
    .selectAll()
    .where('merchant_id', '=', h.merchant.id)
    .where('action', '=', action)
    .orderBy('at', 'desc')
    .execute();
}

async function refundsOf(h: Harness, sessionId: string) {
  return h.store.db.selectFrom('refunds').selectAll().where('payment_session_id', '=', sessionId).execute();
}

const detail = (id: string) => `/dashboard/payments/${id}`;

describe.each(DB_KINDS)('dashboard payments on %s', (kind) => {
  let h: Harness;
  let receiver: Receiver;
  let dispatcher: CallbackDispatcher;
  /** A VA payment, paid, whose callbacks failed (the receiver answered 500 with a script). */
  let paidId: string;
  let paidRef: string;

  beforeAll(async () => {
    ({ h, receiver } = await startCallbackRig(kind));
    receiver.answer = () => ({ status: 500, body: `down ${SCRIPT}` });
    dispatcher = startDispatcher(h, { breaker: { failures: 1000, cooldownMs: 1 } });
    const body = bodyOf(h, 'va', {
      metadata: { note: SCRIPT, attr: ATTR },
      customer: { givenName: SCRIPT, email: 'budi@toko.test' },
    });
    paidRef = String(body.clientReferenceId);
    paidId = await create(h, body);
    h.clock.advance(1000);
    await pay(h, paidId);
    await drain(h, dispatcher);
  });
  afterAll(() => closeRig({ h, receiver, dispatcher }));

  describe('list', () => {
    it('finds a payment by reference, id or customer email, and filters by status', async () => {
      const { browser } = await signedIn(h, 'viewer');
      const all = await browser.get('/dashboard/payments');
      expect(all.status).toBe(200);
      expect(all.body).toContain(paidRef);
      expect(all.body).toContain('href="/dashboard/payments.csv"');
      for (const q of [paidRef, paidId, 'BUDI@toko.test']) {
        const found = await browser.get(`/dashboard/payments?q=${encodeURIComponent(q)}`);
        expect(found.status).toBe(200);
        expect(found.body).toContain(`href="/dashboard/payments/${paidId}"`);
        expect(found.body.match(/<tbody>[\s\S]*?<\/tbody>/)![0].match(/<tr>/g)).toHaveLength(1);
      }
      const open = await create(h, bodyOf(h, 'later'));
      const paidOnly = await browser.get('/dashboard/payments?status=PAID&method=VIRTUAL_ACCOUNT&channel=PERMATA');
      expect(paidOnly.body).toContain(paidId);
      expect(paidOnly.body).not.toContain(open);
      expect(paidOnly.body).toMatch(/<option value="PAID" selected>/);
      const none = await browser.get(`/dashboard/payments?q=nobody%40nowhere.test`);
      expect(none.body).toMatch(/Tidak ada pembayaran yang cocok/);
    });

    it('refuses bad filters with a 400 page naming each field, and shows the search escaped', async () => {
      const { browser } = await signedIn(h, 'developer');
      const bad = await browser.get('/dashboard/payments?status=NOPE&from=2024-13-45&lang=en');
      expect(bad.status).toBe(400);
      expect(bad.body).toContain('status must be one of');
      expect(bad.body).toContain('from must be a date');
      expect((await browser.get('/dashboard/payments?cursor=bm90LWEtY3Vyc29y')).status).toBe(400);
      expect((await browser.get('/dashboard/payments.csv?method=CASH')).status).toBe(400);
      const xss = await browser.get(`/dashboard/payments?q=${encodeURIComponent(ATTR)}`);
      expect(xss.status).toBe(200);
      expect(xss.body).not.toContain(ATTR);
      expect(xss.body).toContain(escapeHtml(ATTR));
    });

    it('pages newest first with next and previous links that keep the filters', async () => {
      const { merchant, token } = await h.otherMerchant();
      const { browser } = await signedIn(h, 'owner', merchant.id);
      const ids: string[] = [];
      for (let i = 0; i < 27; i++) {
        h.clock.advance(1000);
        ids.push(await create(h, bodyOf(h, 'later'), token));
      }
      const first = await browser.get('/dashboard/payments?status=REQUIRE_PAYMENT_METHOD');
      expect(first.body).toContain(ids[26]);
      expect(first.body).not.toContain(ids[1]);
      expect(first.body).not.toContain('rel="prev"');
      const next = /href="\/dashboard\/payments\?([^"]+)" rel="next"/.exec(first.body)![1]!.replaceAll('&amp;', '&');
      expect(next).toContain('status=REQUIRE_PAYMENT_METHOD');
      const second = await browser.get(`/dashboard/payments?${next}`);
      expect(second.body).toContain(ids[1]);
      expect(second.body).toContain(ids[0]);
      expect(second.body).not.toContain(ids[2]);
      expect(second.body).not.toContain('rel="next"');
      const prev = /href="\/dashboard\/payments\?([^"]+)" rel="prev"/.exec(second.body)![1]!.replaceAll('&amp;', '&');
      const back = await browser.get(`/dashboard/payments?${prev}`);
      expect(back.body).toContain(ids[26]);
      expect(back.body).not.toContain('rel="prev"');
      // The other merchant's payments are not in this merchant's list.
      expect(back.body).not.toContain(paidId);
    });

    it('exports the filtered list as a CSV attachment', async () => {
      const { browser } = await signedIn(h, 'viewer');
      const csv = await browser.get(`/dashboard/payments.csv?q=${paidRef}`);
      expect(csv.status).toBe(200);
      expect(String(csv.headers['content-type'])).toMatch(/^text\/csv/);
      expect(String(csv.headers['content-disposition'])).toMatch(/^attachment; filename="payments-\d{4}-\d{2}-\d{2}\.csv"$/);
      const lines = csv.body.trimEnd().split('\r\n');
      expect(lines[0]).toBe('id,clientReferenceId,amount,currency,status,methodType,channel,customerEmail,createdAt,paidAt');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain(`${paidId},${paidRef},10000,IDR,PAID,VIRTUAL_ACCOUNT,PERMATA,budi@toko.test`);
    });
  });

  describe('payment page', () => {
    it('shows the timeline with each callback attempt and the merchant data, all escaped', async () => {
      const { browser } = await signedIn(h, 'developer');
      const page = await browser.get(`${detail(paidId)}?lang=en`);
      expect(page.status).toBe(200);
      for (const text of ['Session created', 'Charge issued', 'Charge paid', 'Status changed to', 'PAYMENT.PAID']) {
        expect(page.body).toContain(text);
      }
      expect(page.body).toMatch(/<td data-label="HTTP status">500<\/td>/);
      expect(page.body).toMatch(/<td data-label="Latency">\d+ ms<\/td>/);
      expect(page.body).not.toContain(SCRIPT);
      expect(page.body).not.toContain(ATTR);
      expect(page.body).toContain(`down ${escapeHtml(SCRIPT)}`);
      expect(page.body).toContain(escapeHtml(JSON.stringify(SCRIPT)));
      expect(page.body).toContain(escapeHtml(JSON.stringify(ATTR)));
      // A developer may resend, refund and simulate; not cancel or capture.
      expect(page.body).toContain(`action="/dashboard/payments/${paidId}/resend"`);
      expect(page.body).toContain(`action="/dashboard/payments/${paidId}/refund"`);
      expect(page.body).not.toContain('/cancel"');
    });

    it('escapes a clientReferenceId the API would refuse, should one be in the database', async () => {
      const id = await create(h, bodyOf(h, 'later'));
      const planted = `${ATTR}${SCRIPT}`;
      await h.store.db.updateTable('payment_sessions').set({ client_reference_id: planted }).where('id', '=', id).execute();
      const { browser } = await signedIn(h, 'viewer');
      for (const url of ['/dashboard/payments', detail(id)]) {
        const page = await browser.get(url);
        expect(page.status).toBe(200);
        expect(page.body).not.toContain(planted);
        expect(page.body).toContain(escapeHtml(planted));
      }
    });

    it('shows a viewer no action form', async () => {
      const { browser } = await signedIn(h, 'viewer');
      const page = await browser.get(detail(paidId));
      expect(page.status).toBe(200);
      expect(page.body).not.toMatch(/action="\/dashboard\/payments\/[^"]+\/(resend|refund|cancel|capture|simulate)"/);
    });

    it("answers 404 for another merchant's payment, to reads and to actions", async () => {
      const other = await h.otherMerchant();
      const theirs = await create(h, bodyOf(h, 'later'), other.token);
      const { browser } = await signedIn(h, 'owner');
      expect((await browser.get(detail(theirs))).status).toBe(404);
      expect((await browser.get(detail('no-such-session'))).status).toBe(404);
      const cancel = await browser.submit(detail(paidId), `${detail(theirs)}/cancel`, { reason: 'DUPLICATED' });
      expect(cancel.status).toBe(404);
      const session = await findSession(h.store.db, other.merchant.id, theirs);
      expect(session!.status).toBe('REQUIRE_PAYMENT_METHOD');
      // A callback of another payment is not resent from this one's page.
      const [theirCallback] = await h.store.db.selectFrom('callbacks').select('id').where('resource_id', '=', paidId).execute();
      const mine = await create(h, bodyOf(h, 'later'));
      const resend = await browser.submit(detail(mine), `${detail(mine)}/resend`, { callbackId: theirCallback!.id });
      expect(resend.status).toBe(404);
    });
  });

  describe('actions', () => {
    it('lets a developer resend a failed callback: a new attempt follows, with its audit entry', async () => {
      const { browser, email } = await signedIn(h, 'developer');
      const [callback] = await h.store.db
        .selectFrom('callbacks')
        .select(['id', 'status'])
        .where('resource_id', '=', paidId)
        .where('event', '=', 'PAYMENT.PAID')
        .execute();
      expect(callback!.status).toBe('FAILED');
      const attemptsBefore = await h.store.db
        .selectFrom('callback_attempts')
        .select('id')
        .where('callback_id', '=', callback!.id)
        .execute();
      receiver.answer = () => ({ status: 200, body: 'ok' });
      const res = await browser.submit(detail(paidId), `${detail(paidId)}/resend`, { callbackId: callback!.id });
      expect(res.status).toBe(303);
      expect(res.location).toBe(`${detail(paidId)}?done=resend&ref=${callback!.id}`);
      await drain(h, dispatcher);
      receiver.answer = () => ({ status: 500, body: `down ${SCRIPT}` });
      const after = await browser.get(`${res.location!}&lang=en`);
      expect(after.body).toContain(`Callback ${callback!.id} is due to be sent again now.`);
      expect(after.body).toMatch(/<td data-label="HTTP status">200<\/td>/);
      const attemptsAfter = await h.store.db
        .selectFrom('callback_attempts')
        .select('id')
        .where('callback_id', '=', callback!.id)
        .execute();
      expect(attemptsAfter.length).toBe(attemptsBefore.length + 1);
      const [entry] = await auditOf(h, 'callback.resend');
      expect(entry).toMatchObject({ actor_email: email, resource_type: 'callback', resource_id: callback!.id });
    });

    it('refunds part of a payment, then refuses an over-refund (422) and a bad amount (400) on the same page', async () => {
      const { browser, email } = await signedIn(h, 'developer');
      const id = await create(h, bodyOf(h, 'va'));
      await pay(h, id);
      const form = await browser.get(detail(id));
      const reference = /name="clientReferenceId" value="([^"]+)"/.exec(form.body)![1]!;
      const fields = {
        csrf: csrfOf(form.body),
        clientReferenceId: reference,
        kind: 'partial',
        amount: '3000',
        reason: 'DUPLICATE',
      };
      const res = await browser.post(`${detail(id)}/refund`, fields);
      expect(res.status).toBe(303);
      const refunds = await refundsOf(h, id);
      expect(refunds).toHaveLength(1);
      expect(refunds[0]).toMatchObject({ amount_value: 3000, client_reference_id: reference, reason: 'DUPLICATE' });
      expect(res.location).toBe(`${detail(id)}?done=refund&ref=${refunds[0]!.id}`);
      // The same form sent twice (a double click) gets the first refund back, not a second one.
      expect((await browser.post(`${detail(id)}/refund`, fields)).status).toBe(303);
      expect(await refundsOf(h, id)).toHaveLength(1);
      const [entry] = await auditOf(h, 'refund.create');
      expect(entry).toMatchObject({ actor_email: email, resource_type: 'refund', resource_id: refunds[0]!.id });

      const over = await browser.submit(detail(id), `${detail(id)}/refund`, {
        clientReferenceId: `${reference}-2`,
        kind: 'partial',
        amount: '9000',
        reason: 'OTHERS',
      });
      expect(over.status).toBe(422);
      expect(over.body).toMatch(/Ditolak: .*7000/);
      for (const amount of ['1.000', '-5', '10 000', 'abc', '0', '1e3']) {
        const bad = await browser.submit(`${detail(id)}?lang=en`, `${detail(id)}/refund`, {
          clientReferenceId: `${reference}-3`,
          kind: 'partial',
          amount,
          reason: 'OTHERS',
        });
        expect(bad.status, amount).toBe(400);
        expect(bad.body).toContain('The amount must be a whole positive number');
      }
      const missing = await browser.submit(detail(id), `${detail(id)}/refund`, {
        clientReferenceId: `${reference}-4`,
        kind: 'partial',
        amount: '',
        reason: 'OTHERS',
      });
      expect(missing.status).toBe(400);
      expect(await refundsOf(h, id)).toHaveLength(1);
    });

    it('refunds what remains in full', async () => {
      const { browser } = await signedIn(h, 'owner');
      const id = await create(h, bodyOf(h, 'va'));
      await pay(h, id);
      const res = await browser.submit(detail(id), `${detail(id)}/refund`, {
        clientReferenceId: `FULL-${id.slice(0, 20)}`,
        kind: 'full',
        reason: 'REQUESTED_BY_CUSTOMER',
        channelCode: 'BCA',
        accountNumber: '1234567890',
        accountName: 'Budi',
      });
      expect(res.status).toBe(303);
      const [refund] = await refundsOf(h, id);
      expect(refund).toMatchObject({ amount_value: 10000, is_full_amount: expect.anything() });
      const badDestination = await browser.submit(detail(id), `${detail(id)}/refund`, {
        clientReferenceId: `FULL2-${id.slice(0, 20)}`,
        kind: 'full',
        reason: 'OTHERS',
        channelCode: 'BCA',
        accountNumber: '12-34',
        accountName: 'Budi',
      });
      expect(badDestination.status).toBe(400);
    });

    it('lets an owner cancel an open session, and refuses a paid one (422)', async () => {
      const { browser, email } = await signedIn(h, 'owner');
      const id = await create(h, bodyOf(h, 'later'));
      const page = await browser.get(detail(id));
      expect(page.body).toContain(`action="/dashboard/payments/${id}/cancel"`);
      const res = await browser.post(`${detail(id)}/cancel`, { csrf: csrfOf(page.body), reason: 'DUPLICATED' });
      expect(res.status).toBe(303);
      expect((await findSession(h.store.db, h.merchant.id, id))!.status).toBe('CANCELLED');
      const [entry] = await auditOf(h, 'payment.cancel');
      expect(entry).toMatchObject({ actor_email: email, resource_id: id });
      expect(JSON.parse(entry!.detail!)).toEqual({ cancellationReason: 'DUPLICATED' });
      const paid = await browser.submit(detail(paidId), `${detail(paidId)}/cancel`, { reason: 'DUPLICATED' });
      expect(paid.status).toBe(422);
      expect(paid.body).toContain('Ditolak:');
      expect((await browser.submit(detail(id), `${detail(id)}/cancel`, { reason: 'FRAUDULENT' })).status).toBe(400);
    });

    it('simulates success, failure and expiry in the sandbox', async () => {
      const { browser, email } = await signedIn(h, 'developer');
      const id = await create(h, bodyOf(h, 'va'));
      const page = await browser.get(detail(id));
      expect(page.body).toContain(`action="/dashboard/payments/${id}/simulate"`);
      const res = await browser.post(`${detail(id)}/simulate`, { csrf: csrfOf(page.body), outcome: 'SUCCESS' });
      expect(res.status).toBe(303);
      expect((await findSession(h.store.db, h.merchant.id, id))!.status).toBe('PAID');
      const [entry] = await auditOf(h, 'payment.simulate');
      expect(entry).toMatchObject({ actor_email: email, resource_id: id });
      const again = await browser.submit(detail(id), `${detail(id)}/simulate`, { outcome: 'EXPIRED' });
      expect(again.status).toBe(422);
      const expiring = await create(h, bodyOf(h, 'va'));
      expect((await browser.submit(detail(expiring), `${detail(expiring)}/simulate`, { outcome: 'EXPIRED' })).status).toBe(303);
      expect((await findSession(h.store.db, h.merchant.id, expiring))!.status).toBe('EXPIRED');
      expect((await browser.submit(detail(expiring), `${detail(expiring)}/simulate`, { outcome: 'MAYBE' })).status).toBe(400);
    });

    it('lets an owner capture part of a manual card authorization', async () => {
      const { browser, email } = await signedIn(h, 'owner');
      const s = (
        await h.api('POST', '/v2/payments', cardSessionBody({ mode: 'API', autoConfirm: false }, { captureMethod: 'manual' }), {
          'x-request-id': requestId(),
        })
      ).body.data;
      const confirmed = await h.api('POST', `/v2/payments/${s.id}/confirm`, {
        paymentMethod: {
          type: 'CARD',
          card: { encryptedCard: encryptCard(s.encryptionKey, { number: '4440000112200001', ...futureExpiry(), cvc: '737' }) },
        },
      });
      expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
      const page = await browser.get(detail(s.id));
      expect(page.body).toContain(`action="/dashboard/payments/${s.id}/capture"`);
      const bad = await browser.post(`${detail(s.id)}/capture`, { csrf: csrfOf(page.body), amount: '1,000' });
      expect(bad.status).toBe(400);
      const res = await browser.post(`${detail(s.id)}/capture`, { csrf: csrfOf(page.body), amount: '1000' });
      expect(res.status).toBe(303);
      const [entry] = await auditOf(h, 'payment.capture');
      expect(entry).toMatchObject({ actor_email: email, resource_id: s.id });
      expect(JSON.parse(entry!.detail!)).toMatchObject({ amount: 1000, releaseRemainingAmount: false });
      const after = await browser.get(res.location!);
      expect(after.body).toMatch(/Capture \S+ dicatat/);
      // 0 with "release" lets the rest of the authorization go: the payment ends PAID with what was taken.
      const release = await browser.post(`${detail(s.id)}/capture`, { csrf: csrfOf(page.body), amount: '0', release: '1' });
      expect(release.status).toBe(303);
      expect((await findSession(h.store.db, h.merchant.id, s.id))!.status).toBe('PAID');
      expect((await browser.post(`${detail(s.id)}/capture`, { csrf: csrfOf(page.body), amount: '500' })).status).toBe(422);
      const { browser: dev } = await signedIn(h, 'developer');
      expect((await dev.get(detail(s.id))).body).not.toContain('/capture"');
      expect((await dev.submit(detail(s.id), `${detail(s.id)}/capture`, { amount: '1000' })).status).toBe(403);
    });
  });

  describe('security', () => {
    it('refuses a post without the CSRF token (403) and changes nothing', async () => {
      const { browser } = await signedIn(h, 'owner');
      const id = await create(h, bodyOf(h, 'later'));
      const res = await browser.post(`${detail(id)}/cancel`, { reason: 'DUPLICATED' });
      expect(res.status).toBe(403);
      const forged = await browser.post(`${detail(id)}/cancel`, { csrf: 'x'.repeat(43), reason: 'DUPLICATED' });
      expect(forged.status).toBe(403);
      expect((await findSession(h.store.db, h.merchant.id, id))!.status).toBe('REQUIRE_PAYMENT_METHOD');
    });

    it('refuses what a role may not do (403) and changes nothing', async () => {
      const { browser: viewer } = await signedIn(h, 'viewer');
      const id = await create(h, bodyOf(h, 'va'));
      await pay(h, id);
      const refund = await viewer.submit(detail(id), `${detail(id)}/refund`, {
        clientReferenceId: 'VIEWER-1',
        kind: 'full',
        reason: 'OTHERS',
      });
      expect(refund.status).toBe(403);
      expect(await refundsOf(h, id)).toHaveLength(0);
      const open = await create(h, bodyOf(h, 'later'));
      expect((await viewer.submit(detail(open), `${detail(open)}/simulate`, { outcome: 'SUCCESS' })).status).toBe(403);
      const { browser: dev } = await signedIn(h, 'developer');
      expect((await dev.submit(detail(open), `${detail(open)}/cancel`, { reason: 'DUPLICATED' })).status).toBe(403);
      expect((await findSession(h.store.db, h.merchant.id, open))!.status).toBe('REQUIRE_PAYMENT_METHOD');
    });

    it('sends a visitor without a session to sign in', async () => {
      const res = await h.app.inject({ method: 'GET', url: '/dashboard/payments' });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/dashboard/sign-in');
    });

    it('lets an operator act on the merchant it picked', async () => {
      const { browser } = await signedIn(h, 'operator');
      expect((await browser.get('/dashboard/payments')).location).toBe('/dashboard/merchants');
      expect((await browser.submit('/dashboard/merchants', '/dashboard/merchants', { merchantId: h.merchant.id })).status).toBe(
        303,
      );
      const id = await create(h, bodyOf(h, 'later'));
      expect((await browser.submit(detail(id), `${detail(id)}/cancel`, { reason: 'VOID_SESSION' })).status).toBe(303);
      expect((await findSession(h.store.db, h.merchant.id, id))!.status).toBe('CANCELLED');
    });
  });
});
