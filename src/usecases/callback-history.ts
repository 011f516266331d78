// Callback history and manual resend, as the merchant API shows them (Kasir extensions: Pivot keeps
// its callback history in the dashboard). Only the merchant's own callbacks are ever visible.
import { Refusal } from '../domain/refusal.ts';
import {
  CALLBACK_STATUSES,
  attemptsOf,
  findCallback,
  listCallbacks,
  scheduleResend,
  type CallbackAttempt,
  type CallbackFilter,
  type CallbackRecord,
  type CallbackStatus,
} from '../store/callbacks.ts';
import type { CallbackEvent, ResourceType } from '../domain/statuses.ts';
import { recordAudit, type AuditActor } from './audit-log.ts';
import type { Context } from './context.ts';
import { pagination, type PageRequest } from './pagination.ts';

/** The delivery states a callback can be in, for filters and the wire schema. */
export { CALLBACK_STATUSES };

export interface CallbackView {
  id: string;
  resourceType: ResourceType;
  resourceId: string;
  paymentSessionId: string | null;
  event: CallbackEvent;
  status: CallbackStatus;
  attemptCount: number;
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
  payload: unknown;
  attempts: AttemptView[];
}

/** One delivery attempt, as the callback history and the dashboard's timeline show it. */
export interface AttemptView {
  attemptedAt: string;
  httpStatus: number | null;
  latencyMs: number;
  responseExcerpt: string | null;
  error: string | null;
}

export function attemptView(a: CallbackAttempt): AttemptView {
  return {
    attemptedAt: a.attemptedAt.toISOString(),
    httpStatus: a.httpStatus,
    latencyMs: a.latencyMs,
    responseExcerpt: a.responseExcerpt,
    error: a.error,
  };
}

/** When the next attempt is due, while one is still to come (a delivered or failed callback has none). */
export function nextAttemptAt(callback: CallbackRecord): string | null {
  const waiting = callback.status === 'PENDING' || callback.status === 'DELIVERING';
  return waiting ? callback.nextAttemptAt.toISOString() : null;
}

function view(callback: CallbackRecord, attempts: CallbackAttempt[]): CallbackView {
  return {
    id: callback.id,
    resourceType: callback.resourceType,
    resourceId: callback.resourceId,
    paymentSessionId: callback.resourceType === 'payment_session' ? callback.resourceId : null,
    event: callback.event,
    status: callback.status,
    attemptCount: callback.attemptCount,
    nextAttemptAt: nextAttemptAt(callback),
    createdAt: callback.createdAt.toISOString(),
    deliveredAt: callback.deliveredAt?.toISOString() ?? null,
    payload: JSON.parse(callback.payload),
    attempts: attempts.map(attemptView),
  };
}

export async function callbackHistory(ctx: Context, merchantId: string, filter: CallbackFilter, page: PageRequest) {
  const { callbacks, totalItems } = await listCallbacks(ctx.db, merchantId, filter, page.page, page.perPage);
  const attempts = await attemptsOf(
    ctx.db,
    callbacks.map((c) => c.id),
  );
  return {
    callbacks: callbacks.map((c) => view(c, attempts.get(c.id) ?? [])),
    pagination: pagination(page, totalItems),
  };
}

function missing(id: string): Refusal {
  return new Refusal('not_found', 'resource_missing', `The callback with ID ${id} cannot be found`);
}

/**
 * Due again now, with a fresh retry cycle; the history is kept. With `actor`, the resend is recorded in the
 * audit log in the same transaction.
 */
export async function resendCallback(ctx: Context, merchantId: string, id: string, actor?: AuditActor): Promise<CallbackView> {
  const now = ctx.now();
  const scheduled = actor
    ? await ctx.db.transaction().execute(async (trx) => {
        if (!(await scheduleResend(trx, merchantId, id, now))) return false;
        await recordAudit(ctx, trx, { merchantId, actor, action: 'callback.resend', resource: { type: 'callback', id } });
        return true;
      })
    : await scheduleResend(ctx.db, merchantId, id, now);
  if (!scheduled) {
    const existing = await findCallback(ctx.db, merchantId, id);
    if (!existing) throw missing(id);
    throw new Refusal('state', 'invalid_state', 'The callback is being delivered right now; try again when this attempt ends');
  }
  ctx.onCallbacksEnqueued?.();
  const callback = await findCallback(ctx.db, merchantId, id);
  if (!callback) throw missing(id);
  const attempts = await attemptsOf(ctx.db, [id]);
  return view(callback, attempts.get(id) ?? []);
}
