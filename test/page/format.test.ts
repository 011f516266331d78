import { describe, it, expect } from 'vitest';
import { formatCountdown, formatDeadline, formatRupiah, remainingSeconds } from '../../src/page/format.ts';

describe('formatRupiah', () => {
  it.each([
    [0, 'Rp 0'],
    [1000, 'Rp 1.000'],
    [10000, 'Rp 10.000'],
    [150000, 'Rp 150.000'],
    [9999999999, 'Rp 9.999.999.999'],
    [-25000, '-Rp 25.000'],
  ])('%d → %s', (value, text) => {
    expect(formatRupiah(value)).toBe(text);
  });

  it('never shows decimals', () => {
    expect(formatRupiah(10000.7)).toBe('Rp 10.000');
  });

  it('answers the same when asked again, and for more amounts than it keeps', () => {
    const amounts = Array.from({ length: 1200 }, (_, i) => i * 1000 + 7);
    const first = amounts.map(formatRupiah);
    expect(amounts.map(formatRupiah)).toEqual(first);
    expect(first[1000]).toBe('Rp 1.000.007');
    expect(formatRupiah(-25000)).toBe('-Rp 25.000');
  });
});

describe('formatDeadline', () => {
  it('shows Jakarta time with WIB in both languages', () => {
    const at = new Date('2026-01-12T07:30:00Z');
    expect(formatDeadline(at, 'id')).toMatch(/12 Jan 2026.*14[.:]30 WIB$/);
    expect(formatDeadline(at, 'en')).toMatch(/12 Jan 2026.*14:30 WIB$/);
  });

  it('reads every instant of a minute alike, and the next minute as the next', () => {
    const minute = new Date('2026-01-12T16:59:00Z').getTime();
    expect(formatDeadline(new Date(minute + 59_999), 'id')).toBe(formatDeadline(new Date(minute), 'id'));
    expect(formatDeadline(new Date(minute + 59_999), 'en')).toMatch(/12 Jan 2026.*23:59 WIB$/);
    expect(formatDeadline(new Date(minute + 60_000), 'en')).toMatch(/13 Jan 2026.*00:00 WIB$/);
    expect(formatDeadline(new Date(minute + 60_000), 'id')).toMatch(/13 Jan 2026.*00[.:]00 WIB$/);
  });
});

describe('countdown', () => {
  it('remaining seconds are floored and never negative; null without expiry', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(remainingSeconds(new Date(now.getTime() + 90_500), now)).toBe(90);
    expect(remainingSeconds(new Date(now.getTime() - 5000), now)).toBe(0);
    expect(remainingSeconds(null, now)).toBeNull();
  });

  it.each([
    [0, '00:00:00'],
    [59, '00:00:59'],
    [3725, '01:02:05'],
    [30 * 86400, '720:00:00'],
    [-3, '00:00:00'],
  ])('%d s → %s', (s, text) => {
    expect(formatCountdown(s)).toBe(text);
  });
});
