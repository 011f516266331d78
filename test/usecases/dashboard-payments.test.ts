// A dashboard action and its audit entry commit together: when the entry cannot be written, the change is
// rolled back too (cancel through persist.ts#transition, a refund through create-refund.ts). And each
// action writes who did it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSession } from '../../src/store/sessions.ts';
import { cancelSession } from '../../src/usecases/cancel-session.ts';
import { createRefund, hashRefundRequest } from '../../src/usecases/create-refund.ts';
import { cancelPaymentBy, refundPaymentBy } from '../../src/usecases/dashboard-payments.ts';
import type { AuditActor } from '../../src/usecases/audit-log.ts';
import { DB_KINDS, makeHarness, type Harness } from '../helpers/harness.ts';
import { bodyOf, create, pay } from './dashboard/fixtures.ts';

const actor = { kind: 'user' as const, id: 'usr_1', email: 'owner@toko.test' };
/** An actor the audit table refuses (no kind): its entry cannot be written. */
const unwritable: AuditActor = JSON.parse('{"kind":null,"id":"usr_1","email":null}');

describe.each(DB_KINDS)('dashboard payment actions on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness(kind);
  });
  afterAll(async () => h.close());

  const entries = (resourceId: string) =>
    h.store.db.selectFrom('audit_log').selectAll().where('resource_id', '=', resourceId).execute();

  it('rolls a cancel back when its audit entry fails, and writes both when it does not', async () => {
    const id = await create(h, bodyOf(h, 'later'));
    await expect(cancelSession(h.ctx, h.merchant.id, id, 'DUPLICATED', unwritable)).rejects.toThrow(/actor_kind/);
    expect((await findSession(h.store.db, h.merchant.id, id))!.status).toBe('REQUIRE_PAYMENT_METHOD');
    expect(await h.store.db.selectFrom('callbacks').select('id').where('resource_id', '=', id).execute()).toEqual([]);
    await cancelPaymentBy(h.ctx, actor, h.merchant.id, id, 'DUPLICATED');
    expect((await findSession(h.store.db, h.merchant.id, id))!.status).toBe('CANCELLED');
    expect(await entries(id)).toMatchObject([{ action: 'payment.cancel', actor_email: actor.email }]);
  });

  it('rolls a refund back when its audit entry fails', async () => {
    const id = await create(h, bodyOf(h, 'va'));
    await pay(h, id);
    const request = { clientReferenceId: 'RF-ROLLBACK', isFullAmount: true, reason: 'OTHERS' as const };
    await expect(
      createRefund(
        h.ctx,
        h.merchant.id,
        { paymentSessionId: id, request },
        { key: 'dash-rollback', requestHash: hashRefundRequest(request) },
        unwritable,
      ),
    ).rejects.toThrow(/actor_kind/);
    const refunds = () => h.store.db.selectFrom('refunds').select('id').where('payment_session_id', '=', id).execute();
    expect(await refunds()).toEqual([]);
    const { refund } = await refundPaymentBy(h.ctx, actor, h.merchant.id, id, {
      clientReferenceId: 'RF-ROLLBACK',
      reason: 'OTHERS',
    });
    expect(await refunds()).toHaveLength(1);
    expect(await entries(refund.id)).toMatchObject([{ action: 'refund.create', actor_email: actor.email }]);
  });
});
