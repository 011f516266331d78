// Whether Kasir can serve: /healthz (liveness) asks nothing of the database, so an outage never gets the
// process restarted; /readyz (readiness) asks it one trivial question with a short bound, so a load
// balancer stops sending traffic while it is unreachable or frozen. Adapters also ask here whether a
// failure was the database being unavailable (503, retry) rather than a bug (500).
import { isDatabaseUnavailable } from '../store/faults.ts';
import type { Context } from './context.ts';

export { isDatabaseUnavailable };

/** Resolves when the database answers a trivial query within `boundMs`; throws what went wrong otherwise. */
export async function checkReadiness(ctx: Context, boundMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`the database did not answer within ${boundMs} ms`)), boundMs);
  });
  try {
    await Promise.race([ctx.db.selectFrom('settings').select('key').limit(1).execute(), late]);
  } finally {
    clearTimeout(timer);
  }
}
