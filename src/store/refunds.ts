// Refunds: the insert, the compare-and-set every refund change goes through, and the reads (one refund, a
// merchant's page of them, the sandbox's due ones).
import type { Refund } from '../domain/refund.ts';
import type { RefundStatus } from '../domain/statuses.ts';
import { refundChanges, refundToRow, rowToRefund } from './codec.ts';
import type { Database } from './schema.ts';
import { unmatchable } from './unmatchable.ts';

export async function insertRefund(db: Database, refund: Refund): Promise<void> {
  await db.insertInto('refunds').values(refundToRow(refund)).execute();
}

/** Writes `next` only if the row is still at the version and status `previous` was read at. */
export async function compareAndSetRefund(db: Database, previous: Refund, next: Refund): Promise<boolean> {
  const won = await db
    .updateTable('refunds')
    .set(refundChanges(next))
    .where('id', '=', previous.id)
    .where('version', '=', previous.version)
    .where('status', '=', previous.status)
    .returning('id')
    .execute();
  return won.length === 1;
}

export async function findRefund(db: Database, merchantId: string, id: string): Promise<Refund | undefined> {
  if (unmatchable(id)) return undefined;
  const row = await db
    .selectFrom('refunds')
    .selectAll()
    .where('id', '=', id)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
  return row && rowToRefund(row);
}

export interface RefundFilter {
  merchantId: string;
  paymentSessionId?: string;
  clientReferenceId?: string;
  status?: RefundStatus;
}

/** Newest first; each filter has its index (migration 0007), the reference's is unique. */
export async function listRefunds(
  db: Database,
  filter: RefundFilter,
  page: number,
  perPage: number,
): Promise<{ refunds: Refund[]; total: number }> {
  if (unmatchable(filter.paymentSessionId) || unmatchable(filter.clientReferenceId)) return { refunds: [], total: 0 };
  let query = db.selectFrom('refunds').where('merchant_id', '=', filter.merchantId);
  if (filter.paymentSessionId !== undefined) query = query.where('payment_session_id', '=', filter.paymentSessionId);
  if (filter.clientReferenceId !== undefined) query = query.where('client_reference_id', '=', filter.clientReferenceId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  const counted = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await query
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(perPage)
    .offset((page - 1) * perPage)
    .execute();
  return { refunds: rows.map(rowToRefund), total: Number(counted.total) };
}

/**
 * Sandbox refunds due to move on, the longest-waiting first, with their merchant. Each is then changed in
 * its own transaction; the compare-and-set settles a race with another instance's sweeper.
 */
export async function findDueRefunds(db: Database, now: Date, limit: number): Promise<Array<{ id: string; merchantId: string }>> {
  const due = db
    .selectFrom('refunds')
    .select(['id', 'merchant_id'])
    .where('next_step_at', 'is not', null)
    .where('next_step_at', '<=', now.getTime())
    .orderBy('next_step_at')
    .limit(limit);
  const rows = await due.execute();
  return rows.map((r) => ({ id: r.id, merchantId: r.merchant_id }));
}
