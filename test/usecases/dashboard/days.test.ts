// Days in a timezone: midnight as an instant, across daylight-saving changes and a zone without them.
import { describe, expect, it } from 'vitest';
import { addDays, dateIn, parseCalendarDate, startOfDay } from '../../../src/usecases/dashboard/days.ts';

describe('days in a timezone', () => {
  it('finds local midnight', () => {
    expect(new Date(startOfDay('Asia/Jakarta', { year: 2026, month: 1, day: 1 })).toISOString()).toBe('2025-12-31T17:00:00.000Z');
    expect(new Date(startOfDay('UTC', { year: 2026, month: 1, day: 1 })).toISOString()).toBe('2026-01-01T00:00:00.000Z');
    // New York: standard time before the change on 8 March 2026, daylight time after.
    expect(new Date(startOfDay('America/New_York', { year: 2026, month: 3, day: 8 })).toISOString()).toBe(
      '2026-03-08T05:00:00.000Z',
    );
    expect(new Date(startOfDay('America/New_York', { year: 2026, month: 3, day: 9 })).toISOString()).toBe(
      '2026-03-09T04:00:00.000Z',
    );
    // Santiago skips midnight when its clocks go forward (6 September 2026): the day starts at 01:00.
    expect(new Date(startOfDay('America/Santiago', { year: 2026, month: 9, day: 6 })).toISOString()).toBe(
      '2026-09-06T04:00:00.000Z',
    );
  });

  it('knows the date at an instant in the zone', () => {
    const instant = Date.parse('2026-01-01T18:30:00Z');
    expect(dateIn('Asia/Jakarta', instant)).toEqual({ year: 2026, month: 1, day: 2 });
    expect(dateIn('UTC', instant)).toEqual({ year: 2026, month: 1, day: 1 });
  });

  it('moves by calendar days and reads only real dates', () => {
    expect(addDays({ year: 2026, month: 3, day: 1 }, -1)).toEqual({ year: 2026, month: 2, day: 28 });
    expect(parseCalendarDate('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 });
    expect(parseCalendarDate('2026-02-29')).toBeUndefined();
    expect(parseCalendarDate('2026-2-1')).toBeUndefined();
  });

  it('refuses an unknown zone as a validation problem', () => {
    expect(() => dateIn('Nowhere/Land', 0)).toThrow(expect.objectContaining({ kind: 'validation' }));
  });
});
