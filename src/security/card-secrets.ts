// The server keys around cards, derived from the token secret (HKDF, one key per purpose): the keyed
// fingerprint of a card number, and the sealing of each API-mode session's RSA private key. A database
// copy alone reveals neither a card number nor a session's private key as long as the token secret is
// not in it — set KASIR_TOKEN_SECRET in production; without it Kasir keeps its generated secret in the
// database, and a copy of the database is then a copy of the keys.
import {
  constants,
  createCipheriv,
  createDecipheriv,
  createHmac,
  createPrivateKey,
  generateKeyPair,
  hkdfSync,
  privateDecrypt,
  randomBytes,
} from 'node:crypto';
import { promisify } from 'node:util';

const generateRsa = promisify(generateKeyPair);

export interface SealedSessionKey {
  /** Base64 DER SubjectPublicKeyInfo: what Pivot's encryptionKey carries. */
  publicKey: string;
  /** base64url(iv ‖ tag ‖ AES-256-GCM(PKCS#8 DER)), bound to the session id. */
  sealedPrivateKey: string;
}

/** Thrown for any ciphertext that does not open: the caller answers card_decryption_failed, whatever the cause. */
export class CardDecryptionError extends Error {
  constructor() {
    super('the encrypted card could not be decrypted');
    this.name = 'CardDecryptionError';
  }
}

const RSA_BITS = 2048;

/** An RSA key pair as Pivot's encryptionKey needs it: DER SubjectPublicKeyInfo, DER PKCS#8. */
export interface SessionKeyPair {
  publicKey: Buffer;
  privateKey: Buffer;
}

/** Where each session's key pair comes from. */
export type SessionKeyPairs = () => Promise<SessionKeyPair>;

/** A new 2048-bit pair every time, generated off the event loop (about 140 ms of a core each). */
export const freshSessionKeyPairs: SessionKeyPairs = () =>
  generateRsa('rsa', {
    modulusLength: RSA_BITS,
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'der' },
  });

export class CardSecrets {
  private readonly fingerprintKey: Buffer;
  private readonly sealingKey: Buffer;

  /** `keyPairs` is for tests that create many card sessions; Kasir itself always draws fresh pairs. */
  constructor(
    tokenSecret: string,
    private readonly keyPairs: SessionKeyPairs = freshSessionKeyPairs,
  ) {
    const derive = (info: string) => Buffer.from(hkdfSync('sha256', tokenSecret, 'kasir', info, 32));
    this.fingerprintKey = derive('card fingerprint');
    this.sealingKey = derive('card session key sealing');
  }

  /** The same number always gives the same fingerprint here; without the key it cannot be tested against guesses. */
  fingerprint(cardNumber: string): string {
    return createHmac('sha256', this.fingerprintKey).update(cardNumber).digest('hex').slice(0, 32);
  }

  /** An e-wallet account's fingerprint: the same key, its own input, so it never equals a card's. */
  walletFingerprint(channel: string, mobileNumber: string): string {
    return this.fingerprint(`ewallet:${channel}:${mobileNumber}`);
  }

  /** An RSA key pair for one session; the private half sealed, bound to the session id. */
  async newSessionKey(sessionId: string): Promise<SealedSessionKey> {
    const { publicKey, privateKey } = await this.keyPairs();
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.sealingKey, iv);
    cipher.setAAD(Buffer.from(sessionId));
    const sealed = Buffer.concat([cipher.update(privateKey), cipher.final()]);
    return {
      publicKey: publicKey.toString('base64'),
      sealedPrivateKey: Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url'),
    };
  }

  /** The plaintext a merchant's page encrypted with the session's public key (RSA-OAEP, SHA-256). */
  decrypt(sessionId: string, sealedPrivateKey: string, ciphertextBase64: string): Buffer {
    try {
      const packed = Buffer.from(sealedPrivateKey, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', this.sealingKey, packed.subarray(0, 12));
      decipher.setAAD(Buffer.from(sessionId));
      decipher.setAuthTag(packed.subarray(12, 28));
      const der = Buffer.concat([decipher.update(packed.subarray(28)), decipher.final()]);
      const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(ciphertextBase64)) throw new CardDecryptionError();
      return privateDecrypt(
        { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
        Buffer.from(ciphertextBase64, 'base64'),
      );
    } catch {
      throw new CardDecryptionError();
    }
  }
}
