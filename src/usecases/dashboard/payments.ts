// The dashboard's Payments screen: a merchant's sessions, newest first, a keyset page at a time, found by
// id, clientReferenceId or customer email and filtered by status, method, bank/channel and creation date;
// and the same list as CSV, every page of it. The caller decides whose payments are shown (a merchant
// sees its own; an operator may name any merchant): merchantId is always required.
import { EWALLET_CHANNELS, VA_CHANNELS, isEwalletChannel, isVaChannel } from '../../domain/payment-methods.ts';
import { Refusal, type FieldProblem } from '../../domain/refusal.ts';
import { isPastExpiry, viewAt } from '../../domain/session-state.ts';
import {
  PAYMENT_METHOD_TYPES,
  SESSION_STATUSES,
  isPaymentMethodType,
  type PaymentMethodType,
  type SessionStatus,
} from '../../domain/statuses.ts';
import { searchSessions, type KeysetPosition, type SessionListRow } from '../../store/dashboard-queries.ts';
import { findSession } from '../../store/sessions.ts';
import type { Context } from '../context.ts';
import { csvRow } from './csv.ts';
import { encodeCursor, decodeCursor, checkPageSize, type PageOptions } from './pages.ts';
import { DEFAULT_TIMEZONE, addDays, checkTimezone, parseCalendarDate, startOfDay } from './days.ts';

export interface PaymentSearch {
  /** Exact session id, clientReferenceId, or customer email (case-insensitive). */
  query?: string;
  /** As reported now (an open session past its expiry is EXPIRED, or INACTIVE if it was ACTIVE). */
  status?: SessionStatus;
  methodType?: PaymentMethodType;
  /** VA bank (BCA, …) or e-wallet (DANA, …). */
  channel?: string;
  /** Created at or after. */
  createdFrom?: Date;
  /** Created before (exclusive). */
  createdBefore?: Date;
}

export interface PaymentRow {
  id: string;
  clientReferenceId: string;
  amount: { value: number; currency: string };
  status: SessionStatus;
  methodType: string | null;
  channel: string | null;
  customerEmail: string | null;
  createdAt: string;
  paidAt: string | null;
}

export interface PaymentPage {
  payments: PaymentRow[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** Rows per query while exporting. */
const EXPORT_CHUNK = 500;

/** What the list shows as the status: what a reader at `now` must see (domain/session-state.ts#viewAt). */
async function reportedStatus(ctx: Context, merchantId: string, row: SessionListRow, now: Date): Promise<SessionStatus> {
  const stored = { status: row.status, expiryAt: row.expiryAt === null ? null : new Date(row.expiryAt) };
  if (!isPastExpiry(stored, now)) return row.status;
  // Rare (the sweeper has not reached it yet): the domain decides, e.g. a partly captured card is PAID.
  const session = await findSession(ctx.db, merchantId, row.id);
  return session ? viewAt(session, now).status : row.status;
}

async function toRow(ctx: Context, merchantId: string, row: SessionListRow, now: Date): Promise<PaymentRow> {
  return {
    id: row.id,
    clientReferenceId: row.clientReferenceId,
    amount: { value: row.amountValue, currency: row.currency },
    status: await reportedStatus(ctx, merchantId, row, now),
    methodType: row.methodType,
    channel: row.channel,
    customerEmail: row.customerEmail,
    createdAt: new Date(row.createdAt).toISOString(),
    paidAt: row.paidAt === null ? null : new Date(row.paidAt).toISOString(),
  };
}

function storeFilter(merchantId: string, search: PaymentSearch, now: Date) {
  return {
    merchantId,
    now: now.getTime(),
    ...(search.query !== undefined && { query: search.query }),
    ...(search.status !== undefined && { status: search.status }),
    ...(search.methodType !== undefined && { methodType: search.methodType }),
    ...(search.channel !== undefined && { channel: search.channel }),
    ...(search.createdFrom !== undefined && { createdFrom: search.createdFrom.getTime() }),
    ...(search.createdBefore !== undefined && { createdBefore: search.createdBefore.getTime() }),
  };
}

/** One page of the merchant's payments matching `search`, newest first. */
export async function searchPayments(
  ctx: Context,
  merchantId: string,
  search: PaymentSearch,
  page: PageOptions = {},
): Promise<PaymentPage> {
  const limit = checkPageSize(page);
  const after = page.cursor === undefined ? null : decodeCursor(page.cursor);
  const now = ctx.now();
  // One row more than the page says whether there is a next page, without counting.
  const rows = await searchSessions(ctx.db, storeFilter(merchantId, search, now), after, limit + 1);
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  return {
    payments: await Promise.all(shown.map((r) => toRow(ctx, merchantId, r, now))),
    nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
  };
}

export const CSV_COLUMNS = [
  'id',
  'clientReferenceId',
  'amount',
  'currency',
  'status',
  'methodType',
  'channel',
  'customerEmail',
  'createdAt',
  'paidAt',
] as const;

/**
 * Every payment matching `search` as CSV text, in chunks (the header, then one chunk per EXPORT_CHUNK rows),
 * so an adapter can stream it without holding the whole list. Newest first, like the list.
 */
export async function* exportPaymentsCsv(ctx: Context, merchantId: string, search: PaymentSearch): AsyncGenerator<string> {
  yield csvRow(CSV_COLUMNS);
  const now = ctx.now();
  const filter = storeFilter(merchantId, search, now);
  let after: KeysetPosition | null = null;
  for (;;) {
    const rows = await searchSessions(ctx.db, filter, after, EXPORT_CHUNK);
    if (rows.length === 0) return;
    const lines = await Promise.all(
      rows.map(async (r) => {
        const row = await toRow(ctx, merchantId, r, now);
        return csvRow([
          row.id,
          row.clientReferenceId,
          row.amount.value,
          row.amount.currency,
          row.status,
          row.methodType,
          row.channel,
          row.customerEmail,
          row.createdAt,
          row.paidAt,
        ]);
      }),
    );
    yield lines.join('');
    if (rows.length < EXPORT_CHUNK) return;
    const last = rows[rows.length - 1]!;
    after = { createdAt: last.createdAt, id: last.id };
  }
}

const CHANNELS: readonly string[] = [...VA_CHANNELS, ...EWALLET_CHANNELS];

/**
 * A search from a query string's values (`q`, `status`, `method`, `channel`, `from`, `to`: dates as
 * YYYY-MM-DD in `timeZone`, `to` inclusive, or full ISO 8601 instants), every problem named at once as a
 * validation refusal (400). Empty values mean "no filter", as an empty form field does.
 */
export function paymentSearchFromQuery(
  query: Record<string, string | undefined>,
  timeZone: string = DEFAULT_TIMEZONE,
): PaymentSearch {
  checkTimezone(timeZone);
  const problems: FieldProblem[] = [];
  const value = (name: string) => {
    const v = query[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const search: PaymentSearch = {};
  const q = value('q');
  if (q !== undefined) {
    if (q.length > 254 || q.includes('\u0000')) problems.push({ field: 'q', message: 'q must be at most 254 characters' });
    else search.query = q;
  }
  const status = value('status');
  if (status !== undefined) {
    const known = SESSION_STATUSES.find((s) => s === status);
    if (known) search.status = known;
    else problems.push({ field: 'status', message: `status must be one of ${SESSION_STATUSES.join(', ')}` });
  }
  const method = value('method');
  if (method !== undefined) {
    if (isPaymentMethodType(method)) search.methodType = method;
    else problems.push({ field: 'method', message: `method must be one of ${PAYMENT_METHOD_TYPES.join(', ')}` });
  }
  const channel = value('channel');
  if (channel !== undefined) {
    if (isVaChannel(channel) || isEwalletChannel(channel)) search.channel = channel;
    else problems.push({ field: 'channel', message: `channel must be one of ${CHANNELS.join(', ')}` });
  }
  const instant = (name: 'from' | 'to'): Date | undefined => {
    const text = value(name);
    if (text === undefined) return undefined;
    const date = parseCalendarDate(text);
    // A date means the whole day in the merchant's zone: "to" a date includes that day.
    if (date) return new Date(startOfDay(timeZone, name === 'to' ? addDays(date, 1) : date));
    if (/^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(Date.parse(text))) return new Date(Date.parse(text));
    problems.push({ field: name, message: `${name} must be a date (YYYY-MM-DD) or an ISO 8601 date-time` });
    return undefined;
  };
  const from = instant('from');
  const to = instant('to');
  if (from) search.createdFrom = from;
  if (to) search.createdBefore = to;
  if (from && to && from.getTime() >= to.getTime()) problems.push({ field: 'to', message: 'to must be after from' });
  if (problems.length > 0) throw Refusal.validation(problems);
  return search;
}
