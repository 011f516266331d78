// What every use case needs from the outside world, passed in so tests can fix the clock and ids.
import { randomUUID } from 'node:crypto';
import type { KasirEnv } from '../config.ts';
import type { Tokens } from '../security/tokens.ts';
import { randomDigits } from '../security/secrets.ts';
import type { Database } from '../store/schema.ts';

export interface Context {
  db: Database;
  now: () => Date;
  newId: () => string;
  randomDigits: (count: number) => string;
  tokens: Tokens;
  env: KasirEnv;
  publicUrl: string;
  /** Nudged after a commit that enqueued callbacks, so delivery need not wait for the next poll. */
  onCallbacksEnqueued?: () => void;
}

export function makeContext(parts: Pick<Context, 'db' | 'tokens' | 'env' | 'publicUrl'> & Partial<Context>): Context {
  return {
    now: () => new Date(),
    newId: randomUUID,
    randomDigits,
    ...parts,
  };
}
