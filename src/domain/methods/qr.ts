// QRIS (pivot-api §5.2, indonesia-payments.md): a dynamic merchant-presented QR for the session's exact
// amount, or a static one for an open-amount MULTIPLE session. The acquirer identity is fictional but
// stable per merchant, so a printed static QR keeps working.
import { buildDynamicQris, buildStaticQris } from '../qris.ts';
import { QR_TYPES, type Charge, type MethodOptions, type QrCharge } from '../session.ts';
import { isoOrNull, type PaymentMethod } from './method.ts';
import { StoredObject } from './stored.ts';

interface StoredOptions {
  expiryAt?: number;
}

interface StoredDetails {
  acquirer: string;
  qrContent: string;
  qrType: QrCharge['qrType'];
  merchantName: string;
}

/** QRIS names are printable ASCII, at most 25 characters; fall back to a neutral name. */
function asciiName(...candidates: string[]): string {
  for (const candidate of candidates) {
    const ascii = candidate
      .normalize('NFKD')
      .replace(/[^\x20-\x7E]/g, '')
      .replace(/\|/g, '')
      .trim();
    if (/[A-Za-z0-9]/.test(ascii)) return ascii.slice(0, 25);
  }
  return 'KASIR MERCHANT';
}

export const qr: PaymentMethod = {
  type: 'QR',
  optionsKey: 'qr',
  acceptedChannels: [],
  limits: { minimumAmount: 1_000, maximumAmount: 10_000_000, maximumExpirySeconds: 60 * 60, maximumExpiry: '60 MINUTES' },
  allowsMultiple: true,
  simulationOutcomes: ['SUCCESS', 'FAILED', 'EXPIRED'],
  // The acquirer reverses a QRIS payment to the issuing bank or wallet.
  refundsThroughChannel: true,

  optionProblems: (_choice, shape) =>
    shape.paymentType === 'MULTIPLE' && shape.amount !== undefined
      ? [{ field: 'amount', message: 'QRIS with paymentType = MULTIPLE must not include an amount' }]
      : [],

  requestedExpiry: (choice) => choice.options.qr?.expiryAt,

  rangeChannel: () => undefined,

  requestedReservation: () => undefined,

  issue({ session, expiryAt, merchantName, stableDigits }) {
    const digits = stableDigits(session.merchantId, 13);
    const name = asciiName(session.statementDescriptor, merchantName);
    const identity = {
      acquirerGuid: 'ID.CO.KASIR.WWW',
      merchantPan: `93600490${digits.slice(0, 11)}`,
      acquirerMerchantId: `KSR${digits.slice(0, 12)}`,
      nationalMerchantId: `ID${digits.slice(0, 13)}`,
      merchantCriteria: 'URE' as const,
      merchantCategoryCode: '5399',
      merchantName: name,
      merchantCity: 'JAKARTA',
      postalCode: '10110',
      billNumber: session.clientReferenceId.slice(0, 25),
      referenceLabel: session.id.replace(/-/g, '').slice(0, 25),
      terminalLabel: 'KASIR',
    };
    // An open-amount MULTIPLE session gets a static QR; everything else a dynamic one for its exact amount.
    const isStatic = session.amount.value === 0;
    const qrContent = isStatic ? buildStaticQris(identity) : buildDynamicQris({ ...identity, amount: session.amount.value });
    return {
      details: { qr: { acquirer: 'BNC', qrContent, qrType: isStatic ? 'STATIC' : 'DYNAMIC', merchantName: name, expiryAt } },
    };
  },

  chargeWire(charge) {
    const q = charge.qr;
    return q ? { qr: { ...q, qrUrl: null, expiryAt: isoOrNull(q.expiryAt) } } : {};
  },

  // Before its charge exists a QR session has no code to show: paymentMethod carries only the type.
  methodWire: (_choice, current) => (current ? qr.chargeWire(current) : {}),

  encodeOptions(options): StoredOptions {
    const expiryAt = options.qr?.expiryAt;
    return expiryAt !== undefined ? { expiryAt: expiryAt.getTime() } : {};
  },

  decodeOptions(stored): MethodOptions {
    const q = StoredObject.read(stored, 'QR options');
    const expiryAt = q.optional('expiryAt', (n) => q.number(n));
    return { qr: { ...(expiryAt !== undefined && { expiryAt: new Date(expiryAt) }) } };
  },

  encodeDetails(charge: Charge): StoredDetails {
    const q = charge.qr;
    if (!q) throw new Error(`charge ${charge.id} has no QR`);
    return { acquirer: q.acquirer, qrContent: q.qrContent, qrType: q.qrType, merchantName: q.merchantName };
  },

  decodeDetails(stored, expiryAt) {
    const q = StoredObject.read(stored, 'QR charge');
    return {
      qr: {
        acquirer: q.string('acquirer'),
        qrContent: q.string('qrContent'),
        qrType: q.oneOf('qrType', QR_TYPES),
        merchantName: q.string('merchantName'),
        expiryAt,
      },
    };
  },
};
