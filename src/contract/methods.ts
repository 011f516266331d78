// Each payment method's options on the wire (paymentMethodOptions.<key>, pivot-api §5.2) and how an offered
// method reads its own options into the domain. The readers are keyed by the registry's method types, so
// a method cannot be offered without saying how its options are read (the compiler checks); options of
// another method than the one chosen are not read at all.
import { Type, type Static } from 'typebox';
import type { OfferedMethodType } from '../domain/methods/registry.ts';
import { EWALLET_CHANNELS, VA_CHANNELS } from '../domain/payment-methods.ts';
import { THREE_DS_METHODS } from '../domain/card/card-charge.ts';
import type { MethodOptions } from '../domain/session.ts';
import { Enum, FreeObject, Str, Timestamp } from './common.ts';

export const VirtualAccountOptions = Type.Object({
  channel: Type.Optional(Enum(VA_CHANNELS)),
  virtualAccountName: Type.Optional(Str(100, 0)),
  virtualAccountNumber: Type.Optional(Str(23, 4, { pattern: '^[0-9]+$' })),
  expiryAt: Type.Optional(Timestamp),
});

export const QrOptions = Type.Object({ expiryAt: Type.Optional(Timestamp) });

/**
 * Pivot's table marks `expiryAt` mandatory once `ewallet` is given, but its own create example sends only
 * the channel: it is optional here, and the session's expiry (capped by the channel's) applies without it.
 */
export const EwalletOptions = Type.Object({
  channel: Type.Optional(Enum(EWALLET_CHANNELS)),
  expiryAt: Type.Optional(Timestamp),
});

/** Pivot's paymentMethod.ewallet (§5.2): the shopper's registered mobile number, e.g. for an OVO push. */
export const EwalletMethodInput = Type.Object({
  accountIdentifier: Type.Optional(
    Str(20, 1, { description: 'Registered mobile number: 08…, 8…, 628… or +628… (OVO: where the push goes)' }),
  ),
});

/**
 * Pivot's card options (pivot-api §5.2). captureMethod is written automatic/manual in Pivot's table and
 * MANUAL in its examples: both cases are read. manual and EXTERNAL are refused by the rules until Kasir
 * builds captures and external 3-D Secure; the facilitator, card-on-file and installment objects are
 * accepted and not used.
 */
export const CardOptions = Type.Object({
  captureMethod: Type.Optional(Enum(['automatic', 'manual', 'AUTOMATIC', 'MANUAL'] as const)),
  threeDsMethod: Type.Optional(
    Enum(THREE_DS_METHODS, { description: 'AUTOMATIC (default), CHALLENGE, NEVER; EXTERNAL is refused' }),
  ),
  processingConfig: Type.Optional(FreeObject),
  threeDsInfo: Type.Optional(FreeObject),
  cardOnFile: Type.Optional(FreeObject),
  installment: Type.Optional(FreeObject),
});

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

/** What paymentMethod carries besides its type (e.g. ewallet.accountIdentifier). */
export interface MethodInputWire {
  ewallet?: Static<typeof EwalletMethodInput>;
}

export const OPTION_READERS: Record<OfferedMethodType, (wire: OptionsWire, method: MethodInputWire) => MethodOptions> = {
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
  EWALLET: ({ ewallet }, method) => {
    const accountIdentifier = method.ewallet?.accountIdentifier;
    if (!ewallet && accountIdentifier === undefined) return {};
    return {
      ewallet: {
        ...(ewallet?.channel !== undefined && { channel: ewallet.channel }),
        ...(ewallet?.expiryAt !== undefined && { expiryAt: wireDate(ewallet.expiryAt) }),
        ...(accountIdentifier !== undefined && { accountIdentifier }),
      },
    };
  },
  CARD: ({ card }) =>
    card
      ? {
          card: {
            ...(card.threeDsMethod !== undefined && { threeDsMethod: card.threeDsMethod }),
            ...(card.captureMethod !== undefined && {
              captureMethod: card.captureMethod.toLowerCase() === 'manual' ? ('manual' as const) : ('automatic' as const),
            }),
          },
        }
      : {},
};

/**
 * The shopper's card as a merchant's own page sends it (pivot-api §5.2 paymentMethod.card): only encrypted,
 * on confirm, with the session's encryptionKey. A raw number or CVC is refused (Kasir never takes card
 * data in the clear over its API), and so are fields Kasir does not use yet, by name.
 */
export const CardInput = Type.Object(
  {
    encryptedCard: Type.Optional(
      Str(500, 1, {
        description:
          'Base64 RSA-OAEP (SHA-256) ciphertext, under the session\'s encryptionKey, of the JSON {"number","expMonth","expYear","cvc","cardHolderName"?}',
      }),
    ),
    token: Type.Optional(
      Str(100, 20, {
        description:
          "A saved card's token (GET /v1/customers/{customerId} storedPaymentMethods), for the same customer; confirm only, instead of encryptedCard",
      }),
    ),
    cardHolderFirstName: Type.Optional(Str(100)),
    cardHolderLastName: Type.Optional(Str(100, 0)),
    cardHolderEmail: Type.Optional(Str(255)),
    cardHolderPhone: Type.Optional(Str(20)),
  },
  { $id: 'CardInput', additionalProperties: false },
);
