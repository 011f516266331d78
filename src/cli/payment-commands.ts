// `kasir payments list|get` and `kasir simulate pay|fail|expire <id>`: a merchant's payment sessions on a
// running Kasir (or Pivot's sandbox), through @kasir/sdk.
import { Option, type Command } from 'commander';
import type { ListPaymentsQuery, PaymentSession } from '@kasir/sdk';
import { SESSION_STATUSES } from '../domain/statuses.ts';
import { EXIT, UsageError, pageOptions, printPage, withPageOptions, positive, type CliRun } from './common.ts';
import { kasirClient, withConnectionOptions, type ConnectionFlags } from './connection.ts';

interface ListOptions extends ConnectionFlags {
  page?: string;
  perPage?: string;
  clientReferenceId?: string;
  status?: PaymentSession['status'];
  json?: boolean;
}

/** One session per line: what someone watching a sandbox looks for first. */
function sessionLine(s: PaymentSession): string {
  return [
    s.id,
    s.status.padEnd(22),
    `${s.amount.value} ${s.amount.currency}`.padStart(14),
    (s.paymentMethod?.type ?? '-').padEnd(15),
    s.clientReferenceId,
    s.createdAt,
  ].join('  ');
}

function sessionText(s: PaymentSession): string {
  const charge = s.chargeDetails?.at(-1);
  return [
    `Payment ${s.id}: ${s.status}`,
    `  Amount:              ${s.amount.value} ${s.amount.currency}`,
    `  clientReferenceId:   ${s.clientReferenceId}`,
    `  Method:              ${s.paymentMethod?.type ?? '(not chosen yet)'}`,
    ...(charge ? [`  Latest charge:       ${charge.id} ${charge.status}`] : []),
    `  Payment URL:         ${s.paymentUrl ?? '-'}`,
    `  Created / expires:   ${s.createdAt} / ${s.expiryAt ?? '-'}`,
  ].join('\n');
}

const SIMULATIONS = {
  pay: { chargeStatus: 'SUCCESS', summary: "Pay a session's charge now (sandbox)" },
  fail: { chargeStatus: 'FAILED', summary: "Fail a session's charge now: the session is cancelled (sandbox, Kasir extension)" },
  expire: { chargeStatus: 'EXPIRED', summary: "Expire a session's charge now (sandbox)" },
} as const;

export function paymentCommands(program: Command, run: CliRun): void {
  const payments = program.command('payments').description("A merchant's payment sessions on a running Kasir");

  withPageOptions(withConnectionOptions(payments.command('list')), 'payment')
    .description('List payment sessions, newest first (GET /v2/payments)')
    .option('--client-reference-id <ref>', "only the sessions with the merchant's reference")
    .addOption(new Option('--status <status>', 'only sessions in this status').choices(SESSION_STATUSES))
    .action(
      run.action(async (options: ListOptions) => {
        const { page, perPage } = pageOptions(options);
        const { kasir } = kasirClient(run, options);
        const query: ListPaymentsQuery = {
          page,
          perPage,
          clientReferenceId: options.clientReferenceId,
          status: options.status,
        };
        const result = await kasir.payments.list(query);
        printPage(run, options.json, result, 'payment', sessionLine);
        return EXIT.ok;
      }),
    );

  withConnectionOptions(payments.command('get').argument('<id>', 'payment session id'))
    .description('Print one payment session as it stands now (GET /v2/payments/{id})')
    .option('--json', 'print the Payment Session Object')
    .action(
      run.action(async (id: string, options: ConnectionFlags & { json?: boolean }) => {
        const { kasir } = kasirClient(run, options);
        const session = await kasir.payments.get(id);
        run.print(options.json, session, () => sessionText(session));
        return EXIT.ok;
      }),
    );

  const simulate = program
    .command('simulate')
    .description('Settle a sandbox session now, as the bank or wallet would (POST /v2/payments/simulations)');
  for (const [name, { chargeStatus, summary }] of Object.entries(SIMULATIONS)) {
    const command = withConnectionOptions(simulate.command(name).argument('<id>', 'payment session id')).description(summary);
    if (name === 'pay') command.option('--amount <rupiah>', 'the amount paid (a MULTIPLE session with an open amount)');
    command.option('--json', 'print the session as it stands after').action(
      run.action(async (id: string, options: ConnectionFlags & { amount?: string; json?: boolean }) => {
        const amount = options.amount === undefined ? undefined : positive(options.amount, 0, 999_999_999_999_999);
        if (amount === undefined && options.amount !== undefined)
          throw new UsageError('--amount must be a positive whole number of rupiah');
        const { kasir } = kasirClient(run, options);
        await kasir.payments.simulate({
          paymentSessionId: id,
          chargeStatus,
          ...(amount !== undefined && { amount: { value: amount, currency: 'IDR' } }),
        });
        const session = await kasir.payments.get(id);
        run.print(options.json, session, () => `Payment ${session.id}: ${session.status}`);
        return EXIT.ok;
      }),
    );
  }
}
