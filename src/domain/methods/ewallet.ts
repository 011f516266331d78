// E-wallets: DANA, ShopeePay and OVO (pivot-api §5.2, §6.2, §7.3, §11, §12). A pull payment: the charge
// goes out waiting for the shopper, who either signs in to the wallet and enters an OTP (DANA and
// ShopeePay send the shopper to the wallet) or approves a push on their phone (OVO). Limits and expiries
// differ by channel. In the sandbox, Pivot's test numbers decide what the wallet answers.
import { EWALLET_CHANNELS, type EwalletChannel } from '../payment-methods.ts';
import { toE164 } from '../mobile-number.ts';
import type { FieldProblem } from '../refusal.ts';
import type { Charge, MethodOptions } from '../session.ts';
import type { MethodLimits, PaymentMethod } from './method.ts';
import { StoredObject } from './stored.ts';

/** `redirect`: the shopper signs in on the wallet's page; `push`: the wallet asks the shopper's phone. */
export type WalletFlow = 'redirect' | 'push';

const minutes = (n: number): Pick<MethodLimits, 'maximumExpirySeconds' | 'maximumExpiry'> => ({
  maximumExpirySeconds: n * 60,
  maximumExpiry: `${n} MINUTES`,
});
const days = (n: number): Pick<MethodLimits, 'maximumExpirySeconds' | 'maximumExpiry'> => ({
  maximumExpirySeconds: n * 86_400,
  maximumExpiry: `${n} DAYS`,
});

/**
 * Per channel (pivot-api §11): DANA 10,000–10,000,000 and 30 minutes, ShopeePay 5 days. Pivot states no
 * OVO limits and no ShopeePay amounts: those take the e-wallet entry of its config example (§5.1),
 * 10,000–9,999,999 and 30 minutes.
 */
export const EWALLETS: Record<
  EwalletChannel,
  {
    name: string;
    flow: WalletFlow;
    limits: MethodLimits;
    /** The wallet sends the shopper back to successReturnUrl whatever the outcome (pivot-api, Redirect Object). */
    successUrlOnly?: true;
  }
> = {
  DANA: {
    name: 'DANA',
    flow: 'redirect',
    successUrlOnly: true,
    limits: { name: 'EWALLET DANA', minimumAmount: 10_000, maximumAmount: 10_000_000, ...minutes(30) },
  },
  SHOPEEPAY: {
    name: 'ShopeePay',
    flow: 'redirect',
    limits: { name: 'EWALLET SHOPEEPAY', minimumAmount: 10_000, maximumAmount: 9_999_999, ...days(5) },
  },
  OVO: {
    name: 'OVO',
    flow: 'push',
    limits: { name: 'EWALLET OVO', minimumAmount: 10_000, maximumAmount: 9_999_999, ...minutes(30) },
  },
};

/** What the method reports for itself: the widest range any channel accepts. */
const ENVELOPE: MethodLimits = (() => {
  const all = EWALLET_CHANNELS.map((c) => EWALLETS[c].limits);
  const longest = all.reduce((a, b) => (b.maximumExpirySeconds > a.maximumExpirySeconds ? b : a));
  return {
    minimumAmount: Math.min(...all.map((l) => l.minimumAmount)),
    maximumAmount: Math.max(...all.map((l) => l.maximumAmount)),
    maximumExpirySeconds: longest.maximumExpirySeconds,
    maximumExpiry: longest.maximumExpiry,
  };
})();

/** What the wallet answers once the shopper has authorised: paid, still processing, declined, or timed out. */
export type WalletAnswer = 'SUCCESS' | 'PROCESSING' | 'FAILED' | 'EXPIRED';

/** Pivot's sandbox numbers (pivot-api §12); any other number pays. */
const SANDBOX_NUMBERS = new Map<string, WalletAnswer>([
  ['+628111111001', 'SUCCESS'],
  ['+628111111002', 'PROCESSING'],
  ['+628111111003', 'FAILED'],
  ['+628111111004', 'EXPIRED'],
]);

/** The one OTP (and OVO PIN) the sandbox wallet accepts. */
export const SANDBOX_OTP = '000000';

/** Pivot names no failure code for its failing test number; a wallet refusing the payment is this one (§10.5). */
export const SANDBOX_DECLINE_CODE = 'DECLINED_BY_CHANNEL';

/** The failure code when the shopper turns the payment down in the wallet (§10.5). */
export const CANCELLED_BY_USER = 'CANCELLED_BY_USER';

export function sandboxAnswer(mobileNumber: string): WalletAnswer {
  return SANDBOX_NUMBERS.get(mobileNumber) ?? 'SUCCESS';
}

/** The sandbox wallet's account holder: a name that says it is a test account. */
export function sandboxAccountName(mobileNumber: string): string {
  return `Sandbox ${mobileNumber.slice(-4)}`;
}

interface StoredOptions {
  channel?: string;
  expiryAt?: number;
  accountIdentifier?: string;
}

interface StoredDetails {
  channel: string;
  mobileNumber: string | null;
  accountName: string | null;
}

export const ewallet: PaymentMethod = {
  type: 'EWALLET',
  optionsKey: 'ewallet',
  acceptedChannels: EWALLET_CHANNELS,
  limits: ENVELOPE,
  allowsMultiple: false,
  simulationOutcomes: ['SUCCESS', 'FAILED', 'EXPIRED'],
  // The wallet takes the money back into the shopper's balance.
  refundsThroughChannel: true,

  // DANA and ShopeePay send the shopper to the wallet; OVO pushes to the phone and sends them nowhere.
  sandboxShopperStep(charge) {
    return charge.ewallet && EWALLETS[charge.ewallet.channel].flow === 'redirect' ? 'wallet' : undefined;
  },

  limitsFor(choice) {
    const channel = choice.options.ewallet?.channel;
    return channel ? EWALLETS[channel].limits : ENVELOPE;
  },

  optionProblems(choice, _shape, prefix) {
    const problems: FieldProblem[] = [];
    const options = choice.options.ewallet;
    if (!options?.channel) {
      problems.push({ field: `${prefix}paymentMethodOptions.ewallet.channel`, message: 'channel is required for EWALLET' });
    }
    if (options?.accountIdentifier !== undefined && !toE164(options.accountIdentifier)) {
      problems.push({
        field: `${prefix}paymentMethod.ewallet.accountIdentifier`,
        message: 'accountIdentifier must be an Indonesian mobile number, e.g. 08111111001 or +628111111001',
      });
    }
    return problems;
  },

  requestedExpiry: (choice) => choice.options.ewallet?.expiryAt,

  rangeChannel: () => undefined,

  requestedReservation: () => undefined,

  issue({ choice }) {
    const options = choice.options.ewallet;
    const channel = options?.channel;
    if (!channel) throw new Error('an e-wallet charge needs its channel (checked by optionProblems)');
    const mobileNumber = options.accountIdentifier === undefined ? undefined : toE164(options.accountIdentifier);
    return { details: { ewallet: { channel, mobileNumber: mobileNumber ?? null, accountName: null } } };
  },

  chargeWire(charge) {
    const e = charge.ewallet;
    if (!e) return {};
    return {
      ewallet: {
        channel: e.channel,
        accountInformations: e.mobileNumber === null ? null : { mobileNumber: e.mobileNumber, name: e.accountName },
      },
    };
  },

  // The merchant's own accountIdentifier comes back as sent; the number the shopper gave is on the charge.
  methodWire(choice, current) {
    const options = choice.options.ewallet;
    return {
      ewallet: {
        channel: options?.channel ?? current?.ewallet?.channel ?? null,
        accountIdentifier: options?.accountIdentifier ?? null,
      },
    };
  },

  encodeOptions(options): StoredOptions {
    const e = options.ewallet ?? {};
    return {
      ...(e.channel !== undefined && { channel: e.channel }),
      ...(e.expiryAt !== undefined && { expiryAt: e.expiryAt.getTime() }),
      ...(e.accountIdentifier !== undefined && { accountIdentifier: e.accountIdentifier }),
    };
  },

  decodeOptions(stored): MethodOptions {
    const e = StoredObject.read(stored, 'e-wallet options');
    const channel = e.optional('channel', (n) => e.oneOf(n, EWALLET_CHANNELS));
    const expiryAt = e.optional('expiryAt', (n) => e.number(n));
    const accountIdentifier = e.optional('accountIdentifier', (n) => e.string(n));
    return {
      ewallet: {
        ...(channel !== undefined && { channel }),
        ...(expiryAt !== undefined && { expiryAt: new Date(expiryAt) }),
        ...(accountIdentifier !== undefined && { accountIdentifier }),
      },
    };
  },

  encodeDetails(charge: Charge): StoredDetails {
    const e = charge.ewallet;
    if (!e) throw new Error(`charge ${charge.id} has no e-wallet`);
    return { channel: e.channel, mobileNumber: e.mobileNumber, accountName: e.accountName };
  },

  decodeDetails(stored) {
    const e = StoredObject.read(stored, 'e-wallet charge');
    return {
      ewallet: {
        channel: e.oneOf('channel', EWALLET_CHANNELS),
        mobileNumber: e.nullable('mobileNumber', (n) => e.string(n)),
        accountName: e.nullable('accountName', (n) => e.string(n)),
      },
    };
  },
};
