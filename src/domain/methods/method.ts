// The one interface every payment method implements. A method owns its rules and limits, how its charge is
// issued, what that charge looks like on the wire, how its own data is stored, and which outcomes the
// sandbox may simulate. Nothing outside the method modules branches on a method type: callers look the
// method up in the registry (registry.ts). Its options schema (src/contract/methods.ts) and its page step
// (src/page/steps.ts) live in their layers, each in a table the compiler checks against the registry.
import type { FieldProblem } from '../refusal.ts';
import type { Charge, MethodChoice, MethodOptions, Money, Session } from '../session.ts';
import type { Mode, PaymentMethodType, PaymentType, SimulationOutcome } from '../statuses.ts';
import type { CardWire, FdsWire, SessionKey } from '../card/card-charge.ts';
import type { EwalletChannel, VaChannel } from '../payment-methods.ts';
import type { VaRange } from '../va-number.ts';

export interface MethodLimits {
  minimumAmount: number;
  maximumAmount: number;
  /** Longest time a charge of this method may stay payable, in seconds. */
  maximumExpirySeconds: number;
  /** Pivot's wire form of the maximum, e.g. "30 DAYS". */
  maximumExpiry: string;
  /** What refusals call the limits when they are one channel's, e.g. "EWALLET DANA" (default: the method type). */
  name?: string;
}

/** GET /v2/payment-method-configs' entry for one method (pivot-api §5.1). */
export interface MethodConfig {
  enabled: boolean;
  acceptedChannels: string[];
  minimumAmount: number;
  maximumAmount: number;
  maximumExpiry: string;
}

export interface IssueInput {
  session: Session;
  choice: MethodChoice;
  /** When the charge stops being payable (null: never, for an open MULTIPLE session). */
  expiryAt: Date | null;
  merchantName: string;
  /** `count` random decimal digits; injected so tests can force collisions. */
  randomDigits: (count: number) => string;
  /** `count` decimal digits derived from `seed`: the same seed always gives the same digits. */
  stableDigits: (seed: string, count: number) => string;
  /** The merchant's number range at the bank `rangeChannel` named (undefined for methods without one). */
  vaRange: VaRange | undefined;
}

/** The method-specific part of a charge (one of these keys is set, the method's own). */
export type ChargeDetails = Pick<Charge, 'virtualAccount' | 'qr' | 'ewallet' | 'card'>;

export interface Issued {
  details: ChargeDetails;
  /** A number the store must hold for this session alone while it is open (VA numbers). */
  reservation?: { channel: string; number: string };
}

export interface RequestedReservation {
  channel: string;
  number: string;
  field: string;
  takenMessage: string;
  /**
   * Set when the number lies outside the merchant's range: the refusal to give once no open session of
   * the merchant holds it (a number held since before ranges existed is reported as taken, not foreign).
   */
  outsideRangeMessage?: string;
}

/** Wire timestamps: ISO-8601 UTC, null where there is no date. */
export const isoOrNull = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

export interface VirtualAccountWire {
  channel: string | null;
  virtualAccountNumber: string | null;
  virtualAccountName: string | null;
  expiryAt: string | null;
}

export interface QrWire {
  acquirer: string;
  qrContent: string;
  qrUrl: string | null;
  qrType: string;
  merchantName: string;
  expiryAt: string | null;
}

/** A charge's `ewallet` (channel, accountInformations) or a paymentMethod's (channel, accountIdentifier). */
export interface EwalletWire {
  channel: EwalletChannel | null;
  accountIdentifier?: string | null;
  accountInformations?: { mobileNumber: string; name: string | null } | null;
}

/** What a charge or a session's paymentMethod adds on the wire for its method: its own key. */
export interface MethodWire {
  virtualAccount?: VirtualAccountWire;
  qr?: QrWire;
  ewallet?: EwalletWire;
  card?: CardWire;
  /** Charge-level fields a method fills in (cards: the fraud check, the authorized amount, what to do after a failure). */
  fdsRiskAssessment?: FdsWire;
  authorizedAmount?: Money | null;
  recommendation?: string;
}

/** What the rules need to know about the session and the request besides the choice itself. */
export interface ChoiceShape {
  amount: Money | undefined;
  paymentType: PaymentType;
  /** Absent where only the amount and type matter (the page's picker). */
  mode?: Mode;
  /** Whether the charge is issued now (create with autoConfirm, confirm) rather than left for a later confirm. */
  issuing?: boolean;
  /** Whether the request carries the shopper's card (an encryptedCard on confirm). */
  withCard?: boolean;
}

/**
 * Card sessions a merchant's own page pays (API mode, confirmed later) get an RSA key of their own
 * (pivot-api §5.2 `encryptionKey`): when one is needed, and where the method keeps it.
 */
export interface SessionKeyNeeds {
  needed(choice: MethodChoice, shape: { mode: Mode; autoConfirm: boolean }): boolean;
  attach(choice: MethodChoice, key: SessionKey): MethodChoice;
  of(choice: MethodChoice): SessionKey | undefined;
}

export interface PaymentMethod {
  readonly type: PaymentMethodType;
  /** The method's key in paymentMethodOptions and in the wire objects (virtualAccount, qr, …). */
  readonly optionsKey: keyof MethodOptions;
  readonly acceptedChannels: readonly string[];
  readonly limits: MethodLimits;
  /**
   * The limits for this choice when they differ by channel (e-wallets, pivot-api §11); `limits` is then
   * the envelope /v2/payment-method-configs reports. Without it, `limits` applies to every choice.
   */
  limitsFor?(choice: MethodChoice): MethodLimits;
  /** May back a MULTIPLE session (charged many times). */
  readonly allowsMultiple: boolean;
  /** What POST /v2/payments/simulations and the page's sandbox buttons may do to its charge. */
  readonly simulationOutcomes: readonly SimulationOutcome[];
  /**
   * An AUTO refund goes back through the payment channel (QRIS, e-wallets, cards); false: the channel
   * cannot return money (a VA transfer), so every refund is a bank transfer to a destination account.
   */
  readonly refundsThroughChannel: boolean;
  /**
   * The method's own rules that a schema cannot express, for this session shape (`prefix` names where the
   * options sit). A problem on `amount` replaces the generic limit check.
   */
  optionProblems(choice: MethodChoice, shape: ChoiceShape, prefix: string): FieldProblem[];
  /** The expiry the merchant asked for in the method's options, if any. */
  requestedExpiry(choice: MethodChoice): Date | undefined;
  /** The bank whose per-merchant number range (va-number.ts) the charge draws from, if the method has one. */
  rangeChannel(choice: MethodChoice): VaChannel | undefined;
  /**
   * A number the merchant asked for that one open session at a time may hold (a requested VA number), with
   * where it sits in the request and how to refuse it when taken or outside `range` (the merchant's range
   * at `rangeChannel`); undefined when nothing was requested.
   */
  requestedReservation(choice: MethodChoice, range: VaRange | undefined): RequestedReservation | undefined;
  issue(input: IssueInput): Issued;
  /** The charge object's method part. */
  chargeWire(charge: Charge): MethodWire;
  /** The session's `paymentMethod` method part, from the current charge or, before one, the options. */
  methodWire(choice: MethodChoice, current: Charge | undefined): MethodWire;
  /** Kasir's own data in JSON columns: written and read back explicitly, field by field. */
  encodeOptions(options: MethodOptions): unknown;
  decodeOptions(stored: unknown): MethodOptions;
  encodeDetails(charge: Charge): unknown;
  decodeDetails(stored: unknown, expiryAt: Date | null): ChargeDetails;
  /** Set by methods whose sessions may carry their own encryption key (cards). */
  readonly sessionKey?: SessionKeyNeeds;
  /**
   * In API mode there is no payment page: a charge that needs the shopper somewhere else (an e-wallet's
   * sign-in, Pivot's deeplink) names that place, and the session's paymentUrl leads there. Sandbox only:
   * the place is Kasir's own stand-in for the wallet.
   */
  sandboxShopperStep?(charge: Charge): 'wallet' | undefined;
}
