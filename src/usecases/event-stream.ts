// What the event stream (GET /v2/events/stream, a Kasir extension) reads: a merchant's callbacks in the
// order they were written, from a position, read from the callbacks table so that every instance sharing
// the database streams the same events; and what signs them (the merchant's current secrets and API key).
//
// Positions are (created_at, id), the order of the callbacks_merchant_created index. A row's created_at is
// taken before its transaction commits, so a row can become visible after a later-stamped one was read;
// `EventFollower` therefore reads again from a little before the newest position it has sent and drops
// what it already sent, so such a row still goes out, late, instead of being skipped.
import type { ExpressionBuilder } from 'kysely';
import { Refusal } from '../domain/refusal.ts';
import type { CallbackEvent } from '../domain/statuses.ts';
import { callbackFromRow, type CallbackRecord } from '../store/callbacks.ts';
import { findMerchant } from '../store/merchants.ts';
import type { DB } from '../store/schema.ts';
import type { Context } from './context.ts';

export interface StreamPosition {
  createdAt: number;
  id: string;
}

export interface StreamSigning {
  apiKey: string;
  secrets: { current: string; previous: { secret: string; until: Date } | null };
}

/** How far back (by created_at) each read looks again for rows whose transaction committed late. */
export const LATE_COMMIT_WINDOW_MS = 5_000;
/** Rows per query; a read takes a few of these at most, then waits for the next poll. */
export const STREAM_BATCH = 100;
const PAGES_PER_READ = 5;
/** At most this many ids of the late-commit window are looked at per read. */
const WINDOW_ROWS = 1_000;

/** The position right after callback `id`; an id the merchant does not own is refused like a bad field. */
export async function positionAfter(ctx: Context, merchantId: string, id: string, field: string): Promise<StreamPosition> {
  const row = await ctx.db
    .selectFrom('callbacks')
    .select(['created_at', 'id'])
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw Refusal.field(field, `${field} names no callback of this merchant: resume from an id the stream sent`);
  return { createdAt: Number(row.created_at), id: row.id };
}

/** The position of "now": the stream sends what is written from here on. */
export function positionNow(ctx: Context): StreamPosition {
  return { createdAt: ctx.now().getTime(), id: '' };
}

const compare = (a: StreamPosition, b: StreamPosition) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function afterPosition(after: StreamPosition) {
  return (eb: ExpressionBuilder<DB, 'callbacks'>) =>
    eb.or([eb('created_at', '>', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '>', after.id)])]);
}

async function callbacksAfter(
  ctx: Context,
  merchantId: string,
  after: StreamPosition,
  events: readonly CallbackEvent[] | undefined,
  limit: number,
): Promise<CallbackRecord[]> {
  let query = ctx.db
    .selectFrom('callbacks')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where(afterPosition(after))
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit);
  if (events && events.length > 0) query = query.where('event', 'in', [...events]);
  return (await query.execute()).map(callbackFromRow);
}

/** The ids between two positions (after `from`, up to and including `to`): the late-commit window's. */
async function idsBetween(
  ctx: Context,
  merchantId: string,
  from: StreamPosition,
  to: StreamPosition,
  events: readonly CallbackEvent[] | undefined,
): Promise<string[]> {
  let query = ctx.db
    .selectFrom('callbacks')
    .select(['id', 'created_at'])
    .where('merchant_id', '=', merchantId)
    .where(afterPosition(from))
    .where('created_at', '<=', to.createdAt)
    .limit(WINDOW_ROWS);
  if (events && events.length > 0) query = query.where('event', 'in', [...events]);
  return (await query.execute())
    .filter((row) => compare({ createdAt: Number(row.created_at), id: row.id }, to) <= 0)
    .map((row) => row.id);
}

async function callbacksById(ctx: Context, merchantId: string, ids: string[]): Promise<CallbackRecord[]> {
  if (ids.length === 0) return [];
  const rows = await ctx.db
    .selectFrom('callbacks')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('id', 'in', ids)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(callbackFromRow);
}

/** What the stream's messages are signed with: read on each batch, so a rotation applies at once. */
export async function streamSigning(ctx: Context, merchantId: string): Promise<StreamSigning> {
  const merchant = await findMerchant(ctx.db, merchantId);
  if (!merchant) throw new Refusal('not_found', 'resource_missing', `No merchant ${merchantId}`);
  const previous =
    merchant.previousWebhookSecret && merchant.previousWebhookSecretUntil
      ? { secret: merchant.previousWebhookSecret, until: merchant.previousWebhookSecretUntil }
      : null;
  return { apiKey: merchant.callbackApiKey, secrets: { current: merchant.webhookSecret, previous } };
}

/**
 * Follows one merchant's callbacks for one stream: each `next()` returns the callbacks not yet returned,
 * in the order written, never one at or before the starting position.
 */
export class EventFollower {
  private newest: StreamPosition;
  /** What was sent within the late-commit window behind `newest`, by id. */
  private readonly sent = new Map<string, number>();

  constructor(
    private readonly ctx: Context,
    private readonly merchantId: string,
    private readonly start: StreamPosition,
    private readonly events?: readonly CallbackEvent[],
  ) {
    this.newest = start;
  }

  async next(): Promise<CallbackRecord[]> {
    const windowStart = { createdAt: this.newest.createdAt - LATE_COMMIT_WINDOW_MS, id: '' };
    const lateFrom = compare(windowStart, this.start) > 0 ? windowStart : this.start;
    const lateIds = (await idsBetween(this.ctx, this.merchantId, lateFrom, this.newest, this.events)).filter(
      (id) => !this.sent.has(id),
    );
    const fresh = await callbacksById(this.ctx, this.merchantId, lateIds);
    let cursor = this.newest;
    for (let page = 0; page < PAGES_PER_READ; page++) {
      const rows = await callbacksAfter(this.ctx, this.merchantId, cursor, this.events, STREAM_BATCH);
      fresh.push(...rows);
      const last = rows.at(-1);
      if (!last || rows.length < STREAM_BATCH) break;
      cursor = { createdAt: last.createdAt.getTime(), id: last.id };
    }
    for (const row of fresh) {
      const position = { createdAt: row.createdAt.getTime(), id: row.id };
      this.sent.set(row.id, position.createdAt);
      if (compare(position, this.newest) > 0) this.newest = position;
    }
    const horizon = this.newest.createdAt - LATE_COMMIT_WINDOW_MS;
    for (const [id, createdAt] of this.sent) if (createdAt < horizon) this.sent.delete(id);
    return fresh;
  }
}
