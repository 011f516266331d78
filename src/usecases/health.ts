// GET /healthz: the process is up and its database answers.
import type { Context } from './context.ts';

export async function checkHealth(ctx: Context): Promise<void> {
  await ctx.db.selectFrom('settings').select('key').limit(1).execute();
}
