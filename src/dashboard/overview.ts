// The Overview screen (GET /dashboard/overview), where a merchant's user lands after signing in.
import type { FastifyInstance } from 'fastify';
import { overviewStats } from '../usecases/dashboard/overview.ts';
import type { DashboardKit } from './plugin.ts';
import { overviewPage } from './overview-views.ts';

export function overviewScreen(app: FastifyInstance, kit: DashboardKit): void {
  app.get('/overview', { schema: { hide: true } }, async (request, reply) => {
    const signed = await kit.requireUser(request);
    kit.requireRole(signed, 'overview.read');
    const merchantId = kit.merchantOf(signed, reply);
    if (!merchantId) return reply;
    const stats = await overviewStats(kit.ctx, merchantId);
    return kit.send(reply, overviewPage(kit.shell(request, reply, signed, 'overview'), stats));
  });
}
