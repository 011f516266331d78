// Card sessions in API mode each get an RSA-2048 key pair, about 140 ms of a core to generate: the api and
// browser tests made 127 of them, 5% of the suite's CPU. Harness apps draw from a few pairs per worker
// instead, generated on first use and handed out in turn, so sessions created one after the other never
// share a key. test/api/payments/card.test.ts keeps Kasir's fresh pairs: it asserts what freshness promises.
import { freshSessionKeyPairs, type SessionKeyPair, type SessionKeyPairs } from '../../src/security/card-secrets.ts';

const POOL_SIZE = 4;
const pool = new Map<number, Promise<SessionKeyPair>>();
let turn = 0;

export const recycledSessionKeyPairs: SessionKeyPairs = () => {
  const slot = turn++ % POOL_SIZE;
  let pair = pool.get(slot);
  if (!pair) {
    pair = freshSessionKeyPairs();
    pool.set(slot, pair);
    // A failed generation is not kept: that slot's next turn tries again.
    pair.catch(() => pool.delete(slot));
  }
  return pair;
};
