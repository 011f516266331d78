// GET /v2/payment-method-configs — which methods and channels are enabled, their limits (pivot-api §5.1).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { MethodConfig } from '../domain/methods/method.ts';
import { methodConfig } from '../domain/methods/registry.ts';
import type { Context } from '../usecases/context.ts';
import type { PaymentMethodConfigsWire } from '../contract/method-configs.ts';
import { getPaymentMethodConfigs } from '../contract/operations.ts';

const idr = (value: number) => ({ value, currency: 'IDR' });
const wire = (c: MethodConfig) => ({ ...c, minimumAmount: idr(c.minimumAmount), maximumAmount: idr(c.maximumAmount) });

/** Pivot's wire keys each method's config by its options key; every method is listed, offered or not. */
export function paymentMethodConfigs(): PaymentMethodConfigsWire {
  return {
    virtualAccount: wire(methodConfig('VIRTUAL_ACCOUNT')),
    qr: wire(methodConfig('QR')),
    ewallet: wire(methodConfig('EWALLET')),
    card: wire(methodConfig('CARD')),
    installment: { enabled: false },
  };
}

export async function paymentMethodConfigsRoute(app: FastifyInstance, _ctx: Context) {
  app
    .withTypeProvider<TypeBoxTypeProvider>()
    .get('/v2/payment-method-configs', { schema: getPaymentMethodConfigs }, async () => ({
      code: '00' as const,
      message: 'Success',
      data: paymentMethodConfigs(),
    }));
}
