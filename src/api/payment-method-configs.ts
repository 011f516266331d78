// GET /v2/payment-method-configs — which methods and channels are enabled, their limits (pivot-api §5.1).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { METHOD_LIMITS, type MethodLimits } from '../domain/payment-methods.ts';
import type { Context } from '../usecases/context.ts';
import type { PaymentMethodConfigsWire } from '../contract/method-configs.ts';
import { getPaymentMethodConfigs } from '../contract/operations.ts';

function config(limits: MethodLimits) {
  return {
    enabled: limits.enabled,
    acceptedChannels: limits.enabled ? [...limits.acceptedChannels] : [],
    minimumAmount: { value: limits.minimumAmount, currency: 'IDR' },
    maximumAmount: { value: limits.maximumAmount, currency: 'IDR' },
    maximumExpiry: limits.maximumExpiry,
  };
}

export function paymentMethodConfigs(): PaymentMethodConfigsWire {
  return {
    virtualAccount: config(METHOD_LIMITS.VIRTUAL_ACCOUNT),
    qr: config(METHOD_LIMITS.QR),
    ewallet: config(METHOD_LIMITS.EWALLET),
    card: config(METHOD_LIMITS.CARD),
    installment: { enabled: false },
  };
}

export async function paymentMethodConfigsRoute(app: FastifyInstance, _ctx: Context) {
  app.withTypeProvider<TypeBoxTypeProvider>().get('/v2/payment-method-configs', { schema: getPaymentMethodConfigs }, async () => ({
    code: '00' as const,
    message: 'Success',
    data: paymentMethodConfigs(),
  }));
}
