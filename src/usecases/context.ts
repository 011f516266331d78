// What every use case needs from the outside world, passed in so tests can fix the clock and ids.
import { randomUUID } from 'node:crypto';
import { DEFAULT_SANDBOX_REFUND_DELAY_MS, type KasirEnv } from '../config.ts';
import type { Tokens } from '../security/tokens.ts';
import type { CardSecrets } from '../security/card-secrets.ts';
import { randomDigits } from '../security/secrets.ts';
import type { Database } from '../store/schema.ts';
import type { Mode, PaymentMethodType, RefundStatus, SessionStatus } from '../domain/statuses.ts';

/**
 * What /metrics counts of changes once they have committed (the metrics adapter implements it: use cases
 * may not import adapters). `method` is the session's payment method type, or NONE before one is chosen.
 */
export interface ChangeMetrics {
  sessionCreated(method: PaymentMethodType | 'NONE', mode: Mode): void;
  sessionTransitioned(method: PaymentMethodType | 'NONE', from: SessionStatus, to: SessionStatus): void;
  /** A refund was created at, or moved to, `status`. */
  refundReached(status: RefundStatus): void;
}

export interface Context {
  db: Database;
  now: () => Date;
  newId: () => string;
  randomDigits: (count: number) => string;
  tokens: Tokens;
  /** Card fingerprints and API-mode session keys (derived from the token secret). */
  cardSecrets: CardSecrets;
  env: KasirEnv;
  publicUrl: string;
  /** Sandbox only: how long a refund waits before each step it takes by itself. */
  sandboxRefundDelayMs: number;
  /** Nudged after a commit that enqueued callbacks, so delivery need not wait for the next poll. */
  onCallbacksEnqueued?: () => void;
  /** Told of each committed creation and status change (compose.ts wires the app's /metrics here). */
  metrics?: ChangeMetrics;
}

/**
 * Ids of the rows Kasir creates (sessions, charges, callbacks): time-ordered UUIDs (RFC 9562 version 7), not
 * random ones (v4). They are primary keys and sit in secondary indexes, and a random key puts every insert on
 * a different B-tree page; with v7 consecutive rows share pages, which halved the pages SQLite writes per
 * expired session (bench/sweeper.ts). Nothing treats an id as a secret; each still has 74 random bits.
 *
 * The random bits are node:crypto's v4 UUID's (drawn from its buffered entropy pool; the uuid package asks the
 * OS for 16 bytes per id, 5% of the sweeper's CPU): its first 48 bits become the millisecond timestamp and
 * its version nibble a 7. Its variant bits already say RFC 9562.
 */
export function newRecordId(now = Date.now()): string {
  const random = randomUUID();
  const ms = now.toString(16).padStart(12, '0');
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${random.slice(15)}`;
}

export function makeContext(
  parts: Pick<Context, 'db' | 'tokens' | 'cardSecrets' | 'env' | 'publicUrl'> & Partial<Context>,
): Context {
  return {
    now: () => new Date(),
    newId: () => newRecordId(),
    randomDigits,
    sandboxRefundDelayMs: DEFAULT_SANDBOX_REFUND_DELAY_MS,
    ...parts,
  };
}
