// GET /v2/charges: every charge of the merchant's sessions, newest first — the way through all of a
// MULTIPLE session's charges, of which GET and callbacks carry only the latest (CHARGE_WINDOW).
import { chargeObject } from '../domain/payment-session-object.ts';
import { listCharges } from '../store/charges.ts';
import type { Context } from './context.ts';
import { pagination, type PageRequest } from './pagination.ts';

export interface ChargeQuery extends PageRequest {
  clientReferenceId?: string;
  paymentSessionId?: string;
}

export async function listChargeObjects(ctx: Context, merchantId: string, query: ChargeQuery) {
  const { charges, total } = await listCharges(
    ctx.db,
    { merchantId, clientReferenceId: query.clientReferenceId, paymentSessionId: query.paymentSessionId },
    query.page,
    query.perPage,
  );
  return {
    charges: charges.map(({ charge, sessionId, clientReferenceId }) =>
      chargeObject({ id: sessionId, clientReferenceId }, charge),
    ),
    pagination: pagination(query, total),
  };
}
