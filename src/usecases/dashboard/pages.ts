// Keyset pages shared by the dashboard's lists: a page starts after a (created_at, id) position, handed to
// the caller as an opaque cursor, so a deep page costs what the first does and rows added meanwhile never
// shift a page.
import { Refusal } from '../../domain/refusal.ts';
import type { KeysetPosition } from '../../store/dashboard-queries.ts';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export interface PageOptions {
  /** The `nextCursor` of the previous page; none for the first. */
  cursor?: string;
  /** Rows per page, 1 to MAX_PAGE_SIZE (default DEFAULT_PAGE_SIZE). */
  limit?: number;
}

export function checkPageSize(page: PageOptions): number {
  const limit = page.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw Refusal.field('limit', `limit must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  return limit;
}

export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(`${position.createdAt}:${position.id}`, 'utf8').toString('base64url');
}

/** The position a cursor names; a cursor this list did not give out is a 400. */
export function decodeCursor(cursor: string): KeysetPosition {
  const match = /^(\d{1,15}):([\x21-\x7e]{1,100})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw Refusal.field('cursor', 'cursor is not one this list gave out');
  return { createdAt: Number(match[1]), id: match[2]! };
}
