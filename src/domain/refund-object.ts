// Pivot's Refund Object (pivot-api §5.10): what create, GET, lists and REFUND.* callbacks carry. Amounts are
// written as Pivot's refund pages write them, decimal strings ("10000"); timestamps ISO-8601 UTC.
import type { Refund } from './refund.ts';
import type { Money } from './session.ts';

const amountText = (money: Money) => ({ value: String(money.value), currency: money.currency });

export function refundObject(refund: Refund) {
  return {
    id: refund.id,
    clientReferenceId: refund.clientReferenceId,
    paymentSessionId: refund.paymentSessionId,
    chargeId: refund.chargeId,
    isFullAmount: refund.isFullAmount,
    amount: amountText(refund.amount),
    capturedAmount: amountText(refund.capturedAmount),
    reason: refund.reason,
    description: refund.description ?? null,
    method: refund.method,
    transferDestination: refund.transferDestination ?? null,
    status: refund.status,
    destinationType: refund.destinationType,
    ...(refund.failureCode !== undefined && { failureCode: refund.failureCode, failureMessage: refund.failureMessage ?? null }),
    metadata: refund.metadata ?? null,
    createdAt: refund.createdAt.toISOString(),
    updatedAt: refund.updatedAt.toISOString(),
  };
}

export type RefundObject = ReturnType<typeof refundObject>;
