// Bank virtual accounts (pivot-api §5.2, §11): a number per session from the merchant's own range at the
// bank (va-number.ts), paid once (SINGLE) or many times (MULTIPLE), held by the session alone while open.
import { BANKS, VA_CHANNELS, isVaChannel } from '../payment-methods.ts';
import type { FieldProblem } from '../refusal.ts';
import type { Charge, MethodOptions } from '../session.ts';
import { isInStaticRange, proposeVaNumber } from '../va-number.ts';
import { isoOrNull, type PaymentMethod } from './method.ts';
import { StoredObject } from './stored.ts';

interface StoredOptions {
  channel?: string;
  virtualAccountName?: string;
  virtualAccountNumber?: string;
  expiryAt?: number;
}

interface StoredDetails {
  channel: string;
  virtualAccountNumber: string;
  virtualAccountName: string;
}

export const virtualAccount: PaymentMethod = {
  type: 'VIRTUAL_ACCOUNT',
  optionsKey: 'virtualAccount',
  acceptedChannels: VA_CHANNELS,
  limits: { minimumAmount: 10_000, maximumAmount: 9_999_999_999, maximumExpirySeconds: 30 * 86_400, maximumExpiry: '30 DAYS' },
  allowsMultiple: true,
  simulationOutcomes: ['SUCCESS', 'FAILED', 'EXPIRED'],
  // A VA payment is a transfer into a number that exists for this session only: nothing to send back through.
  refundsThroughChannel: false,

  optionProblems(choice, _shape, prefix) {
    const problems: FieldProblem[] = [];
    if (!choice.options.virtualAccount?.channel) {
      problems.push({
        field: `${prefix}paymentMethodOptions.virtualAccount.channel`,
        message: 'channel is required for VIRTUAL_ACCOUNT',
      });
    }
    return problems;
  },

  requestedExpiry: (choice) => choice.options.virtualAccount?.expiryAt,

  rangeChannel: (choice) => choice.options.virtualAccount?.channel,

  requestedReservation(choice, range) {
    const va = choice.options.virtualAccount;
    if (!va?.virtualAccountNumber || !va.channel) return undefined;
    const inside = range !== undefined && range.channel === va.channel && isInStaticRange(range, va.virtualAccountNumber);
    return {
      channel: va.channel,
      number: va.virtualAccountNumber,
      field: 'paymentMethodOptions.virtualAccount.virtualAccountNumber',
      takenMessage: 'requested VA number already assigned',
      // Pivot's wording (pivot-api §10.4).
      ...(!inside && { outsideRangeMessage: 'requested VA number not within assigned static VA range' }),
    };
  },

  issue({ session, choice, expiryAt, randomDigits, vaRange }) {
    const options = choice.options.virtualAccount;
    const channel = options?.channel;
    if (!channel) throw new Error('a VA charge needs its channel (checked by optionProblems)');
    if (vaRange?.channel !== channel) throw new Error(`a VA charge needs the merchant's ${channel} range`);
    const number = options.virtualAccountNumber ?? proposeVaNumber(vaRange, randomDigits);
    const name = options.virtualAccountName ?? `Kasir - ${session.statementDescriptor}`;
    return {
      details: { virtualAccount: { channel, virtualAccountNumber: number, virtualAccountName: name, expiryAt } },
      reservation: { channel, number },
    };
  },

  chargeWire(charge) {
    const va = charge.virtualAccount;
    return va ? { virtualAccount: { ...va, expiryAt: isoOrNull(va.expiryAt) } } : {};
  },

  methodWire(choice, current) {
    if (current?.virtualAccount) return this.chargeWire(current);
    const va = choice.options.virtualAccount;
    return {
      virtualAccount: {
        channel: va?.channel ?? null,
        virtualAccountNumber: va?.virtualAccountNumber ?? null,
        virtualAccountName: va?.virtualAccountName ?? null,
        expiryAt: isoOrNull(va?.expiryAt),
      },
    };
  },

  encodeOptions(options): StoredOptions {
    const va = options.virtualAccount ?? {};
    return {
      ...(va.channel !== undefined && { channel: va.channel }),
      ...(va.virtualAccountName !== undefined && { virtualAccountName: va.virtualAccountName }),
      ...(va.virtualAccountNumber !== undefined && { virtualAccountNumber: va.virtualAccountNumber }),
      ...(va.expiryAt !== undefined && { expiryAt: va.expiryAt.getTime() }),
    };
  },

  decodeOptions(stored): MethodOptions {
    const va = StoredObject.read(stored, 'virtual-account options');
    const channel = va.optional('channel', (n) => va.oneOf(n, VA_CHANNELS));
    const virtualAccountName = va.optional('virtualAccountName', (n) => va.string(n));
    const virtualAccountNumber = va.optional('virtualAccountNumber', (n) => va.string(n));
    const expiryAt = va.optional('expiryAt', (n) => va.number(n));
    return {
      virtualAccount: {
        ...(channel !== undefined && { channel }),
        ...(virtualAccountName !== undefined && { virtualAccountName }),
        ...(virtualAccountNumber !== undefined && { virtualAccountNumber }),
        ...(expiryAt !== undefined && { expiryAt: new Date(expiryAt) }),
      },
    };
  },

  encodeDetails(charge: Charge): StoredDetails {
    const va = charge.virtualAccount;
    if (!va) throw new Error(`charge ${charge.id} has no virtual account`);
    return { channel: va.channel, virtualAccountNumber: va.virtualAccountNumber, virtualAccountName: va.virtualAccountName };
  },

  decodeDetails(stored, expiryAt) {
    const va = StoredObject.read(stored, 'virtual-account charge');
    return {
      virtualAccount: {
        channel: va.oneOf('channel', VA_CHANNELS),
        virtualAccountNumber: va.string('virtualAccountNumber'),
        virtualAccountName: va.string('virtualAccountName'),
        expiryAt,
      },
    };
  },
};

/** The bank's display name, for labels. */
export function bankName(channel: string): string {
  return isVaChannel(channel) ? BANKS[channel].name : channel;
}
