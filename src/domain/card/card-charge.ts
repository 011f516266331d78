// A card charge as Kasir keeps it: the card's options, the digits it may keep of the number, and what
// 3-D Secure, the fraud check and the issuer said. Its wire shape is Pivot's card object (§6.2) plus the
// charge's fdsRiskAssessment.
import type { Money } from '../session.ts';
import type { CaptureRecord } from './captures.ts';
import type { CardDigits } from './pan.ts';

/** EXTERNAL (the merchant ran 3-D Secure elsewhere, with threeDsInfo) is accepted on the wire and refused by the rules. */
export const THREE_DS_METHODS = ['AUTOMATIC', 'CHALLENGE', 'NEVER', 'EXTERNAL'] as const;
export type ThreeDsMethod = (typeof THREE_DS_METHODS)[number];
/** What a charge runs: EXTERNAL never gets this far. */
export const CHARGE_THREE_DS_METHODS = ['AUTOMATIC', 'CHALLENGE', 'NEVER'] as const satisfies readonly ThreeDsMethod[];

/** Pivot's table writes automatic/manual, its examples MANUAL: both are read, the lower case is kept. */
export const CAPTURE_METHODS = ['automatic', 'manual'] as const;
export type CaptureMethod = (typeof CAPTURE_METHODS)[number];

/**
 * The RSA key a merchant's own page encrypts the card with (API mode): the public half as Pivot sends it
 * (base64 SPKI), the private half sealed with a key only the server holds (security/card-secrets.ts).
 */
export interface SessionKey {
  publicKey: string;
  sealedPrivateKey: string;
}

export interface CardOptions {
  threeDsMethod?: ThreeDsMethod;
  captureMethod?: CaptureMethod;
  sessionKey?: SessionKey;
}

/** The card that paid, as far as Kasir may keep it. */
export interface TakenCard extends CardDigits {
  expMonth: string;
  expYear: string;
  /** HMAC of the number under a server key: the same card gives the same value, and it cannot be reversed without the key. */
  fingerprint: string;
  /** Pivot's test cards come from a fictional sandbox issuer; other cards' issuers are unknown to Kasir. */
  sandboxIssuer: boolean;
}

// The names each result may hold, as lists: its type, and the check of a stored charge (methods/card.ts).
export const THREE_DS_RESULTS = ['Y', 'N'] as const;
export const AUTHENTICATION_FLOWS = ['FRICTIONLESS', 'CHALLENGE'] as const;
export const CVV_RESULTS = ['M', 'N'] as const;
export const FDS_LEVELS = ['LOW', 'MEDIUM', 'HIGH'] as const;
export const FDS_RECOMMENDATIONS = ['Approve', 'Reject'] as const;
export const FDS_STATUSES = ['PASSED', 'REJECTED'] as const;

export interface AuthenticationResult {
  threeDsVersion: string;
  threeDsResult: (typeof THREE_DS_RESULTS)[number];
  threeDsMethod: (typeof AUTHENTICATION_FLOWS)[number];
  eciCode: string;
}

export interface AuthorizationResult {
  acquirerReferenceNumber: string;
  retrievalReferenceNumber: string;
  stan: string;
  avsResult: string;
  cvvResult: (typeof CVV_RESULTS)[number];
  authorizedAmount: Money | null;
  issuerAuthorizationCode: string | null;
}

export interface FdsAssessment {
  score: number;
  level: (typeof FDS_LEVELS)[number];
  recommendation: (typeof FDS_RECOMMENDATIONS)[number];
  status: (typeof FDS_STATUSES)[number];
  evaluatedAt: Date;
}

export interface CardCharge {
  threeDsMethod: (typeof CHARGE_THREE_DS_METHODS)[number];
  captureMethod: CaptureMethod;
  /** Set once the shopper's card is in. */
  card?: TakenCard;
  /** While a 3-D Secure challenge is open: what the sandbox issuer answers once it is passed, and wrong OTPs so far. */
  challenge?: { verdict: string; wrongOtps: number };
  authentication?: AuthenticationResult;
  authorization?: AuthorizationResult;
  fds?: FdsAssessment;
  /** What the merchant should do after a failure (pivot-api §10.5). */
  recommendation?: string;
  /** Manual capture: each capture taken of the authorization, oldest first. */
  captures?: CaptureRecord[];
}

// ---- wire ----

export interface CardWire {
  first6: string;
  first8: string;
  last4: string;
  expMonth: string;
  expYear: string;
  fingerprint: string;
  binInformations: { type: string | null; issuingBank: string | null; brand: string; country: string | null };
  authenticationResult: AuthenticationResult | null;
  authorizationResult: AuthorizationResult | null;
}

export interface FdsWire {
  score: number;
  level: string;
  recommendation: string;
  status: string;
  evaluatedAt: string;
}

export function cardWire(charge: CardCharge): CardWire | undefined {
  const card = charge.card;
  if (!card) return undefined;
  return {
    first6: card.first6,
    first8: card.first8,
    last4: card.last4,
    expMonth: card.expMonth,
    expYear: card.expYear,
    fingerprint: card.fingerprint,
    binInformations: card.sandboxIssuer
      ? { type: 'CREDIT', issuingBank: 'Kasir Sandbox Bank', brand: card.brand, country: 'ID' }
      : { type: null, issuingBank: null, brand: card.brand, country: null },
    authenticationResult: charge.authentication ?? null,
    authorizationResult: charge.authorization ?? null,
  };
}

export function fdsWire(fds: FdsAssessment | undefined): FdsWire | undefined {
  return fds && { ...fds, evaluatedAt: fds.evaluatedAt.toISOString() };
}
