// `kasir` — operator commands against the database named by DATABASE_URL (same rules as the server):
// merchants, and a merchant's refunds (read through the same use cases as GET /v1/refunds).
import { parseArgs } from 'node:util';
import { Refusal } from '../domain/refusal.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { callbackUrlPort, openDatabase, type Store } from '../compose.ts';
import { refundObject, type RefundObject } from '../domain/refund-object.ts';
import { REFUND_STATUSES, type RefundStatus } from '../domain/statuses.ts';
import { staticRange, type VaRange } from '../domain/va-number.ts';
import { getRefund, listMerchantRefunds } from '../usecases/read-refunds.ts';
import {
  CallbackApiKeyError,
  CallbackUrlError,
  UnknownMerchantError,
  createMerchant,
  describeMerchant,
  rotateClientSecret,
  rotateWebhookSecret,
  setCallbackApiKey,
  setCallbackUrl,
} from '../usecases/merchants.ts';

const USAGE = `Usage:
  kasir merchant create --name NAME [--callback-url URL] [--json]
  kasir merchant show --id ID [--json]
  kasir merchant rotate-secret --id ID [--json]
  kasir merchant rotate-webhook-secret --id ID [--overlap 24h] [--json]
  kasir merchant set-callback-url --id ID --url URL
  kasir merchant set-callback-api-key --id ID [--key KEY] [--json]   (generated unless --key)
  kasir refunds list --merchant ID [--payment-session-id ID] [--client-reference-id REF]
                     [--status STATUS] [--page N] [--per-page N] [--json]
  kasir refunds get --merchant ID --refund ID [--json]

Environment: DATABASE_URL (unset → ./data/kasir.db; file:PATH; postgres://…), KASIR_ENV.`;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env?: Record<string, string | undefined>;
}

type Command = (args: string[], store: Store, io: CliIo, env: ReturnType<typeof loadConfig>) => Promise<number>;

const DURATION_UNITS_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "24h", "90m", "0s" → milliseconds; undefined when malformed. */
function parseDuration(raw: string): number | undefined {
  const [, count, unit] = /^(\d{1,6})(s|m|h|d)$/.exec(raw.trim()) ?? [];
  const unitMs = unit === undefined ? undefined : DURATION_UNITS_MS[unit];
  return unitMs === undefined ? undefined : Number(count) * unitMs;
}

/** A merchant's VA ranges as the CLI prints them: the prefix, and the numbers the merchant may ask for. */
function rangesForPrint(ranges: VaRange[]) {
  return ranges.map((r) => ({ channel: r.channel, prefix: r.prefix, staticRange: staticRange(r) }));
}

function rangeLines(ranges: VaRange[]): string[] {
  return [
    '  VA numbers: 16 digits behind the prefix. Ask for a fixed virtualAccountNumber inside the static range;',
    '  Kasir generates the others from the rest of the prefix.',
    ...rangesForPrint(ranges).map(
      (r) => `    ${r.channel.padEnd(8)} prefix ${r.prefix.padEnd(10)}  static ${r.staticRange.first}–${r.staticRange.last}`,
    ),
  ];
}

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

/** A page-size or page number option: a positive integer within `max`. */
function positive(raw: string | undefined, fallback: number, max: number): number | undefined {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  return /^[1-9]\d*$/.test(raw) && n <= max ? n : undefined;
}

const commands: Record<string, Command> = {
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
  'merchant show': async (args, store, io) => {
    const { values } = parseArgs({
      args,
      options: { id: { type: 'string' }, json: { type: 'boolean', default: false } },
      strict: true,
    });
    if (!values.id) {
      io.err('kasir: --id is required');
      return 2;
    }
    const described = await describeMerchant(store.db, values.id);
    const { merchant, vaRanges } = described;
    const result = {
      clientId: merchant.id,
      name: merchant.name,
      callbackUrl: merchant.callbackUrl,
      createdAt: merchant.createdAt.toISOString(),
      vaRanges: rangesForPrint(vaRanges),
    };
    if (values.json) io.out(JSON.stringify(result, null, 2));
    else {
      io.out(
        [
          `Merchant "${merchant.name}"`,
          `  Client ID (X-MERCHANT-ID): ${merchant.id}`,
          `  Callback URL:              ${merchant.callbackUrl ?? '(none)'}`,
          ...rangeLines(vaRanges),
        ].join('\n'),
      );
    }
    return 0;
  },
  'merchant rotate-secret': async (args, store, io) => {
    const { values } = parseArgs({
      args,
      options: { id: { type: 'string' }, json: { type: 'boolean', default: false } },
      strict: true,
    });
    if (!values.id) {
      io.err('kasir: --id is required');
      return 2;
    }
    const rotated = await rotateClientSecret(store.db, values.id);
    const result = { clientId: rotated.merchant.id, clientSecret: rotated.clientSecret };
    if (values.json) io.out(JSON.stringify(result, null, 2));
    else {
      io.out(
        [
          `Client secret of "${rotated.merchant.name}" rotated. It is shown once; only its hash is stored.`,
          `  Client secret (X-MERCHANT-SECRET): ${result.clientSecret}`,
          '  Access tokens issued under the previous secret no longer work.',
        ].join('\n'),
      );
    }
    return 0;
  },
  'merchant rotate-webhook-secret': async (args, store, io) => {
    const { values } = parseArgs({
      args,
      options: { id: { type: 'string' }, overlap: { type: 'string', default: '24h' }, json: { type: 'boolean', default: false } },
      strict: true,
    });
    if (!values.id) {
      io.err('kasir: --id is required');
      return 2;
    }
    const overlapMs = parseDuration(values.overlap ?? '24h');
    if (overlapMs === undefined) {
      io.err('kasir: --overlap must be a duration like 24h, 90m or 0s');
      return 2;
    }
    const merchant = await rotateWebhookSecret(store.db, values.id, overlapMs);
    const result = {
      clientId: merchant.id,
      webhookSecret: merchant.webhookSecret,
      previousWebhookSecretUntil: merchant.previousWebhookSecretUntil?.toISOString() ?? null,
    };
    if (values.json) io.out(JSON.stringify(result, null, 2));
    else {
      io.out(
        [
          `Webhook signing secret of "${merchant.name}" rotated.`,
          `  New webhook signing secret: ${result.webhookSecret}`,
          result.previousWebhookSecretUntil
            ? `  The previous secret also signs every callback until ${result.previousWebhookSecretUntil}.`
            : '  The previous secret no longer signs.',
        ].join('\n'),
      );
    }
    return 0;
  },
  'merchant set-callback-url': async (args, store, io, config) => {
    const { values } = parseArgs({ args, options: { id: { type: 'string' }, url: { type: 'string' } }, strict: true });
    if (!values.id || !values.url) {
      io.err('kasir: --id and --url are required');
      return 2;
    }
    try {
      await setCallbackUrl(store.db, values.id, values.url, callbackUrlPort(config));
    } catch (error) {
      if (error instanceof CallbackUrlError) {
        io.err(`kasir: ${error.message}`);
        return 2;
      }
      throw error;
    }
    io.out(`Callback URL of merchant ${values.id} set to ${values.url}`);
    return 0;
  },
  'merchant set-callback-api-key': async (args, store, io) => {
    const { values } = parseArgs({
      args,
      options: { id: { type: 'string' }, key: { type: 'string' }, json: { type: 'boolean', default: false } },
      strict: true,
    });
    if (!values.id) {
      io.err('kasir: --id is required');
      return 2;
    }
    let merchant;
    try {
      merchant = await setCallbackApiKey(store.db, values.id, values.key);
    } catch (error) {
      if (error instanceof CallbackApiKeyError) {
        io.err(`kasir: --key: ${error.message}`);
        return 2;
      }
      throw error;
    }
    if (values.json) io.out(JSON.stringify({ clientId: merchant.id, callbackApiKey: merchant.callbackApiKey }, null, 2));
    else io.out(`Callback API key (X-API-Key) of merchant ${merchant.id}: ${merchant.callbackApiKey}`);
    return 0;
  },
  'merchant create': async (args, store, io, config) => {
    const { values } = parseArgs({
      args,
      options: { name: { type: 'string' }, 'callback-url': { type: 'string' }, json: { type: 'boolean', default: false } },
      strict: true,
    });
    if (!values.name || values.name.trim() === '' || values.name.length > 255) {
      io.err('kasir: --name is required (1–255 characters)');
      return 2;
    }
    const callbackUrl = values['callback-url'];
    let created;
    try {
      created = await createMerchant(store.db, { name: values.name.trim(), callbackUrl }, new Date(), callbackUrlPort(config));
    } catch (error) {
      if (error instanceof CallbackUrlError) {
        io.err(`kasir: --callback-url: ${error.message}`);
        return 2;
      }
      throw error;
    }
    const { merchant, clientSecret, vaRanges } = created;
    const result = {
      clientId: merchant.id,
      clientSecret,
      callbackApiKey: merchant.callbackApiKey,
      webhookSecret: merchant.webhookSecret,
      callbackUrl: merchant.callbackUrl,
      vaRanges: rangesForPrint(vaRanges),
    };
    if (values.json) io.out(JSON.stringify(result, null, 2));
    else {
      io.out(
        [
          `Merchant "${merchant.name}" created. The client secret is shown once; only its hash is stored.`,
          `  Client ID (X-MERCHANT-ID):         ${result.clientId}`,
          `  Client secret (X-MERCHANT-SECRET): ${result.clientSecret}`,
          `  Callback API key (X-API-Key):      ${result.callbackApiKey}`,
          `  Webhook signing secret:            ${result.webhookSecret}`,
          ...rangeLines(vaRanges),
        ].join('\n'),
      );
    }
    return 0;
  },
};

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const key = argv.slice(0, 2).join(' ');
  const command = commands[key];
  if (!command) {
    io.err(USAGE);
    return argv.length === 0 || argv[0] === '--help' ? 0 : 2;
  }
  let config;
  try {
    config = loadConfig(io.env ?? process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`kasir: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const store = await openDatabase(config);
  try {
    return await command(argv.slice(2), store, io, config);
  } catch (error) {
    if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`kasir: ${error.message}\n${USAGE}`);
      return 2;
    }
    // Every command that names a merchant by --id answers an unknown one the same way.
    if (error instanceof UnknownMerchantError) {
      io.err(`kasir: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await store.close();
  }
}

/** Entry used by bin/kasir.js. */
export function main(argv = process.argv.slice(2)): void {
  runCli(argv, { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) }).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`kasir: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
