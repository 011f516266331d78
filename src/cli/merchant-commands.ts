// `kasir merchant …`: create a merchant, show it, rotate its credentials, set its callback URL and key.
import { parseArgs } from 'node:util';
import { callbackUrlPort } from '../compose.ts';
import {
  CallbackApiKeyError,
  CallbackUrlError,
  createMerchant,
  describeMerchant,
  rotateClientSecret,
  rotateWebhookSecret,
  setCallbackApiKey,
  setCallbackUrl,
} from '../usecases/merchants.ts';
import { parseDuration, rangeLines, rangesForPrint, type Command } from './common.ts';

export const merchantCommands: Record<string, Command> = {
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
