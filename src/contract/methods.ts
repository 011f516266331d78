// Each payment method's options on the wire (paymentMethodOptions.<key>, pivot-api §5.2) and how an offered
// method reads its own options into the domain. The readers are keyed by the registry's method types, so
// a method cannot be offered without saying how its options are read (the compiler checks); options of
// another method than the one chosen are not read at all.
import { Type, type Static } from 'typebox';
import type { OfferedMethodType } from '../domain/methods/registry.ts';
import { VA_CHANNELS } from '../domain/payment-methods.ts';
import type { MethodOptions } from '../domain/session.ts';
import { Enum, Str, Timestamp } from './common.ts';

export const VirtualAccountOptions = Type.Object({
  channel: Type.Optional(Enum(VA_CHANNELS)),
  virtualAccountName: Type.Optional(Str(100, 0)),
  virtualAccountNumber: Type.Optional(Str(23, 4, { pattern: '^[0-9]+$' })),
  expiryAt: Type.Optional(Timestamp),
});

export const QrOptions = Type.Object({ expiryAt: Type.Optional(Timestamp) });

/** Pivot's e-wallet and card options: accepted by the schema, refused with 400 until Kasir offers them. */
export const EwalletOptions = Type.Object({ channel: Type.Optional(Str(20)), expiryAt: Type.Optional(Timestamp) });
export const CardOptions = Type.Object({}, { additionalProperties: true });

export const MethodOptionFields = {
  virtualAccount: Type.Optional(VirtualAccountOptions),
  qr: Type.Optional(QrOptions),
  ewallet: Type.Optional(EwalletOptions),
  card: Type.Optional(CardOptions),
};
export const PaymentMethodOptions = Type.Object(MethodOptionFields, { $id: 'PaymentMethodOptions' });
type OptionsWire = Static<typeof PaymentMethodOptions>;

/** RFC 3339 (and so the date-time format check) allows a leap second, hh:mm:60, which Date cannot parse: read it as the next second. */
export function wireDate(value: string): Date {
  const parsed = new Date(value);
  const leap = Number.isNaN(parsed.getTime()) ? /^(.+[T\s]\d\d:\d\d):60(.*)$/i.exec(value) : null;
  return leap ? new Date(new Date(`${leap[1]}:59${leap[2]}`).getTime() + 1000) : parsed;
}

export const OPTION_READERS: Record<OfferedMethodType, (wire: OptionsWire) => MethodOptions> = {
  VIRTUAL_ACCOUNT: ({ virtualAccount: va }) =>
    va
      ? {
          virtualAccount: {
            ...(va.channel !== undefined && { channel: va.channel }),
            ...(va.virtualAccountName !== undefined &&
              va.virtualAccountName !== '' && { virtualAccountName: va.virtualAccountName }),
            ...(va.virtualAccountNumber !== undefined && { virtualAccountNumber: va.virtualAccountNumber }),
            ...(va.expiryAt !== undefined && { expiryAt: wireDate(va.expiryAt) }),
          },
        }
      : {},
  QR: ({ qr }) => (qr ? { qr: { ...(qr.expiryAt !== undefined && { expiryAt: wireDate(qr.expiryAt) }) } } : {}),
};
