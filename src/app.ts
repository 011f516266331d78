// Builds the Fastify app and mounts every adapter on it (compose.ts calls it for the process and the tests).
// Order: framework plugins (validation, OpenAPI), then error handling, then the merchant API with its
// callback routes, then the hosted payment page, then the merchant dashboard (unless KASIR_DASHBOARD=false).
import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { HTTP_TIMEOUT_DEFAULTS, defaultMaxConnections, type HttpLimits } from './config-http.ts';
import { DASHBOARD_DEFAULTS, type Config } from './config.ts';
import type { Context } from './usecases/context.ts';
import { frameworkError, refuseWhileDraining, registerErrorHandling, sendUnavailable } from './api/errors.ts';
import { accessTokenRoute, requireMerchant } from './api/auth.ts';
import { refuseNulCharacters } from './api/nul-guard.ts';
import { SchemaCompilers } from './api/schema-compilers.ts';
import { createPaymentRoute } from './api/payments/create.ts';
import { getPaymentRoute } from './api/payments/get.ts';
import { listPaymentsRoute } from './api/payments/list.ts';
import { confirmPaymentRoute } from './api/payments/confirm.ts';
import { cancelPaymentRoute } from './api/payments/cancel.ts';
import { capturePaymentRoute } from './api/payments/capture.ts';
import { customerRoute } from './api/customers.ts';
import { simulatePaymentRoute } from './api/payments/simulate.ts';
import { paymentMethodConfigsRoute } from './api/payment-method-configs.ts';
import { listChargesRoute } from './api/charges/list.ts';
import { createRefundRoute } from './api/refunds/create.ts';
import { getRefundRoute } from './api/refunds/get.ts';
import { listRefundsRoute } from './api/refunds/list.ts';
import { simulateRefundRoute } from './api/refunds/simulate.ts';
import { callbackRoutes } from './callbacks/routes.ts';
import { eventStreamRoute } from './api/events.ts';
import { pagePlugin } from './page/plugin.ts';
import { dashboardPlugin } from './dashboard/plugin.ts';
import { callbackUrlCheck } from './callbacks/url-policy.ts';
import { registerDocs } from './api/docs.ts';
import { checkReadiness, outboxBacklog } from './usecases/health.ts';
import { KasirMetrics } from './metrics/metrics.ts';
import { safeEqual } from './security/secrets.ts';
import { API_DESCRIPTION, API_TITLE, decorateDocument, securitySchemes, sharedSchemas } from './contract/index.ts';
import { liveness, readiness } from './contract/probes.ts';
import { REDACTED, REDACT_PATHS, redactedRequest } from './security/log-redaction.ts';

// ajv-formats is CommonJS: under Node's ESM the default import is its module.exports, whose `default` is the plugin.
const addFormats = addFormatsModule.default;

declare module 'fastify' {
  interface FastifyInstance {
    /** The routes' validators and serializers, compiled when first used; compileAll() compiles the rest now. */
    schemaCompilers: SchemaCompilers;
  }
}

export type AppSettings = Pick<Config, 'env' | 'publicUrl' | 'logLevel'> &
  Partial<
    Pick<
      Config,
      | 'tokenRateLimitPerMinute'
      | 'tokenRateLimitPerMerchantPerMinute'
      | 'pageRateLimits'
      | 'readyTimeoutMs'
      | 'metricsToken'
      | 'http'
      | 'trustProxy'
      | 'dashboard'
      | 'allowPrivateCallbackUrls'
    >
  > & {
    /** Seconds the payment page's status page waits before returning the shopper (tests shorten it). */
    statusRedirectSeconds?: number;
  };

export interface AppOptions {
  config: AppSettings;
  ctx: Context;
  /** false: no logging (tests); an object: where and how to log (e.g. a stream). Redaction always applies. */
  logger?: false | Exclude<FastifyServerOptions['logger'], boolean | undefined>;
  /** Shared with the callback dispatcher by the composition root; an app built alone gets its own. */
  metrics?: KasirMetrics;
}

/** The process's defaults, for an app built without them (as the test harness builds it). */
const DEFAULT_HTTP_LIMITS: HttpLimits = { ...HTTP_TIMEOUT_DEFAULTS, maxConnections: defaultMaxConnections(undefined) };

function loggerOptions(config: AppSettings, given: AppOptions['logger']): FastifyServerOptions['logger'] {
  if (given === false) return false;
  return {
    level: config.logLevel,
    ...given,
    serializers: { ...given?.serializers, req: redactedRequest },
    redact: { paths: REDACT_PATHS, censor: REDACTED },
  };
}

/**
 * Node enforces the header and request timeouts by sweeping its connections every
 * connectionsCheckingInterval (30 s by default), which would let a slow client outlive a short timeout
 * by that much; sweep a few times per timeout instead, at most once a second.
 */
function connectionsCheckingInterval(limits: HttpLimits): number {
  return Math.max(25, Math.min(1000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4)));
}

/** Bodies are validated strictly (no type coercion: "10000" is not an amount); query strings are coerced. */
function makeAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({ allErrors: true, coerceTypes: coerce, useDefaults: false, removeAdditional: false, strict: false });
  addFormats(ajv);
  return ajv;
}

const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { ctx, config } = options;
  const limits = config.http ?? DEFAULT_HTTP_LIMITS;
  // Validators and serializers are compiled on each route's first use (api/schema-compilers.ts).
  const compilers = new SchemaCompilers();
  const app = Fastify({
    logger: loggerOptions(config, options.logger),
    connectionTimeout: limits.idleTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: connectionsCheckingInterval(limits),
    },
    trustProxy: config.trustProxy || false,
    // The request id is the error envelope's traceId, so a merchant's traceId finds the log line.
    // randomUUID draws from a buffered entropy pool; randomBytes(16) asked the OS on every request (4% of a
    // GET's CPU when profiled).
    genReqId: () => randomUUID().replaceAll('-', ''),
    logController: new LogController({ requestIdLogLabel: 'traceId', disableRequestLogging: (r) => PROBES.has(r.url) }),
    bodyLimit: 256 * 1024,
    // Refused by refuseWhileDraining instead, in Pivot's envelope (Fastify's own body is not).
    return503OnClosing: false,
    frameworkErrors: frameworkError,
    schemaController: { compilersFactory: { buildSerializer: compilers.serializers() } },
  });
  app.decorate('schemaCompilers', compilers);
  // Beyond this, Node closes a new connection on arrival: a flood of open sockets costs the flooder, not the
  // file handles the database and callbacks need.
  app.server.maxConnections = limits.maxConnections;

  const bodyAjv = makeAjv(false);
  const otherAjv = makeAjv(true);
  app.setValidatorCompiler(compilers.validators((httpPart) => (httpPart === 'body' ? bodyAjv : otherAjv)));

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
    // The introduction, callback events and every operation's examples (src/contract/reference.ts).
    transformObject: (built) => {
      if (!('openapiObject' in built)) return built.swaggerObject;
      decorateDocument(built.openapiObject);
      return built.openapiObject;
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  });
  await registerDocs(app, { publicUrl: config.publicUrl });

  registerErrorHandling(app);
  refuseWhileDraining(app);
  // Before any route's validation: NUL reaches no handler and no database (PostgreSQL text refuses it).
  app.addHook('preValidation', refuseNulCharacters);

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

  const metrics = options.metrics ?? new KasirMetrics({ backlog: () => outboxBacklog(ctx) });
  app.addHook('onResponse', (request, reply, done) => {
    // The route's pattern (/v2/payments/:id), never the URL: ids would make a series per session.
    metrics.request(request.routeOptions.url ?? 'unmatched', request.method, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (config.metricsToken !== undefined) {
      const given = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
      if (!safeEqual(given, config.metricsToken))
        return reply.code(401).header('www-authenticate', 'Bearer').send('unauthorized\n');
    }
    return reply.type(metrics.contentType).send(await metrics.text());
  });

  await app.register(async (publicApi) => {
    await accessTokenRoute(publicApi, ctx, {
      perAddressPerMinute: config.tokenRateLimitPerMinute ?? 60,
      perMerchantPerMinute: config.tokenRateLimitPerMerchantPerMinute ?? 30,
    });
  });
  await app.register(async (merchantApi) => {
    merchantApi.addHook('onRequest', requireMerchant(ctx));
    await createPaymentRoute(merchantApi, ctx);
    await listPaymentsRoute(merchantApi, ctx);
    await getPaymentRoute(merchantApi, ctx);
    await confirmPaymentRoute(merchantApi, ctx);
    await cancelPaymentRoute(merchantApi, ctx);
    await capturePaymentRoute(merchantApi, ctx);
    await customerRoute(merchantApi, ctx);
    await listChargesRoute(merchantApi, ctx);
    await paymentMethodConfigsRoute(merchantApi, ctx);
    if (config.env === 'sandbox') await simulatePaymentRoute(merchantApi, ctx);
    await createRefundRoute(merchantApi, ctx);
    await listRefundsRoute(merchantApi, ctx);
    await getRefundRoute(merchantApi, ctx);
    if (config.env === 'sandbox') await simulateRefundRoute(merchantApi, ctx);
    await callbackRoutes(merchantApi, ctx);
    await eventStreamRoute(merchantApi, ctx);
  });
  await app.register(
    pagePlugin(ctx, {
      env: config.env,
      publicUrl: config.publicUrl,
      statusRedirectSeconds: config.statusRedirectSeconds,
      limits: config.pageRateLimits,
    }),
  );
  const dashboard = config.dashboard ?? DASHBOARD_DEFAULTS;
  if (dashboard.enabled) {
    await app.register(
      dashboardPlugin(ctx, {
        env: config.env,
        publicUrl: config.publicUrl,
        settings: dashboard,
        callbackUrlCheck: callbackUrlCheck({ env: config.env, allowPrivate: config.allowPrivateCallbackUrls ?? false }),
      }),
      { prefix: '/dashboard' },
    );
  }
  return app;
}
