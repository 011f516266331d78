// The operator's merchant picker: an operator sees every merchant and picks the one the other screens show.
import type { FastifyInstance } from 'fastify';
import { merchantChoices, pickMerchant } from '../usecases/dashboard-sessions.ts';
import type { DashboardKit } from './plugin.ts';
import { merchantsPage } from './views.ts';

export function merchantsScreen(app: FastifyInstance, kit: DashboardKit): void {
  app.get('/merchants', { schema: { hide: true } }, async (request, reply) => {
    const signed = await kit.requireUser(request);
    kit.requireRole(signed, 'merchant.pick');
    const choices = await merchantChoices(kit.ctx, signed.user.role);
    return kit.send(reply, merchantsPage(kit.shell(request, reply, signed, 'merchants'), choices, signed.merchant?.id ?? null));
  });

  app.post('/merchants', { schema: { hide: true } }, async (request, reply) => {
    const signed = await kit.requireUser(request);
    kit.requireRole(signed, 'merchant.pick');
    if (!(await pickMerchant(kit.ctx, signed, (kit.field(request, 'merchantId') ?? '').slice(0, 100)))) {
      kit.refuse(404, 'errorNotFound');
    }
    return reply.redirect('/dashboard/overview', 303);
  });
}
