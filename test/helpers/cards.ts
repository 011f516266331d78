// Card test plumbing: a card session body, and the encryption a merchant's own page does with the
// session's encryptionKey (RSA-OAEP, SHA-256, with Node's own crypto).
import { constants, createPublicKey, publicEncrypt } from 'node:crypto';
import { uniqueReference } from './harness.ts';

export const REDIRECT_URLS = {
  successReturnUrl: 'https://merchant.com/success',
  failureReturnUrl: 'https://merchant.com/failure',
  expirationReturnUrl: 'https://merchant.com/expiration',
};

export function cardSessionBody(overrides: Record<string, unknown> = {}, card: Record<string, unknown> = {}) {
  return {
    clientReferenceId: uniqueReference(),
    amount: { value: 150_000, currency: 'IDR' },
    redirectUrl: REDIRECT_URLS,
    paymentMethod: { type: 'CARD' },
    paymentMethodOptions: { card: { captureMethod: 'automatic', ...card } },
    customer: { givenName: 'Budi', surname: 'Santoso', email: 'budi@example.com' },
    ...overrides,
  };
}

/** A card as a merchant's page encrypts it. */
export interface PlainCard {
  number: string;
  expMonth: string | number;
  expYear: string | number;
  cvc: string;
  cardHolderName?: string;
}

export function encryptCard(encryptionKey: string, card: PlainCard | string): string {
  const key = createPublicKey({ key: Buffer.from(encryptionKey, 'base64'), format: 'der', type: 'spki' });
  const plaintext = typeof card === 'string' ? card : JSON.stringify(card);
  return publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from(plaintext)).toString(
    'base64',
  );
}

export const futureExpiry = (now = new Date()) => ({ expMonth: '12', expYear: String(now.getUTCFullYear() + 3) });
