// GET /v2/payment-method-configs on the wire (pivot-api §5.1): one config object per method key.
import { Type, type Static } from 'typebox';
import { Amount, Ref } from './common.ts';

export const MethodConfig = Type.Object(
  {
    enabled: Type.Boolean(),
    acceptedChannels: Type.Array(Type.String(), { description: 'Empty when the method is disabled' }),
    minimumAmount: Ref(Amount),
    maximumAmount: Ref(Amount),
    maximumExpiry: Type.String({ description: 'e.g. "30 DAYS", "60 MINUTES"' }),
  },
  { $id: 'MethodConfig' },
);

export const PaymentMethodConfigs = Type.Object(
  {
    virtualAccount: Ref(MethodConfig),
    qr: Ref(MethodConfig),
    ewallet: Ref(MethodConfig),
    card: Ref(MethodConfig),
    installment: Type.Object({ enabled: Type.Boolean() }),
  },
  { $id: 'PaymentMethodConfigs' },
);
export type PaymentMethodConfigsWire = Static<typeof PaymentMethodConfigs>;
