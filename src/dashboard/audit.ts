// The audit log screen: who did what, newest first. Operators see every merchant's entries; a merchant's
// people (owners, by the role table) only their own merchant's.
import type { FastifyInstance } from 'fastify';
import { auditLogPage } from '../usecases/audit-log.ts';
import type { DashboardKit } from './plugin.ts';
import { auditPage } from './views.ts';

const PER_PAGE = 25;
const MAX_PAGE = 100_000;

export function auditScreen(app: FastifyInstance, kit: DashboardKit): void {
  app.get('/audit', { schema: { hide: true } }, async (request, reply) => {
    const signed = await kit.requireUser(request);
    kit.requireRole(signed, 'audit.read');
    const raw = kit.query(request, 'page') ?? '1';
    const page = /^[1-9]\d{0,5}$/.test(raw) ? Number(raw) : undefined;
    if (page === undefined || page > MAX_PAGE) kit.refuse(400, 'errorRequest');
    const operator = signed.user.role === 'operator';
    const merchantId = operator ? undefined : (signed.user.merchantId ?? undefined);
    if (!operator && merchantId === undefined) kit.refuse(403, 'errorForbidden');
    const result = await auditLogPage(kit.ctx, merchantId, { page, perPage: PER_PAGE });
    return kit.send(reply, auditPage(kit.shell(request, reply, signed, 'audit'), result.entries, result.pagination, operator));
  });
}
