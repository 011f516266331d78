// A merchant's charges read on their own, wherever they sit in their session's history (GET /v2/charges,
// a refund's charge), and a charge's refund totals. A session's own charges are written with it (sessions.ts).
import type { Charge } from '../domain/session.ts';
import { chargeRefundColumns, rowToCharge } from './codec.ts';
import type { Database } from './schema.ts';
import { unmatchable } from './unmatchable.ts';

export interface ChargeFilter {
  merchantId: string;
  clientReferenceId?: string;
  paymentSessionId?: string;
}

/** A merchant's charges, newest first, each with the session identity its wire object names. */
export async function listCharges(
  db: Database,
  filter: ChargeFilter,
  page: number,
  perPage: number,
): Promise<{ charges: Array<{ charge: Charge; sessionId: string; clientReferenceId: string }>; total: number }> {
  if (unmatchable(filter.clientReferenceId) || unmatchable(filter.paymentSessionId)) return { charges: [], total: 0 };
  let query = db.selectFrom('charges').where('merchant_id', '=', filter.merchantId);
  if (filter.clientReferenceId !== undefined) query = query.where('client_reference_id', '=', filter.clientReferenceId);
  if (filter.paymentSessionId !== undefined) query = query.where('session_id', '=', filter.paymentSessionId);
  const counted = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  // A session's charges are numbered as they were made, so its newest first is highest seq first: the
  // (session_id, seq) index answers without reading through the merchant's other charges.
  const ordered =
    filter.paymentSessionId !== undefined
      ? query.selectAll().orderBy('seq', 'desc')
      : query.selectAll().orderBy('created_at', 'desc').orderBy('seq', 'desc').orderBy('id', 'desc');
  const rows = await ordered
    .limit(perPage)
    .offset((page - 1) * perPage)
    .execute();
  return {
    charges: rows.map((r) => ({ charge: rowToCharge(r), sessionId: r.session_id, clientReferenceId: r.client_reference_id })),
    total: Number(counted.total),
  };
}

/** One of the merchant's charges, wherever it sits in its session's history, with the session it belongs to. */
export async function findCharge(
  db: Database,
  merchantId: string,
  chargeId: string,
): Promise<{ charge: Charge; sessionId: string } | undefined> {
  if (unmatchable(chargeId)) return undefined;
  const row = await db
    .selectFrom('charges')
    .selectAll()
    .where('id', '=', chargeId)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
  return row && { charge: rowToCharge(row), sessionId: row.session_id };
}

/** A charge's refund totals, written by a refund's change under the session's version (compareAndSet first). */
export async function setChargeRefunds(db: Database, charge: Charge): Promise<void> {
  await db.updateTable('charges').set(chargeRefundColumns(charge)).where('id', '=', charge.id).execute();
}
