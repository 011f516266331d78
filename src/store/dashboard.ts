// Dashboard users, their sign-in sessions (keyed by a hash of the cookie's id) and the audit log.
import type { DashboardRole } from '../domain/dashboard-roles.ts';
import { isDashboardRole } from '../domain/dashboard-roles.ts';
import type { AuditLogTable, Database, DashboardSessionsTable, DashboardUsersTable } from './schema.ts';
import { isJsonObject } from '../domain/json.ts';

export interface DashboardUser {
  id: string;
  /** Null only for operators. */
  merchantId: string | null;
  email: string;
  role: DashboardRole;
  passwordHash: string;
  createdAt: Date;
}

function userFromRow(row: DashboardUsersTable): DashboardUser {
  if (!isDashboardRole(row.role)) throw new Error(`dashboard user ${row.id} has an unknown role ${row.role}`);
  return {
    id: row.id,
    merchantId: row.merchant_id,
    email: row.email,
    role: row.role,
    passwordHash: row.password_hash,
    createdAt: new Date(Number(row.created_at)),
  };
}

export async function insertDashboardUser(db: Database, user: DashboardUser): Promise<void> {
  await db
    .insertInto('dashboard_users')
    .values({
      id: user.id,
      merchant_id: user.merchantId,
      email: user.email,
      role: user.role,
      password_hash: user.passwordHash,
      created_at: user.createdAt.getTime(),
    })
    .execute();
}

export async function findDashboardUserByEmail(db: Database, email: string): Promise<DashboardUser | undefined> {
  const row = await db.selectFrom('dashboard_users').selectAll().where('email', '=', email).executeTakeFirst();
  return row ? userFromRow(row) : undefined;
}

export async function findDashboardUser(db: Database, id: string): Promise<DashboardUser | undefined> {
  const row = await db.selectFrom('dashboard_users').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? userFromRow(row) : undefined;
}

export async function countDashboardUsers(db: Database): Promise<number> {
  const row = await db
    .selectFrom('dashboard_users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface DashboardSessionRow {
  idHash: string;
  userId: string;
  csrfSecret: string;
  merchantId: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

function sessionFromRow(row: DashboardSessionsTable): DashboardSessionRow {
  return {
    idHash: row.id_hash,
    userId: row.user_id,
    csrfSecret: row.csrf_secret,
    merchantId: row.merchant_id,
    createdAt: new Date(Number(row.created_at)),
    lastSeenAt: new Date(Number(row.last_seen_at)),
    expiresAt: new Date(Number(row.expires_at)),
  };
}

export async function insertDashboardSession(db: Database, s: DashboardSessionRow): Promise<void> {
  await db
    .insertInto('dashboard_sessions')
    .values({
      id_hash: s.idHash,
      user_id: s.userId,
      csrf_secret: s.csrfSecret,
      merchant_id: s.merchantId,
      created_at: s.createdAt.getTime(),
      last_seen_at: s.lastSeenAt.getTime(),
      expires_at: s.expiresAt.getTime(),
    })
    .execute();
}

export async function findDashboardSession(db: Database, idHash: string): Promise<DashboardSessionRow | undefined> {
  const row = await db.selectFrom('dashboard_sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
  return row ? sessionFromRow(row) : undefined;
}

export async function touchDashboardSession(db: Database, idHash: string, at: Date): Promise<void> {
  await db.updateTable('dashboard_sessions').set({ last_seen_at: at.getTime() }).where('id_hash', '=', idHash).execute();
}

export async function setDashboardSessionMerchant(db: Database, idHash: string, merchantId: string): Promise<void> {
  await db.updateTable('dashboard_sessions').set({ merchant_id: merchantId }).where('id_hash', '=', idHash).execute();
}

export async function deleteDashboardSession(db: Database, idHash: string): Promise<void> {
  await db.deleteFrom('dashboard_sessions').where('id_hash', '=', idHash).execute();
}

export async function deleteDashboardSessionsBefore(db: Database, at: Date): Promise<void> {
  await db.deleteFrom('dashboard_sessions').where('expires_at', '<', at.getTime()).execute();
}

export type AuditActorKind = 'user' | 'api';

export interface AuditEntry {
  id: string;
  merchantId: string | null;
  actor: { kind: AuditActorKind; id: string; email: string | null };
  action: string;
  resource: { type: string; id: string };
  at: Date;
  detail: Record<string, string | number | boolean | null> | null;
}

export async function insertAuditEntry(db: Database, e: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: e.id,
      merchant_id: e.merchantId,
      actor_kind: e.actor.kind,
      actor_id: e.actor.id,
      actor_email: e.actor.email,
      action: e.action,
      resource_type: e.resource.type,
      resource_id: e.resource.id,
      at: e.at.getTime(),
      detail: e.detail === null ? null : JSON.stringify(e.detail),
    })
    .execute();
}

type DetailValue = string | number | boolean | null;
const isDetailValue = (v: unknown): v is DetailValue =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** Kasir wrote the detail itself; anything else in the column (a hand edit) is left out, not trusted. */
function parseDetail(text: string | null): AuditEntry['detail'] {
  if (text === null) return null;
  const parsed: unknown = JSON.parse(text);
  if (!isJsonObject(parsed)) return null;
  return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, DetailValue] => isDetailValue(entry[1])));
}

function auditFromRow(row: AuditLogTable): AuditEntry {
  return {
    id: row.id,
    merchantId: row.merchant_id,
    actor: { kind: row.actor_kind === 'api' ? 'api' : 'user', id: row.actor_id, email: row.actor_email },
    action: row.action,
    resource: { type: row.resource_type, id: row.resource_id },
    at: new Date(Number(row.at)),
    detail: parseDetail(row.detail),
  };
}

/** Newest first; one merchant's entries, or every entry when `merchantId` is undefined (operators). */
export async function listAuditEntries(
  db: Database,
  merchantId: string | undefined,
  { offset, limit }: { offset: number; limit: number },
): Promise<{ entries: AuditEntry[]; total: number }> {
  let rows = db.selectFrom('audit_log');
  if (merchantId !== undefined) rows = rows.where('merchant_id', '=', merchantId);
  const [list, count] = await Promise.all([
    rows.selectAll().orderBy('at', 'desc').orderBy('id', 'desc').offset(offset).limit(limit).execute(),
    rows.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { entries: list.map(auditFromRow), total: Number(count.n) };
}

export async function listMerchantChoices(db: Database): Promise<{ id: string; name: string }[]> {
  return db.selectFrom('merchants').select(['id', 'name']).orderBy('name').orderBy('id').limit(500).execute();
}
