// Whether Kasir can serve: /healthz (liveness) asks nothing of the database, so an outage never gets the
// process restarted; /readyz (readiness) asks it one trivial question with a short bound, so a load
// balancer stops sending traffic while it is unreachable or frozen. Adapters also ask here whether a
// failure was the database being unavailable (503, retry) rather than a bug (500).
import { undeliveredBacklog } from '../store/callbacks.ts';
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

/** The outbox's backlog for the operator's metrics: how many callbacks wait, and for how long the oldest has. */
export async function outboxBacklog(ctx: Context): Promise<{ pending: number; oldestAgeSeconds: number }> {
  const { count, oldestCreatedAt } = await undeliveredBacklog(ctx.db);
  const oldestAgeSeconds = oldestCreatedAt === null ? 0 : Math.max(0, (ctx.now().getTime() - oldestCreatedAt) / 1000);
  return { pending: count, oldestAgeSeconds };
}
