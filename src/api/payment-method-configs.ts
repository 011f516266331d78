// GET /v2/payment-method-configs — which methods and channels are enabled, their limits (pivot-api §5.1).
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { METHOD_LIMITS, type MethodLimits } from '../domain/payment-methods.ts';
import type { Context } from '../usecases/context.ts';
import { bearerSecurity } from './auth.ts';
import { AmountOut, Envelope, ErrorEnvelope } from './schemas.ts';

const MethodConfig = Type.Object({
  enabled: Type.Boolean(),
  acceptedChannels: Type.Array(Type.String()),
  minimumAmount: AmountOut,
  maximumAmount: AmountOut,
  maximumExpiry: Type.String(),
});

const Configs = Type.Object({
  virtualAccount: MethodConfig,
  qr: MethodConfig,
  ewallet: MethodConfig,
  card: MethodConfig,
  installment: Type.Object({ enabled: Type.Boolean() }),
});

function config(limits: MethodLimits) {
  return {
    enabled: limits.enabled,
    acceptedChannels: limits.enabled ? [...limits.acceptedChannels] : [],
    minimumAmount: { value: limits.minimumAmount, currency: 'IDR' },
    maximumAmount: { value: limits.maximumAmount, currency: 'IDR' },
    maximumExpiry: limits.maximumExpiry,
  };
}

export function paymentMethodConfigs() {
  return {
    virtualAccount: config(METHOD_LIMITS.VIRTUAL_ACCOUNT),
    qr: config(METHOD_LIMITS.QR),
    ewallet: config(METHOD_LIMITS.EWALLET),
    card: config(METHOD_LIMITS.CARD),
    installment: { enabled: false },
  };
}

export async function paymentMethodConfigsRoute(app: FastifyInstance, _ctx: Context) {
  app.get(
    '/v2/payment-method-configs',
    {
      schema: {
        tags: ['Payment methods'],
        summary: 'Enabled payment methods, channels and limits',
        security: bearerSecurity,
        response: { 200: Envelope(Configs), 401: ErrorEnvelope },
      },
    },
    async () => ({ code: '00', message: 'Success', data: paymentMethodConfigs() }),
  );
}
