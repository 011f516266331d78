// `kasir callbacks list|resend`: the callbacks Kasir sent a merchant, with every attempt, and sending one
// again (Kasir extensions GET /v2/callbacks, POST /v2/callbacks/{id}/resend), through @kasir/sdk.
import { Option, type Command } from 'commander';
import type { Callback, ListCallbacksQuery } from '@kasir/sdk';
import { CALLBACK_EVENTS } from '../domain/statuses.ts';
import { CALLBACK_DELIVERY_STATUSES } from '../contract/callbacks.ts';
import { EXIT, pageOptions, printPage, withPageOptions, type CliRun } from './common.ts';
import { kasirClient, withConnectionOptions, type ConnectionFlags } from './connection.ts';

interface ListOptions extends ConnectionFlags {
  page?: string;
  perPage?: string;
  paymentSessionId?: string;
  refundId?: string;
  event?: Callback['event'];
  status?: Callback['status'];
  json?: boolean;
}

/** The last attempt's outcome: its HTTP status, or the error when no answer came. */
function lastAttempt(c: Callback): string {
  const last = c.attempts.at(-1);
  if (!last) return 'not tried yet';
  return last.httpStatus === null ? `no answer: ${last.error ?? 'unknown'}` : `HTTP ${last.httpStatus} in ${last.latencyMs} ms`;
}

function callbackLine(c: Callback): string {
  return [
    c.id,
    c.event.padEnd(27),
    c.status.padEnd(10),
    `${c.attempts.length} attempt(s)`.padEnd(12),
    c.resourceId,
    c.createdAt,
    lastAttempt(c),
  ].join('  ');
}

export function callbackCommands(program: Command, run: CliRun): void {
  const callbacks = program.command('callbacks').description('The callbacks Kasir sent a merchant (Kasir extension)');

  withPageOptions(withConnectionOptions(callbacks.command('list')), 'callback')
    .description('List callbacks with their delivery attempts, newest first (GET /v2/callbacks)')
    .option('--payment-session-id <id>', "only this session's callbacks")
    .option('--refund-id <id>', "only this refund's callbacks")
    .addOption(new Option('--event <event>', 'only this event').choices(CALLBACK_EVENTS))
    .addOption(new Option('--status <status>', 'only callbacks in this delivery state').choices(CALLBACK_DELIVERY_STATUSES))
    .action(
      run.action(async (options: ListOptions) => {
        const { page, perPage } = pageOptions(options);
        const { kasir } = kasirClient(run, options);
        const query: ListCallbacksQuery = {
          page,
          perPage,
          paymentSessionId: options.paymentSessionId,
          refundId: options.refundId,
          event: options.event,
          status: options.status,
        };
        const result = await kasir.callbacks.list(query);
        printPage(run, options.json, result, 'callback', callbackLine);
        return EXIT.ok;
      }),
    );

  withConnectionOptions(callbacks.command('resend').argument('<id>', 'callback id (the webhook-id)'))
    .description('Send a callback again now, with a fresh retry cycle (POST /v2/callbacks/{id}/resend)')
    .option('--json', 'print the callback')
    .action(
      run.action(async (id: string, options: ConnectionFlags & { json?: boolean }) => {
        const { kasir } = kasirClient(run, options);
        const callback = await kasir.callbacks.resend(id);
        run.print(
          options.json,
          callback,
          () => `Callback ${callback.id} (${callback.event}) is due again now: ${callback.status}`,
        );
        return EXIT.ok;
      }),
    );
}
