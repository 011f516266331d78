// One answer per situation: an action on a session whose time is up gets the same status and code whether
// or not the sweeper has written EXPIRED down yet.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expireDueSessions } from '../../../src/usecases/expire-sessions.ts';
import { multipleQrBody, seedAutoConfirmBody, seedConfirmLaterBody } from '../../helpers/bodies.ts';
import { DB_KINDS, makeHarness, requestId, type Harness } from '../../helpers/harness.ts';

describe.each(DB_KINDS)('actions after expiryAt on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness(kind);
  });
  afterAll(async () => h.close());

  const actions: Record<string, (id: string) => [string, string, unknown]> = {
    confirm: (id) => ['POST', `/v2/payments/${id}/confirm`, { paymentMethod: { type: 'QR' } }],
    cancel: (id) => ['POST', `/v2/payments/${id}/cancel`, { cancellationReason: 'VOID_SESSION' }],
    'simulate SUCCESS': (id) => ['POST', '/v2/payments/simulations', { paymentSessionId: id, chargeStatus: 'SUCCESS' }],
    'simulate FAILED': (id) => ['POST', '/v2/payments/simulations', { paymentSessionId: id, chargeStatus: 'FAILED' }],
    'simulate EXPIRED': (id) => ['POST', '/v2/payments/simulations', { paymentSessionId: id, chargeStatus: 'EXPIRED' }],
  };
  const bodies: Record<string, () => unknown> = {
    'a session awaiting a method': () => seedConfirmLaterBody(),
    'a session awaiting payment': () => seedAutoConfirmBody(),
    'a MULTIPLE session': () => multipleQrBody({ expiryAt: new Date(h.clock.now().getTime() + 3600_000).toISOString() }),
  };

  for (const [situation, body] of Object.entries(bodies)) {
    for (const [name, action] of Object.entries(actions)) {
      it(`${name} on ${situation}: same answer before and after the sweep`, async () => {
        const create = async () => {
          const res = await h.api('POST', '/v2/payments', body(), { 'x-request-id': requestId() });
          expect(res.status, JSON.stringify(res.body)).toBe(200);
          return res.body.data.id as string;
        };
        const unswept = await create();
        const swept = await create();
        h.clock.advance(2 * 3600_000);
        // Access tokens live 15 minutes: take a fresh one at the new time.
        const auth = { authorization: `Bearer ${await h.tokens.issueAccessToken(h.merchant.id, h.clock.now())}` };
        const call = ([method, url, payload]: [string, string, unknown]) => h.api(method, url, payload, auth);
        try {
          const before = await call(action(unswept));
          while ((await expireDueSessions(h.ctx)) > 0);
          expect(['EXPIRED', 'INACTIVE']).toContain((await call(['GET', `/v2/payments/${swept}`, undefined])).body.data.status);
          const after = await call(action(swept));
          expect(before.status).toBe(422);
          expect(before.body.code).toBe('payment_session_expired');
          expect({ status: after.status, code: after.body.code }).toEqual({ status: before.status, code: before.body.code });
          // And asking again after the first answer recorded the expiry: still the same.
          const again = await call(action(unswept));
          expect({ status: again.status, code: again.body.code }).toEqual({ status: before.status, code: before.body.code });
        } finally {
          h.clock.advance(-2 * 3600_000);
        }
      });
    }
  }
});
