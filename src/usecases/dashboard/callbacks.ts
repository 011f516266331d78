// The dashboard's Callbacks screen: a merchant's callbacks that were not delivered — waiting for a retry
// (PENDING) or given up on (FAILED) — about payments and refunds alike, each with why its last attempt
// failed; and "resend all of these", a bounded batch through the one resend use case the API uses.
import { Refusal, type FieldProblem } from '../../domain/refusal.ts';
import { CALLBACK_EVENTS, RESOURCE_TYPES, type CallbackEvent, type ResourceType } from '../../domain/statuses.ts';
import { attemptsOf, type CallbackAttempt } from '../../store/callbacks.ts';
import {
  UNDELIVERED_STATUSES,
  oldestUndeliveredIds,
  undeliveredCallbacks as undeliveredRows,
  type UndeliveredFilter,
  type UndeliveredStatus,
} from '../../store/dashboard-callbacks.ts';
import { recordAudit, type AuditActor } from '../audit-log.ts';
import { resendCallback } from '../callback-history.ts';
import type { Context } from '../context.ts';
import { checkPageSize, decodeCursor, encodeCursor, type PageOptions } from './pages.ts';

export { UNDELIVERED_STATUSES, type UndeliveredStatus };

export interface UndeliveredQuery {
  status?: UndeliveredStatus;
  resourceType?: ResourceType;
  event?: CallbackEvent;
}

export interface UndeliveredCallback {
  id: string;
  event: CallbackEvent;
  resourceType: ResourceType;
  resourceId: string;
  status: UndeliveredStatus;
  attemptCount: number;
  createdAt: string;
  /** When the next retry is due (PENDING); null once given up (FAILED). */
  nextAttemptAt: string | null;
  /** The last attempt and why it failed; null when none was made yet. */
  lastAttempt: {
    attemptedAt: string;
    httpStatus: number | null;
    latencyMs: number;
    responseExcerpt: string | null;
    error: string | null;
  } | null;
}

/** At most this many callbacks are resent by one "resend all" (the rest by the next call). */
export const RESEND_BATCH_LIMIT = 500;

function storeFilter(merchantId: string, query: UndeliveredQuery): UndeliveredFilter {
  return {
    merchantId,
    ...(query.status !== undefined && { status: query.status }),
    ...(query.resourceType !== undefined && { resourceType: query.resourceType }),
    ...(query.event !== undefined && { event: query.event }),
  };
}

function lastOf(attempts: CallbackAttempt[]): UndeliveredCallback['lastAttempt'] {
  const last = attempts[attempts.length - 1];
  return last
    ? {
        attemptedAt: last.attemptedAt.toISOString(),
        httpStatus: last.httpStatus,
        latencyMs: last.latencyMs,
        responseExcerpt: last.responseExcerpt,
        error: last.error,
      }
    : null;
}

/** One page of the merchant's undelivered callbacks matching `query`, newest first. */
export async function undeliveredCallbacks(
  ctx: Context,
  merchantId: string,
  query: UndeliveredQuery,
  page: PageOptions = {},
): Promise<{ callbacks: UndeliveredCallback[]; nextCursor: string | null }> {
  const limit = checkPageSize(page);
  const after = page.cursor === undefined ? null : decodeCursor(page.cursor);
  const rows = await undeliveredRows(ctx.db, storeFilter(merchantId, query), after, limit + 1);
  const shown = rows.slice(0, limit);
  const attempts = await attemptsOf(
    ctx.db,
    shown.map((c) => c.id),
  );
  const last = shown[shown.length - 1];
  return {
    callbacks: shown.map((c) => ({
      id: c.id,
      event: c.event,
      resourceType: c.resourceType,
      resourceId: c.resourceId,
      // The query asked for these two statuses only.
      status: c.status === 'FAILED' ? 'FAILED' : 'PENDING',
      attemptCount: c.attemptCount,
      createdAt: c.createdAt.toISOString(),
      nextAttemptAt: c.status === 'PENDING' ? c.nextAttemptAt.toISOString() : null,
      lastAttempt: lastOf(attempts.get(c.id) ?? []),
    })),
    nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt.getTime(), id: last.id }) : null,
  };
}

/**
 * Resends the oldest RESEND_BATCH_LIMIT undelivered callbacks matching `query`, each through
 * callback-history.ts#resendCallback (due now, a fresh retry cycle, the history kept). A callback that a
 * worker took in the meantime is being delivered already and is counted as skipped. `more` says whether
 * matching callbacks were left for another call. With `actor`, one audit entry records the batch (the
 * filter and the counts) once it is done, rather than one per callback.
 */
export async function resendUndelivered(
  ctx: Context,
  merchantId: string,
  query: UndeliveredQuery,
  actor?: AuditActor,
): Promise<{ queued: number; skipped: number; more: boolean }> {
  const ids = await oldestUndeliveredIds(ctx.db, storeFilter(merchantId, query), RESEND_BATCH_LIMIT + 1);
  let queued = 0;
  let skipped = 0;
  for (const id of ids.slice(0, RESEND_BATCH_LIMIT)) {
    try {
      await resendCallback(ctx, merchantId, id);
      queued++;
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      skipped++;
    }
  }
  if (actor && queued > 0) {
    await recordAudit(ctx, ctx.db, {
      merchantId,
      actor,
      action: 'callbacks.resend_all',
      resource: { type: 'merchant', id: merchantId },
      detail: {
        queued,
        skipped,
        status: query.status ?? null,
        resourceType: query.resourceType ?? null,
        event: query.event ?? null,
      },
    });
  }
  return { queued, skipped, more: ids.length > RESEND_BATCH_LIMIT };
}

/** A query from a query string's values (`status`, `resourceType`, `event`); empty means no filter. */
export function undeliveredQueryFromQuery(query: Record<string, string | undefined>): UndeliveredQuery {
  const problems: FieldProblem[] = [];
  const value = (name: string) => {
    const v = query[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const result: UndeliveredQuery = {};
  const status = value('status');
  if (status !== undefined) {
    const known = UNDELIVERED_STATUSES.find((s) => s === status);
    if (known) result.status = known;
    else problems.push({ field: 'status', message: `status must be one of ${UNDELIVERED_STATUSES.join(', ')}` });
  }
  const resourceType = value('resourceType');
  if (resourceType !== undefined) {
    const known = RESOURCE_TYPES.find((t) => t === resourceType);
    if (known) result.resourceType = known;
    else problems.push({ field: 'resourceType', message: `resourceType must be one of ${RESOURCE_TYPES.join(', ')}` });
  }
  const event = value('event');
  if (event !== undefined) {
    const known = CALLBACK_EVENTS.find((e) => e === event);
    if (known) result.event = known;
    else problems.push({ field: 'event', message: `event must be one of ${CALLBACK_EVENTS.join(', ')}` });
  }
  if (problems.length > 0) throw Refusal.validation(problems);
  return result;
}
