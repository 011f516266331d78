// What the merchant sends in metadata, customer and orderInformation comes back unchanged — on GET, in the
// list, in the idempotent replay and in the callback body — whatever its keys are named (property test).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAutoConfirmBody } from '../helpers/bodies.ts';
import { DB_KINDS, makeHarness, requestId, type Harness } from '../helpers/harness.ts';

/** Keys the wire schema gives a meaning (or an alias) are left to their own tests; everything else is free. */
const RESERVED = new Set([
  '__proto__',
  'constructor',
  'prototype',
  'givenName',
  'surname',
  'sureName',
  'email',
  'phoneNumber',
  'refundPreference',
  'productDetails',
  'billingInfo',
  'shippingInfo',
]);
const key = fc
  .oneof(
    fc.constantFrom('createdAt', 'updatedAt', 'paidAt', 'expiryAt', 'cancelledAt', 'date', 'amount', 'id'),
    fc.string({ maxLength: 12 }),
  )
  .filter((k) => !RESERVED.has(k));
// Fastify refuses a body with a __proto__ or constructor.prototype key anywhere (prototype poisoning):
// that is a 400 by design, so such keys are not merchant data that could come back.
const poisonFree = (value: unknown) => !/"(__proto__|constructor)"/.test(JSON.stringify(value));
const freeObject = fc.dictionary(key, fc.jsonValue({ maxDepth: 3 }).filter(poisonFree), { maxKeys: 6 });
const dateLike = fc.constantFrom('yesterday', '2024-01-01', '2024-01-01T00:00:00Z', '1700000000000', '', 'null');

describe.each(DB_KINDS)('merchant data round trip on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness(kind);
  });
  afterAll(async () => h.close());

  it('metadata, customer and orderInformation come back identical everywhere', async () => {
    await fc.assert(
      fc.asyncProperty(freeObject, freeObject, freeObject, dateLike, async (metadata, customerExtra, orderExtra, stamp) => {
        const base = seedAutoConfirmBody();
        const sent = {
          metadata: { ...metadata, createdAt: stamp },
          customer: { ...base.customer, ...customerExtra, surname: 'Geotama', sureName: undefined },
          orderInformation: { ...orderExtra, productDetails: base.orderInformation.productDetails },
        };
        const body = { ...base, ...sent, customer: JSON.parse(JSON.stringify(sent.customer)) };
        const expected = JSON.parse(
          JSON.stringify({ metadata: sent.metadata, customer: body.customer, orderInformation: sent.orderInformation }),
        );
        const pick = (data: Record<string, unknown>) => ({
          metadata: data.metadata,
          customer: data.customer,
          orderInformation: data.orderInformation,
        });

        const key = requestId();
        const created = await h.api('POST', '/v2/payments', body, { 'x-request-id': key });
        expect(created.status, JSON.stringify(created.body)).toBe(200);
        const id = created.body.data.id as string;
        expect(pick(created.body.data)).toEqual(expected);
        expect(pick((await h.api('GET', `/v2/payments/${id}`)).body.data)).toEqual(expected);
        const listed = await h.api('GET', `/v2/payments?clientReferenceId=${body.clientReferenceId}`);
        expect(pick(listed.body.data[0])).toEqual(expected);
        const replay = await h.api('POST', '/v2/payments', body, { 'x-request-id': key });
        expect(pick(replay.body.data)).toEqual(expected);
        // A transition reads the session back and writes it again: the data must survive that too.
        expect((await h.api('POST', '/v2/payments/simulations', { paymentSessionId: id, chargeStatus: 'SUCCESS' })).status).toBe(
          200,
        );
        const callbacks = await h.store.db
          .selectFrom('callbacks')
          .select(['event', 'payload'])
          .where('resource_id', '=', id)
          .execute();
        expect(callbacks.map((c) => c.event).sort()).toEqual(['PAYMENT.PAID', 'PAYMENT.PROCESSING']);
        for (const c of callbacks) expect(pick(JSON.parse(c.payload).data), c.event).toEqual(expected);
        expect(pick((await h.api('GET', `/v2/payments/${id}`)).body.data)).toEqual(expected);
      }),
      { numRuns: 25 },
    );
  });
});
