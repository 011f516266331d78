// `kasir refunds list|get`: a merchant's refunds on a running Kasir, through @kasir/sdk (GET /v1/refunds).
import { Option, type Command } from 'commander';
import type { ListRefundsQuery, Refund } from '@kasir/sdk';
import { REFUND_STATUSES } from '../domain/statuses.ts';
import { EXIT, pageOptions, printPage, withPageOptions, type CliRun } from './common.ts';
import { kasirClient, withConnectionOptions, type ConnectionFlags } from './connection.ts';

interface ListOptions extends ConnectionFlags {
  page?: string;
  perPage?: string;
  paymentSessionId?: string;
  clientReferenceId?: string;
  status?: Refund['status'];
  json?: boolean;
}

/** One refund per line: what an operator looks for first. */
function refundLine(r: Refund): string {
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

function refundText(refund: Refund): string {
  return [
    `Refund ${refund.id}: ${refund.status}${refund.destinationType ? ` (${refund.destinationType})` : ''}`,
    `  Amount:              ${refund.amount.value} ${refund.amount.currency} of ${refund.capturedAmount.value} paid${refund.isFullAmount ? ' (what remained)' : ''}`,
    `  Payment session:     ${refund.paymentSessionId}`,
    `  Charge:              ${refund.chargeId}`,
    `  clientReferenceId:   ${refund.clientReferenceId}`,
    `  Reason:              ${refund.reason}${refund.description ? ` — ${refund.description}` : ''}`,
    `  Method:              ${refund.method}`,
    ...(refund.failureCode ? [`  Failure:             ${refund.failureCode}: ${refund.failureMessage ?? ''}`] : []),
    `  Created / updated:   ${refund.createdAt} / ${refund.updatedAt}`,
  ].join('\n');
}

export function refundCommands(program: Command, run: CliRun): void {
  const refunds = program.command('refunds').description("A merchant's refunds on a running Kasir");

  withPageOptions(withConnectionOptions(refunds.command('list')), 'refund')
    .description('List refunds, newest first (GET /v1/refunds)')
    .option('--payment-session-id <id>', "only this session's refunds")
    .option('--client-reference-id <ref>', "only the refunds with the merchant's reference")
    .addOption(new Option('--status <status>', 'only refunds in this status').choices(REFUND_STATUSES))
    .action(
      run.action(async (options: ListOptions) => {
        const { page, perPage } = pageOptions(options);
        const { kasir } = kasirClient(run, options);
        const query: ListRefundsQuery = {
          page,
          perPage,
          paymentSessionId: options.paymentSessionId,
          clientReferenceId: options.clientReferenceId,
          status: options.status,
        };
        const result = await kasir.refunds.list(query);
        printPage(run, options.json, result, 'refund', refundLine);
        return EXIT.ok;
      }),
    );

  withConnectionOptions(refunds.command('get').argument('<id>', 'refund id'))
    .description('Print one refund as it stands now (GET /v1/refunds/{id})')
    .option('--json', 'print the Refund Object')
    .action(
      run.action(async (id: string, options: ConnectionFlags & { json?: boolean }) => {
        const { kasir } = kasirClient(run, options);
        const refund = await kasir.refunds.get(id);
        run.print(options.json, refund, () => refundText(refund));
        return EXIT.ok;
      }),
    );
}
