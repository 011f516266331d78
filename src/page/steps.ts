// Each offered method's page step: its name, its section of the picker, how a picker value reads back as
// a choice, and its charge page. One table keyed by the registry's method types: a method cannot be
// offered without a page step (the compiler checks), and the plugin never branches on a method type.
import { checkMethod } from '../domain/method-rules.ts';
import { METHODS, isOffered, type OfferedMethodType } from '../domain/methods/registry.ts';
import { bankName } from '../domain/methods/virtual-account.ts';
import { EWALLETS } from '../domain/methods/ewallet.ts';
import { maskMobile } from '../domain/mobile-number.ts';
import { EWALLET_CHANNELS, isEwalletChannel, isVaChannel } from '../domain/payment-methods.ts';
import type { Charge, MethodChoice, Session } from '../domain/session.ts';
import type { PaymentMethodType } from '../domain/statuses.ts';
import { formatRupiah } from './format.ts';
import { ewalletPage, ewalletPickerSection } from './ewallet.ts';
import type { SafeHtml } from './html.ts';
import { qrSvg } from './qr.ts';
import type { PaidWith } from './status-views.ts';
import { qrPage, qrPickerSection, vaPage, vaPickerSection } from './va-qr-views.ts';
import type { SessionPage } from './views.ts';
import { cardPage, cardPickerSection, maskedCard } from './card-views.ts';
import type { MessageKey, Translate } from './i18n.ts';

export interface PageStep {
  /** How the confirm button names a method the merchant already chose. */
  label(choice: MethodChoice): string;
  /** The method's picker section for this session, or undefined when none of its choices fits it. */
  pickerSection(p: SessionPage): SafeHtml | undefined;
  /** The choice a picker button's value names, if the value is this method's. */
  parse(value: string): MethodChoice | undefined;
  /** The page that shows the shopper how to pay this charge. */
  render(p: SessionPage, charge: Charge): Promise<SafeHtml>;
  /** The shopper's own account the charge was paid from, masked, for the status page (e-wallets). */
  account?(charge: Charge): string | undefined;
  /** What the status page says about how the shopper paid, or why it failed (methods that know more than their name). */
  paidWith?(charge: Charge, t: Translate): PaidWith | undefined;
}

const FAILURE_TEXT: Record<string, MessageKey> = {
  DECLINED_BY_CHANNEL: 'failDECLINED_BY_CHANNEL',
  INVALID_ACCOUNT: 'failINVALID_ACCOUNT',
  AUTHENTICATION_FAILED: 'failAUTHENTICATION_FAILED',
  SUSPECTED_FRAUD: 'failSUSPECTED_FRAUD',
  INSUFFICIENT_FUND: 'failINSUFFICIENT_FUND',
  CHANNEL_UNAVAILABLE: 'failCHANNEL_UNAVAILABLE',
  CANCELLED_BY_USER: 'failCANCELLED_BY_USER',
  BLOCKED_BY_FDS: 'failBLOCKED_BY_FDS',
  REQUIRE_REVIEW: 'failREQUIRE_REVIEW',
};

/** A choice the session can take: the method's rules and limits accept it for this amount and type. */
function fits(session: Session, choice: MethodChoice): boolean {
  return checkMethod(choice, { amount: session.amount, paymentType: session.paymentType }).length === 0;
}

const VA_PREFIX = 'VIRTUAL_ACCOUNT:';
const EWALLET_PREFIX = 'EWALLET:';

export const STEPS: Record<OfferedMethodType, PageStep> = {
  VIRTUAL_ACCOUNT: {
    label: (choice) => {
      const channel = choice.options.virtualAccount?.channel;
      return `${channel ? bankName(channel) : ''} Virtual Account`.trim();
    },
    pickerSection: (p) => {
      const banks = METHODS.VIRTUAL_ACCOUNT.acceptedChannels
        .filter(isVaChannel)
        .filter((channel) => fits(p.session, { type: 'VIRTUAL_ACCOUNT', options: { virtualAccount: { channel } } }));
      return banks.length ? vaPickerSection(p, banks) : undefined;
    },
    parse: (value) => {
      const channel = value.startsWith(VA_PREFIX) ? value.slice(VA_PREFIX.length) : undefined;
      return channel !== undefined && isVaChannel(channel)
        ? { type: 'VIRTUAL_ACCOUNT', options: { virtualAccount: { channel } } }
        : undefined;
    },
    render: async (p, charge) => vaPage(p, charge, METHODS.VIRTUAL_ACCOUNT.simulationOutcomes),
  },
  QR: {
    label: () => 'QRIS',
    pickerSection: (p) => (fits(p.session, { type: 'QR', options: {} }) ? qrPickerSection(p) : undefined),
    parse: (value) => (value === 'QR' ? { type: 'QR', options: {} } : undefined),
    render: async (p, charge) => {
      if (!charge.qr) throw new Error(`QR charge ${charge.id} has no payload`);
      const svg = await qrSvg(charge.qr.qrContent, p.t('qrAlt', { amount: formatRupiah(charge.amount.value) }));
      return qrPage(p, charge, svg, METHODS.QR.simulationOutcomes);
    },
  },
  EWALLET: {
    label: (choice) => {
      const channel = choice.options.ewallet?.channel;
      return channel ? EWALLETS[channel].name : 'E-wallet';
    },
    pickerSection: (p) => {
      const wallets = EWALLET_CHANNELS.filter((channel) =>
        fits(p.session, { type: 'EWALLET', options: { ewallet: { channel } } }),
      );
      return wallets.length ? ewalletPickerSection(p, wallets) : undefined;
    },
    parse: (value) => {
      const channel = value.startsWith(EWALLET_PREFIX) ? value.slice(EWALLET_PREFIX.length) : undefined;
      return channel !== undefined && isEwalletChannel(channel)
        ? { type: 'EWALLET', options: { ewallet: { channel } } }
        : undefined;
    },
    render: async (p, charge) => ewalletPage(p, charge, METHODS.EWALLET.simulationOutcomes),
    account: (charge) => (charge.ewallet?.mobileNumber ? maskMobile(charge.ewallet.mobileNumber) : undefined),
  },
  CARD: {
    label: () => 'Visa / Mastercard / JCB',
    pickerSection: (p) => (fits(p.session, { type: 'CARD', options: {} }) ? cardPickerSection(p) : undefined),
    parse: (value) => (value === 'CARD' ? { type: 'CARD', options: {} } : undefined),
    render: async (p, charge) => cardPage(p, charge),
    paidWith: (charge, t) => {
      const method = maskedCard(charge);
      if (!method) return undefined;
      const reason = charge.failureCode ? FAILURE_TEXT[charge.failureCode] : undefined;
      return { method, ...(reason && { reason: t(reason) }) };
    },
  },
};

/** The order the picker lists methods in: the quickest to pay first. */
export const PICKER_ORDER: readonly OfferedMethodType[] = ['QR', 'EWALLET', 'CARD', 'VIRTUAL_ACCOUNT'];

export function stepOf(type: PaymentMethodType): PageStep | undefined {
  return isOffered(type) ? STEPS[type] : undefined;
}
