// POST /v1/refunds — refund a paid payment in full or in part (pivot-api §5.10). Idempotent on X-REQUEST-ID
// for 24 h, like POST /v2/payments. The amount's text becomes an integer here, at the edge.
import { apiActor } from '../../usecases/audit-log.ts';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { CreateRefundBody } from '../../contract/refunds.ts';
import { createRefund as createRefundOperation } from '../../contract/operations.ts';
import type { RefundRequest } from '../../domain/refund.ts';
import { Refusal } from '../../domain/refusal.ts';
import type { Money } from '../../domain/session.ts';
import type { Context } from '../../usecases/context.ts';
import { createRefund, hashRefundRequest } from '../../usecases/create-refund.ts';
import { refuseTooDeep } from '../body-depth.ts';

/** Largest amount any payment can carry (AmountInput's maximum): 15 digits, exact in a double. */
const MAX_AMOUNT = 999_999_999_999_999;

/** "10000", "10000.00" or 10000 → 10000; anything fractional, signed, empty or not a number is refused. */
export function wholeRupiah(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 1 && value <= MAX_AMOUNT ? value : undefined;
  const match = /^([0-9]{1,15})(?:\.0+)?$/.exec(value);
  const parsed = match?.[1] === undefined ? undefined : Number(match[1]);
  return parsed !== undefined && parsed >= 1 && parsed <= MAX_AMOUNT ? parsed : undefined;
}

function toRefundRequest(body: CreateRefundBody): RefundRequest {
  const isFullAmount = body.isFullAmount ?? false;
  let amount: Money | undefined;
  if (body.amount) {
    if (isFullAmount) {
      throw Refusal.field('amount', 'amount must be left out when isFullAmount is true: the refund is what remains');
    }
    const value = wholeRupiah(body.amount.value);
    if (value === undefined) {
      throw Refusal.field(
        'amount.value',
        'amount.value must be a whole, positive number of rupiah, e.g. "10000" (IDR has no decimals)',
      );
    }
    amount = { value, currency: body.amount.currency };
  }
  return {
    clientReferenceId: body.clientReferenceId,
    isFullAmount,
    ...(amount && { amount }),
    reason: body.reason,
    ...(body.description !== undefined && { description: body.description }),
    ...(body.method !== undefined && { method: body.method }),
    ...(body.transferDestination !== undefined && { transferDestination: body.transferDestination }),
    ...(body.metadata !== undefined && { metadata: body.metadata }),
  };
}

export async function createRefundRoute(app: FastifyInstance, ctx: Context) {
  app.withTypeProvider<TypeBoxTypeProvider>().post('/v1/refunds', { schema: createRefundOperation }, async (request) => {
    const body = request.body;
    refuseTooDeep(body);
    const result = await createRefund(
      ctx,
      request.merchant.id,
      { paymentSessionId: body.paymentSessionId, chargeId: body.chargeId, request: toRefundRequest(body) },
      { key: request.headers['x-request-id'], requestHash: hashRefundRequest(body) },
      apiActor(request.merchant.id),
    );
    return { code: '00' as const, message: 'Success', data: result.body };
  });
}
