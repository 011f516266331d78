// Calendar days in a timezone, as epoch milliseconds: the overview counts "today" and the last 30 days as
// the merchant's day, not UTC's, and a date filter's day starts at the merchant's midnight. Intl knows the
// zones (daylight-saving changes included); no library needed for midnight arithmetic.
import { Refusal } from '../../domain/refusal.ts';

export const DEFAULT_TIMEZONE = 'Asia/Jakarta';

/** A calendar date: year, month 1–12, day 1–31. */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw Refusal.field('timezone', `${timeZone} is not a known IANA timezone (e.g. Asia/Jakarta)`);
  }
}

/** The wall-clock time in the zone at `instant`, read back as if it were UTC. */
function wallClock(format: Intl.DateTimeFormat, instant: number): number {
  const parts = Object.fromEntries(format.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
}

/** Checks the zone name once, so a bad one is a 400 before any query runs. */
export function checkTimezone(timeZone: string): void {
  formatter(timeZone);
}

/** The date it is in the zone at `instant`. */
export function dateIn(timeZone: string, instant: number): CalendarDate {
  const wall = new Date(wallClock(formatter(timeZone), instant));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

/** `date` moved by `days` calendar days. */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  const moved = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
}

/**
 * The instant the day starts in the zone: local midnight, or the first instant after it where a
 * daylight-saving jump skips midnight. Two passes settle the zone's offset at that instant.
 */
export function startOfDay(timeZone: string, date: CalendarDate): number {
  const format = formatter(timeZone);
  const midnightAsUtc = Date.UTC(date.year, date.month - 1, date.day);
  let guess = midnightAsUtc;
  for (let pass = 0; pass < 2; pass++) guess = midnightAsUtc - (wallClock(format, guess) - guess);
  // Midnight skipped: the guess is still the evening before; the day starts where the clock jumped.
  const wall = wallClock(format, guess);
  return wall < midnightAsUtc ? guess + (midnightAsUtc - wall) : guess;
}

/** `YYYY-MM-DD` as a date, or undefined when it is not one (February 30th included). */
export function parseCalendarDate(text: string): CalendarDate | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  const check = addDays(date, 0);
  return check.year === date.year && check.month === date.month && check.day === date.day ? date : undefined;
}

export function formatCalendarDate(date: CalendarDate): string {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}
