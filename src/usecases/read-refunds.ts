// GET /v1/refunds and /v1/refunds/{id}, and the CLI's refund listing: a merchant's own refunds only.
import type { RefundStatus } from '../domain/statuses.ts';
import type { Refund } from '../domain/refund.ts';
import { findRefund, listRefunds } from '../store/refunds.ts';
import type { Database } from '../store/schema.ts';
import { pagination, type PageRequest } from './pagination.ts';
import { refundNotFound } from './refund-persist.ts';

/** What the reads need: the database only (the CLI has no clock or token key to offer). */
export interface RefundReader {
  db: Database;
}

export async function getRefund(ctx: RefundReader, merchantId: string, id: string): Promise<Refund> {
  const refund = await findRefund(ctx.db, merchantId, id);
  if (!refund) throw refundNotFound(id);
  return refund;
}

export interface RefundQuery extends PageRequest {
  paymentSessionId?: string;
  clientReferenceId?: string;
  status?: RefundStatus;
}

export async function listMerchantRefunds(ctx: RefundReader, merchantId: string, query: RefundQuery) {
  const { refunds, total } = await listRefunds(
    ctx.db,
    {
      merchantId,
      paymentSessionId: query.paymentSessionId,
      clientReferenceId: query.clientReferenceId,
      status: query.status,
    },
    query.page,
    query.perPage,
  );
  return { refunds, pagination: pagination(query, total) };
}
