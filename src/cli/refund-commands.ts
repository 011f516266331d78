// `kasir refunds list|get`: a merchant's refunds, read through the same use cases as GET /v1/refunds.
import { parseArgs } from 'node:util';
import { Refusal } from '../domain/refusal.ts';
import { refundObject, type RefundObject } from '../domain/refund-object.ts';
import { REFUND_STATUSES, type RefundStatus } from '../domain/statuses.ts';
import { getRefund, listMerchantRefunds } from '../usecases/read-refunds.ts';
import { describeMerchant } from '../usecases/merchants.ts';
import { positive, type Command } from './common.ts';

/** One refund per line: what an operator looks for first. */
function refundLine(r: RefundObject): string {
  return [
    r.id,
    r.status.padEnd(21),
    `${r.amount.value} ${r.amount.currency}`.padStart(16),
    (r.destinationType ?? '-').padEnd(7),
    r.paymentSessionId,
    r.clientReferenceId,
    r.createdAt,
  ].join('  ');
}

export const refundCommands: Record<string, Command> = {
  'refunds list': async (args, store, io) => {
    const { values } = parseArgs({
      args,
      options: {
        merchant: { type: 'string' },
        'payment-session-id': { type: 'string' },
        'client-reference-id': { type: 'string' },
        status: { type: 'string' },
        page: { type: 'string' },
        'per-page': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
    });
    if (!values.merchant) {
      io.err('kasir: --merchant is required');
      return 2;
    }
    const status = values.status;
    if (status !== undefined && !(REFUND_STATUSES as readonly string[]).includes(status)) {
      io.err(`kasir: --status must be one of ${REFUND_STATUSES.join(', ')}`);
      return 2;
    }
    const page = positive(values.page, 1, 1_000_000);
    const perPage = positive(values['per-page'], 20, 100);
    if (page === undefined || perPage === undefined) {
      io.err('kasir: --page must be a positive integer and --per-page one from 1 to 100');
      return 2;
    }
    await describeMerchant(store.db, values.merchant);
    const result = await listMerchantRefunds(store, values.merchant, {
      page,
      perPage,
      paymentSessionId: values['payment-session-id'],
      clientReferenceId: values['client-reference-id'],
      status: status as RefundStatus | undefined,
    });
    const data = result.refunds.map(refundObject);
    if (values.json) io.out(JSON.stringify({ data, pagination: result.pagination }, null, 2));
    else {
      const { totalItems, totalPages } = result.pagination;
      io.out(
        [
          ...data.map(refundLine),
          `${totalItems} refund${totalItems === 1 ? '' : 's'}; page ${page} of ${Math.max(totalPages, 1)}`,
        ].join('\n'),
      );
    }
    return 0;
  },
  'refunds get': async (args, store, io) => {
    const { values } = parseArgs({
      args,
      options: { merchant: { type: 'string' }, refund: { type: 'string' }, json: { type: 'boolean', default: false } },
      strict: true,
    });
    if (!values.merchant || !values.refund) {
      io.err('kasir: --merchant and --refund are required');
      return 2;
    }
    await describeMerchant(store.db, values.merchant);
    let refund;
    try {
      refund = refundObject(await getRefund(store, values.merchant, values.refund));
    } catch (error) {
      if (error instanceof Refusal && error.kind === 'not_found') {
        io.err(`kasir: ${error.message}`);
        return 1;
      }
      throw error;
    }
    if (values.json) io.out(JSON.stringify(refund, null, 2));
    else {
      io.out(
        [
          `Refund ${refund.id}: ${refund.status}${refund.destinationType ? ` (${refund.destinationType})` : ''}`,
          `  Amount:              ${refund.amount.value} ${refund.amount.currency} of ${refund.capturedAmount.value} paid${refund.isFullAmount ? ' (what remained)' : ''}`,
          `  Payment session:     ${refund.paymentSessionId}`,
          `  Charge:              ${refund.chargeId}`,
          `  clientReferenceId:   ${refund.clientReferenceId}`,
          `  Reason:              ${refund.reason}${refund.description ? ` — ${refund.description}` : ''}`,
          `  Method:              ${refund.method}`,
          ...(refund.failureCode ? [`  Failure:             ${refund.failureCode}: ${refund.failureMessage ?? ''}`] : []),
          `  Created / updated:   ${refund.createdAt} / ${refund.updatedAt}`,
        ].join('\n'),
      );
    }
    return 0;
  },
};
