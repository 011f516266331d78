// The dashboard overview's aggregates: sessions grouped by day, method, channel and currency, and
// callbacks counted by status, both counted and summed by the database, never by loading rows.
import { sql, type RawBuilder } from 'kysely';
import { expressions } from './dashboard-queries.ts';
import type { Database } from './schema.ts';

/** One group of the overview's aggregate: sessions created on one day, with one method, channel and currency. */
export interface SessionGroup {
  /** Index into the day starts given (0 = the first day). */
  day: number;
  methodType: string | null;
  channel: string | null;
  currency: string;
  created: number;
  /** Sessions with at least one paid charge. */
  paid: number;
  /** Sum of their paid charges' amounts. */
  amountPaid: number;
}

/**
 * Sessions created from `dayStarts[0]` until `end`, grouped by day (the last start ≤ created_at), method,
 * channel and currency, counted and summed by the database. Day boundaries come from the caller, so days
 * follow its timezone, daylight-saving changes included.
 */
export async function sessionGroups(db: Database, merchantId: string, dayStarts: number[], end: number): Promise<SessionGroup[]> {
  const first = dayStarts[0];
  if (first === undefined) return [];
  const e = expressions(db);
  const whens = dayStarts.map((start, day) => ({ start, day })).reverse();
  const day: RawBuilder<number> = sql<number>`case ${sql.join(
    whens.map((w) => sql`when created_at >= ${w.start} then ${sql.lit(w.day)}`),
    sql` `,
  )} else ${sql.lit(-1)} end`;
  const sessions = db
    .selectFrom('payment_sessions')
    .select([
      day.as('day'),
      'method_type',
      e.methodChannel.as('channel'),
      'currency',
      (eb) =>
        eb
          .selectFrom('charges')
          .select((c) => c.fn.sum<number>('amount_value').as('v'))
          .whereRef('charges.session_id', '=', 'payment_sessions.id')
          .where('charges.paid_at', 'is not', null)
          .as('paid_value'),
    ])
    .where('merchant_id', '=', merchantId)
    .where('created_at', '>=', first)
    .where('created_at', '<', end)
    .as('s');
  const rows = await db
    .selectFrom(sessions)
    .select(['s.day', 's.method_type', 's.channel', 's.currency'])
    .select((eb) => [
      eb.fn.countAll<number>().as('created'),
      eb.fn.count<number>('s.paid_value').as('paid'),
      eb.fn.coalesce(eb.fn.sum<number>('s.paid_value'), sql.lit(0)).as('amount_paid'),
    ])
    .groupBy(['s.day', 's.method_type', 's.channel', 's.currency'])
    .execute();
  return rows.map((r) => ({
    day: Number(r.day),
    methodType: r.method_type,
    channel: r.channel === null ? null : String(r.channel),
    currency: r.currency,
    created: Number(r.created),
    paid: Number(r.paid),
    amountPaid: Number(r.amount_paid),
  }));
}

/** How the merchant's callbacks created since `from` stand, counted by status. */
export async function callbackCounts(db: Database, merchantId: string, from: number): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('callbacks')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('merchant_id', '=', merchantId)
    .where('created_at', '>=', from)
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
