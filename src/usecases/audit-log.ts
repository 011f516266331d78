// The audit log: who did what, when, to which resource. Written by each use case in the transaction of
// the change it records, so an entry exists exactly when the change committed.
import type { Database } from '../store/schema.ts';
import { insertAuditEntry, listAuditEntries, type AuditActorKind, type AuditEntry } from '../store/dashboard.ts';
import type { Context } from './context.ts';
import { pagination, type PageRequest } from './pagination.ts';

export type { AuditEntry };

/** Who acted: a dashboard user (id and email as they were), or the API under a merchant's client id. */
export interface AuditActor {
  kind: AuditActorKind;
  id: string;
  email: string | null;
}

export interface AuditRecord {
  merchantId: string | null;
  actor: AuditActor;
  action: string;
  resource: { type: string; id: string };
  detail?: AuditEntry['detail'];
}

/**
 * The merchant API acting: the audit log names the merchant's client id (X-MERCHANT-ID, its merchant id).
 * Its state-changing calls (cancel, capture, simulate, refund, callback resend) are recorded; creating a
 * payment is not — it is the API's main traffic, and the payment itself is its record.
 */
export function apiActor(clientId: string): AuditActor {
  return { kind: 'api', id: clientId, email: null };
}

/** Who did it and what to call it, for a use case that records its own change. */
export interface AuditAs {
  actor: AuditActor;
  action: string;
  detail?: AuditEntry['detail'];
}

/** Writes one entry with `db`, which should be the transaction of the change being recorded. */
export async function recordAudit(ctx: Context, db: Database, record: AuditRecord): Promise<void> {
  const at = ctx.now();
  await insertAuditEntry(db, { id: ctx.newId(), at, detail: null, ...record });
}

/** A merchant's entries (or every merchant's, for an operator: merchantId undefined), newest first. */
export async function auditLogPage(ctx: Context, merchantId: string | undefined, page: PageRequest) {
  const { entries, total } = await listAuditEntries(ctx.db, merchantId, {
    offset: (page.page - 1) * page.perPage,
    limit: page.perPage,
  });
  return { entries, pagination: pagination(page, total) };
}
