// Builds the Fastify app and mounts every adapter on it (compose.ts calls it for the process and the tests).
// Order: framework plugins (validation, OpenAPI), then error handling, then the merchant API with its
// callback routes, then the hosted payment page.
import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Config } from './config.ts';
import type { Context } from './usecases/context.ts';
import { frameworkError, registerErrorHandling, sendUnavailable } from './api/errors.ts';
import { accessTokenRoute, requireMerchant } from './api/auth.ts';
import { createPaymentRoute } from './api/payments/create.ts';
import { getPaymentRoute } from './api/payments/get.ts';
import { listPaymentsRoute } from './api/payments/list.ts';
import { confirmPaymentRoute } from './api/payments/confirm.ts';
import { cancelPaymentRoute } from './api/payments/cancel.ts';
import { simulatePaymentRoute } from './api/payments/simulate.ts';
import { paymentMethodConfigsRoute } from './api/payment-method-configs.ts';
import { listChargesRoute } from './api/charges/list.ts';
import { callbackRoutes } from './callbacks/routes.ts';
import { pagePlugin } from './page/plugin.ts';
import { checkReadiness } from './usecases/health.ts';
import { API_DESCRIPTION, API_TITLE, securitySchemes, sharedSchemas } from './contract/index.ts';
import { liveness, readiness } from './contract/probes.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export type AppSettings = Pick<Config, 'env' | 'publicUrl' | 'logLevel'> &
  Partial<Pick<Config, 'tokenRateLimitPerMinute' | 'pageRateLimits' | 'readyTimeoutMs'>> & {
    /** Seconds the payment page's status page waits before returning the shopper (tests shorten it). */
    statusRedirectSeconds?: number;
  };

export interface AppOptions {
  config: AppSettings;
  ctx: Context;
  logger?: FastifyServerOptions['logger'];
}

/** Bodies are validated strictly (no type coercion: "10000" is not an amount); query strings are coerced. */
function makeAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({ allErrors: true, coerceTypes: coerce, useDefaults: false, removeAdditional: false, strict: false });
  addFormats(ajv);
  return ajv;
}

const PROBES = new Set(['/healthz', '/readyz']);

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { ctx, config } = options;
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    // The request id is the error envelope's traceId, so a merchant's traceId finds the log line.
    // randomUUID draws from a buffered entropy pool; randomBytes(16) asked the OS on every request (4% of a
    // GET's CPU when profiled).
    genReqId: () => randomUUID().replaceAll('-', ''),
    logController: new LogController({ requestIdLogLabel: 'traceId', disableRequestLogging: (r) => PROBES.has(r.url) }),
    bodyLimit: 256 * 1024,
    return503OnClosing: true,
    frameworkErrors: frameworkError,
  });

  const bodyAjv = makeAjv(false);
  const otherAjv = makeAjv(true);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv.compile(schema) : otherAjv.compile(schema)));

  // The contract's named schemas, known to both validators, to the serialiser (Fastify passes its shared
  // schemas to fast-json-stringify) and to the OpenAPI document, where each becomes components.schemas[$id].
  for (const schema of sharedSchemas) {
    app.addSchema(schema);
    bodyAjv.addSchema(schema);
    otherAjv.addSchema(schema);
  }
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: API_TITLE,
        version: '0.1.0',
        description: API_DESCRIPTION,
        license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
      },
      servers: [{ url: config.publicUrl }],
      components: { securitySchemes },
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  registerErrorHandling(app);

  app.get('/healthz', { schema: liveness }, async () => ({ status: 'ok' as const }));
  app.withTypeProvider<TypeBoxTypeProvider>().get('/readyz', { schema: readiness }, async (request, reply) => {
    try {
      await checkReadiness(ctx, config.readyTimeoutMs ?? 1000);
    } catch (error) {
      // Whatever kept the database from answering, this instance should not get traffic now.
      return sendUnavailable(error, request, reply);
    }
    return { status: 'ok' as const };
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(async (publicApi) => {
    await accessTokenRoute(publicApi, ctx, config.tokenRateLimitPerMinute ?? 60);
  });
  await app.register(async (merchantApi) => {
    merchantApi.addHook('onRequest', requireMerchant(ctx));
    await createPaymentRoute(merchantApi, ctx);
    await listPaymentsRoute(merchantApi, ctx);
    await getPaymentRoute(merchantApi, ctx);
    await confirmPaymentRoute(merchantApi, ctx);
    await cancelPaymentRoute(merchantApi, ctx);
    await listChargesRoute(merchantApi, ctx);
    await paymentMethodConfigsRoute(merchantApi, ctx);
    if (config.env === 'sandbox') await simulatePaymentRoute(merchantApi, ctx);
    await callbackRoutes(merchantApi, ctx);
  });
  await app.register(
    pagePlugin(ctx, {
      env: config.env,
      publicUrl: config.publicUrl,
      statusRedirectSeconds: config.statusRedirectSeconds,
      limits: config.pageRateLimits,
    }),
  );
  return app;
}
