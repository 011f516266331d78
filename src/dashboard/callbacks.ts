// The Callbacks screen: GET /dashboard/callbacks lists the merchant's undelivered callbacks (a filter, keyset
// pages); POST /dashboard/callbacks/:id/resend resends one, POST /dashboard/callbacks/resend all of a filter.
// Each resend goes through the API's own resend use case and is written to the audit log with the user.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Refusal } from '../domain/refusal.ts';
import type { SignedIn } from '../usecases/dashboard-sessions.ts';
import { resendCallback } from '../usecases/callback-history.ts';
import {
  resendUndelivered,
  undeliveredCallbacks,
  undeliveredQueryFromQuery,
  type UndeliveredQuery,
} from '../usecases/dashboard/callbacks.ts';
import { callbacksPage, type CallbacksNotice } from './callback-views.ts';
import type { DashboardKit } from './plugin.ts';

const PER_PAGE = 50;
const MAX_ID = 200;

export function callbacksScreen(app: FastifyInstance, kit: DashboardKit): void {
  /** The filter from the query string (GET) or the form's hidden fields (POST); a bad one is the 400 page. */
  function filterOf(request: FastifyRequest, read: (name: string) => string | undefined): UndeliveredQuery {
    try {
      return undeliveredQueryFromQuery({ status: read('status'), resourceType: read('resourceType'), event: read('event') });
    } catch (error) {
      if (error instanceof Refusal) kit.refuse(400, 'cbBadFilter');
      throw error;
    }
  }

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    signed: SignedIn,
    merchantId: string,
    query: UndeliveredQuery,
    options: { cursor?: string; notice?: CallbacksNotice; status?: number } = {},
  ) {
    let list;
    try {
      list = await undeliveredCallbacks(kit.ctx, merchantId, query, {
        limit: PER_PAGE,
        ...(options.cursor !== undefined && { cursor: options.cursor }),
      });
    } catch (error) {
      if (error instanceof Refusal) kit.refuse(400, 'errorRequest');
      throw error;
    }
    const page = callbacksPage(
      kit.shell(request, reply, signed, 'callbacks'),
      query,
      list,
      options.cursor !== undefined,
      options.notice,
    );
    return kit.send(reply, page, options.status);
  }

  /** Signed in (CSRF checked on a POST), allowed to `action`, on the session's merchant. */
  async function enter(request: FastifyRequest, reply: FastifyReply, action: 'callbacks.read' | 'callbacks.resend') {
    const signed = await kit.requireUser(request);
    kit.requireRole(signed, action);
    const merchantId = kit.merchantOf(signed, reply);
    return merchantId ? { signed, merchantId } : undefined;
  }

  app.get('/callbacks', { schema: { hide: true } }, async (request, reply) => {
    const entered = await enter(request, reply, 'callbacks.read');
    if (!entered) return reply;
    const query = filterOf(request, (name) => kit.query(request, name));
    const cursor = kit.query(request, 'cursor');
    return render(request, reply, entered.signed, entered.merchantId, query, cursor ? { cursor: cursor.slice(0, 300) } : {});
  });

  app.post('/callbacks/resend', { schema: { hide: true } }, async (request, reply) => {
    const entered = await enter(request, reply, 'callbacks.resend');
    if (!entered) return reply;
    const { signed, merchantId } = entered;
    const query = filterOf(request, (name) => kit.field(request, name));
    const result = await resendUndelivered(kit.ctx, merchantId, query, kit.actorOf(signed));
    const t = kit.viewEnv(request, reply).t;
    const lines = [t('cbResentAll', { queued: result.queued })];
    if (result.skipped > 0) lines.push(t('cbResentSkipped', { skipped: result.skipped }));
    if (result.more) lines.push(t('cbResentMore'));
    return render(request, reply, signed, merchantId, query, { notice: { kind: 'info', lines } });
  });

  app.post<{ Params: { id: string } }>('/callbacks/:id/resend', { schema: { hide: true } }, async (request, reply) => {
    const entered = await enter(request, reply, 'callbacks.resend');
    if (!entered) return reply;
    const { signed, merchantId } = entered;
    const query = filterOf(request, (name) => kit.field(request, name));
    const id = request.params.id;
    if (id.length > MAX_ID) kit.refuse(404, 'errorNotFound');
    const t = kit.viewEnv(request, reply).t;
    try {
      await resendCallback(kit.ctx, merchantId, id, kit.actorOf(signed));
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      if (error.kind === 'not_found') kit.refuse(404, 'errorNotFound');
      return render(request, reply, signed, merchantId, query, { notice: { kind: 'error', lines: [t('cbBusy')] }, status: 409 });
    }
    return render(request, reply, signed, merchantId, query, { notice: { kind: 'info', lines: [t('cbResentOne', { id })] } });
  });
}
