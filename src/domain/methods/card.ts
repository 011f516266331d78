// Cards — VISA, MASTERCARD, JCB — with 3-D Secure (pivot-api §5.2, §6.2, §12). The charge is issued
// waiting for the shopper's card (typed on the hosted page, or encrypted by the merchant's own page in
// API mode); domain/card/ decides what happens once it is in. With captureMethod manual an authorized
// charge waits for the merchant's captures (domain/card/capture.ts).
import {
  AUTHENTICATION_FLOWS,
  CAPTURE_METHODS,
  CHARGE_THREE_DS_METHODS,
  CVV_RESULTS,
  FDS_LEVELS,
  FDS_RECOMMENDATIONS,
  FDS_STATUSES,
  THREE_DS_METHODS,
  THREE_DS_RESULTS,
  cardWire,
  fdsWire,
  type AuthenticationResult,
  type AuthorizationResult,
  type CardCharge,
  type CardOptions,
  type FdsAssessment,
  type TakenCard,
} from '../card/card-charge.ts';
import { CARD_NETWORKS } from '../payment-methods.ts';
import type { FieldProblem } from '../refusal.ts';
import { capturedTotal, type CaptureRecord } from '../card/captures.ts';
import type { Charge, MethodOptions } from '../session.ts';
import type { PaymentMethod } from './method.ts';
import { StoredObject } from './stored.ts';

type StoredOptions = CardOptions;

interface StoredDetails {
  threeDsMethod: CardCharge['threeDsMethod'];
  captureMethod: CardCharge['captureMethod'];
  card?: TakenCard;
  challenge?: CardCharge['challenge'];
  authentication?: CardCharge['authentication'];
  authorization?: CardCharge['authorization'];
  fds?: Omit<NonNullable<CardCharge['fds']>, 'evaluatedAt'> & { evaluatedAt: number };
  recommendation?: string;
  captures?: Array<Omit<CaptureRecord, 'createdAt'> & { createdAt: number }>;
}

export const card: PaymentMethod = {
  type: 'CARD',
  optionsKey: 'card',
  acceptedChannels: CARD_NETWORKS,
  limits: { minimumAmount: 10_000, maximumAmount: 9_999_999_999, maximumExpirySeconds: 30 * 86_400, maximumExpiry: '30 DAYS' },
  allowsMultiple: false,
  // The test card decides a card payment's outcome; the sandbox may only let its time run out.
  simulationOutcomes: ['EXPIRED'],
  // A card refund is a credit through the card network.
  refundsThroughChannel: true,

  optionProblems(choice, shape, prefix) {
    const options = choice.options.card ?? {};
    const at = `${prefix}paymentMethodOptions.card`;
    const problems: FieldProblem[] = [];
    if (options.threeDsMethod === 'EXTERNAL') {
      problems.push({
        field: `${at}.threeDsMethod`,
        message: 'threeDsMethod EXTERNAL is not supported by Kasir yet; use AUTOMATIC, CHALLENGE or NEVER',
      });
    }
    if (shape.mode === 'API' && shape.issuing && !shape.withCard) {
      problems.push({
        field: `${prefix}paymentMethod.card.encryptedCard`,
        message:
          'in API mode a card payment is confirmed with paymentMethod.card.encryptedCard: create the session with autoConfirm false, then confirm it',
      });
    }
    if (shape.withCard && shape.mode !== undefined && shape.mode !== 'API') {
      problems.push({
        field: `${prefix}paymentMethod.card.encryptedCard`,
        message: 'encryptedCard is for API mode sessions; in REDIRECT mode the shopper types the card on paymentUrl',
      });
    }
    return problems;
  },

  requestedExpiry: () => undefined,
  rangeChannel: () => undefined,
  requestedReservation: () => undefined,

  issue({ choice }) {
    const options = choice.options.card ?? {};
    const threeDsMethod =
      options.threeDsMethod === undefined || options.threeDsMethod === 'EXTERNAL' ? 'AUTOMATIC' : options.threeDsMethod;
    return { details: { card: { threeDsMethod, captureMethod: options.captureMethod ?? 'automatic' } } };
  },

  chargeWire(charge) {
    const c = charge.card;
    if (!c) return {};
    const wire = cardWire(c);
    const fds = fdsWire(c.fds);
    return {
      ...(wire && { card: wire }),
      ...(fds && { fdsRiskAssessment: fds }),
      ...(c.authorization?.authorizedAmount && { authorizedAmount: c.authorization.authorizedAmount }),
      ...(c.recommendation !== undefined && { recommendation: c.recommendation }),
      ...(c.captureMethod === 'manual' && captureWire(charge)),
    };
  },

  methodWire(_choice, current) {
    const wire = current?.card && cardWire(current.card);
    return wire ? { card: wire } : {};
  },

  sessionKey: {
    needed: (_choice, shape) => shape.mode === 'API' && !shape.autoConfirm,
    attach: (choice, key) => ({ ...choice, options: { ...choice.options, card: { ...choice.options.card, sessionKey: key } } }),
    of: (choice) => choice.options.card?.sessionKey,
  },

  encodeOptions(options): StoredOptions {
    const c = options.card ?? {};
    return {
      ...(c.threeDsMethod !== undefined && { threeDsMethod: c.threeDsMethod }),
      ...(c.captureMethod !== undefined && { captureMethod: c.captureMethod }),
      ...(c.sessionKey !== undefined && {
        sessionKey: { publicKey: c.sessionKey.publicKey, sealedPrivateKey: c.sessionKey.sealedPrivateKey },
      }),
    };
  },

  decodeOptions(stored): MethodOptions {
    const c = StoredObject.read(stored, 'card options');
    const threeDsMethod = c.optional('threeDsMethod', (n) => c.oneOf(n, THREE_DS_METHODS));
    const captureMethod = c.optional('captureMethod', (n) => c.oneOf(n, CAPTURE_METHODS));
    const sessionKey = c.optional('sessionKey', (n) => c.object(n));
    return {
      card: {
        ...(threeDsMethod !== undefined && { threeDsMethod }),
        ...(captureMethod !== undefined && { captureMethod }),
        ...(sessionKey !== undefined && {
          sessionKey: { publicKey: sessionKey.string('publicKey'), sealedPrivateKey: sessionKey.string('sealedPrivateKey') },
        }),
      },
    };
  },

  encodeDetails(charge: Charge): StoredDetails {
    const c = charge.card;
    if (!c) throw new Error(`charge ${charge.id} has no card details`);
    return {
      threeDsMethod: c.threeDsMethod,
      captureMethod: c.captureMethod,
      ...(c.card && { card: { ...c.card } }),
      ...(c.challenge && { challenge: { ...c.challenge } }),
      ...(c.authentication && { authentication: { ...c.authentication } }),
      ...(c.authorization && { authorization: { ...c.authorization } }),
      ...(c.fds && { fds: { ...c.fds, evaluatedAt: c.fds.evaluatedAt.getTime() } }),
      ...(c.recommendation !== undefined && { recommendation: c.recommendation }),
      ...(c.captures && { captures: c.captures.map((r) => ({ ...r, createdAt: r.createdAt.getTime() })) }),
    };
  },

  decodeDetails(stored) {
    const c = StoredObject.read(stored, 'card charge');
    const object = (name: string) => c.optional(name, (n) => c.object(n));
    const card = object('card');
    const challenge = object('challenge');
    const authentication = object('authentication');
    const authorization = object('authorization');
    const fds = object('fds');
    const recommendation = c.optional('recommendation', (n) => c.string(n));
    const captures = c.optional('captures', (n) => c.objects(n));
    return {
      card: {
        threeDsMethod: c.oneOf('threeDsMethod', CHARGE_THREE_DS_METHODS),
        captureMethod: c.oneOf('captureMethod', CAPTURE_METHODS),
        ...(card && { card: storedCard(card) }),
        ...(challenge && { challenge: { verdict: challenge.string('verdict'), wrongOtps: challenge.number('wrongOtps') } }),
        ...(authentication && { authentication: storedAuthentication(authentication) }),
        ...(authorization && { authorization: storedAuthorization(authorization) }),
        ...(fds && { fds: storedFds(fds) }),
        ...(recommendation !== undefined && { recommendation }),
        ...(captures && { captures: captures.map(storedCapture) }),
      },
    };
  },
};

function storedCard(c: StoredObject): TakenCard {
  return {
    first6: c.string('first6'),
    first8: c.string('first8'),
    last4: c.string('last4'),
    brand: c.oneOf('brand', CARD_NETWORKS),
    expMonth: c.string('expMonth'),
    expYear: c.string('expYear'),
    fingerprint: c.string('fingerprint'),
    sandboxIssuer: c.boolean('sandboxIssuer'),
  };
}

function storedAuthentication(a: StoredObject): AuthenticationResult {
  return {
    threeDsVersion: a.string('threeDsVersion'),
    threeDsResult: a.oneOf('threeDsResult', THREE_DS_RESULTS),
    threeDsMethod: a.oneOf('threeDsMethod', AUTHENTICATION_FLOWS),
    eciCode: a.string('eciCode'),
  };
}

function storedAuthorization(a: StoredObject): AuthorizationResult {
  const amount = a.nullable('authorizedAmount', (n) => a.object(n));
  return {
    acquirerReferenceNumber: a.string('acquirerReferenceNumber'),
    retrievalReferenceNumber: a.string('retrievalReferenceNumber'),
    stan: a.string('stan'),
    avsResult: a.string('avsResult'),
    cvvResult: a.oneOf('cvvResult', CVV_RESULTS),
    authorizedAmount: amount && { value: amount.number('value'), currency: amount.string('currency') },
    issuerAuthorizationCode: a.nullable('issuerAuthorizationCode', (n) => a.string(n)),
  };
}

function storedFds(f: StoredObject): FdsAssessment {
  return {
    score: f.number('score'),
    level: f.oneOf('level', FDS_LEVELS),
    recommendation: f.oneOf('recommendation', FDS_RECOMMENDATIONS),
    status: f.oneOf('status', FDS_STATUSES),
    evaluatedAt: new Date(f.number('evaluatedAt')),
  };
}

function storedCapture(r: StoredObject): CaptureRecord {
  const id = r.string('id');
  const requestId = r.optional('requestId', (n) => r.string(n));
  const taken = { amount: r.number('amount'), releaseRemainingAmount: r.boolean('releaseRemainingAmount') };
  return { id, ...taken, createdAt: new Date(r.number('createdAt')), ...(requestId !== undefined && { requestId }) };
}

/**
 * A manual-capture charge reports what was taken of its authorization so far, and each capture
 * (pivot-api §6.2: the example's capturedAmount, not the table's captureAmount).
 */
function captureWire(charge: Charge) {
  const captured = capturedTotal(charge);
  return {
    capturedAmount: captured > 0 ? { value: captured, currency: charge.amount.currency } : null,
    isCaptured: captured > 0,
    captureHistories: (charge.card?.captures ?? []).map((r) => ({
      captureId: r.id,
      currency: charge.amount.currency,
      capturedAmount: r.amount,
      status: 'SUCCESS',
      createdAt: r.createdAt.toISOString(),
    })),
  };
}
