// The dashboard's Overview: for today and the last 30 days in the merchant's timezone, how many payments
// were created and paid, the conversion, the amounts paid per currency, split by method and by
// bank/channel; a daily series for a chart; and how callbacks fare. The database groups and sums
// (store/dashboard-queries.ts#sessionGroups); this folds a few hundred groups into the answer.
// A payment counts on the day it was created; it is "paid" once any of its charges was paid, and its
// amount paid is the sum of its paid charges.
import type { CallbackEvent, ResourceType } from '../../domain/statuses.ts';
import { findCallback } from '../../store/callbacks.ts';
import { oldestUndelivered } from '../../store/dashboard-callbacks.ts';
import { callbackCounts, sessionGroups, type SessionGroup } from '../../store/dashboard-overview.ts';
import type { Context } from '../context.ts';
import { DEFAULT_TIMEZONE, addDays, checkTimezone, dateIn, formatCalendarDate, startOfDay } from './days.ts';

export const OVERVIEW_DAYS = 30;

/** Integer amounts by currency code, e.g. { IDR: 150000 }. */
export type AmountsByCurrency = Record<string, number>;

export interface Tally {
  created: number;
  paid: number;
  /** paid / created, from 0 to 1; null when nothing was created. */
  conversion: number | null;
  amountPaid: AmountsByCurrency;
}

export interface PeriodStats extends Tally {
  from: string;
  to: string;
  /** Null methodType: no method chosen yet. */
  byMethod: Array<Tally & { methodType: string | null }>;
  /** Null channel: a method without one (QR, card) or none chosen. */
  byChannel: Array<Tally & { channel: string | null }>;
}

export interface OverviewStats {
  timezone: string;
  today: PeriodStats;
  last30Days: PeriodStats;
  /** Oldest first, one entry per day of the 30, today last. */
  daily: Array<Tally & { date: string }>;
  callbacks: {
    /** Callbacks created in the last 30 days, by delivery status. */
    last30Days: { delivered: number; failed: number; pending: number; delivering: number };
    /** delivered / (delivered + failed) of those; null when none has finished. */
    successRate: number | null;
    oldestUndelivered: {
      id: string;
      event: CallbackEvent;
      resourceType: ResourceType;
      resourceId: string;
      status: string;
      createdAt: string;
    } | null;
  };
}

function emptyTally(): Tally {
  return { created: 0, paid: 0, conversion: null, amountPaid: {} };
}

function add(tally: Tally, group: SessionGroup): void {
  tally.created += group.created;
  tally.paid += group.paid;
  if (group.amountPaid > 0) tally.amountPaid[group.currency] = (tally.amountPaid[group.currency] ?? 0) + group.amountPaid;
}

function withConversion<T extends Tally>(tally: T): T {
  return { ...tally, conversion: tally.created === 0 ? null : tally.paid / tally.created };
}

function period(groups: SessionGroup[], from: number, to: number): PeriodStats {
  const total = emptyTally();
  const byMethod = new Map<string | null, Tally>();
  const byChannel = new Map<string | null, Tally>();
  for (const group of groups) {
    add(total, group);
    const method = byMethod.get(group.methodType) ?? emptyTally();
    byMethod.set(group.methodType, method);
    add(method, group);
    const channel = byChannel.get(group.channel) ?? emptyTally();
    byChannel.set(group.channel, channel);
    add(channel, group);
  }
  const busiestFirst = <T extends Tally>(a: T, b: T) => b.created - a.created;
  return {
    ...withConversion(total),
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    byMethod: [...byMethod].map(([methodType, t]) => withConversion({ ...t, methodType })).sort(busiestFirst),
    byChannel: [...byChannel].map(([channel, t]) => withConversion({ ...t, channel })).sort(busiestFirst),
  };
}

/** The merchant's overview at the context's now, in `timezone` (an IANA name; a bad one is a 400). */
export async function overviewStats(
  ctx: Context,
  merchantId: string,
  timezone: string = DEFAULT_TIMEZONE,
): Promise<OverviewStats> {
  checkTimezone(timezone);
  const now = ctx.now().getTime();
  const today = dateIn(timezone, now);
  const dates = Array.from({ length: OVERVIEW_DAYS }, (_, i) => addDays(today, i - (OVERVIEW_DAYS - 1)));
  const dayStarts = dates.map((d) => startOfDay(timezone, d));
  const first = dayStarts[0]!;
  const todayStart = dayStarts[OVERVIEW_DAYS - 1]!;
  // Up to now plus a millisecond: a payment created at this very instant counts.
  const end = now + 1;

  const [groups, counts, oldest] = await Promise.all([
    sessionGroups(ctx.db, merchantId, dayStarts, end),
    callbackCounts(ctx.db, merchantId, first),
    oldestUndelivered(ctx.db, merchantId),
  ]);
  const oldestRecord = oldest && (await findCallback(ctx.db, merchantId, oldest.id));

  const daily = dates.map((date, day) => {
    const tally = emptyTally();
    for (const group of groups) if (group.day === day) add(tally, group);
    return withConversion({ ...tally, date: formatCalendarDate(date) });
  });
  const delivered = counts.DELIVERED ?? 0;
  const failed = counts.FAILED ?? 0;
  return {
    timezone,
    today: period(
      groups.filter((g) => g.day === OVERVIEW_DAYS - 1),
      todayStart,
      now,
    ),
    last30Days: period(
      groups.filter((g) => g.day >= 0),
      first,
      now,
    ),
    daily,
    callbacks: {
      last30Days: { delivered, failed, pending: counts.PENDING ?? 0, delivering: counts.DELIVERING ?? 0 },
      successRate: delivered + failed === 0 ? null : delivered / (delivered + failed),
      oldestUndelivered: oldestRecord
        ? {
            id: oldestRecord.id,
            event: oldestRecord.event,
            resourceType: oldestRecord.resourceType,
            resourceId: oldestRecord.resourceId,
            status: oldestRecord.status,
            createdAt: oldestRecord.createdAt.toISOString(),
          }
        : null,
    },
  };
}
