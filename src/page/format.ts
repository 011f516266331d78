// Display formats for the page: Rupiah amounts, Jakarta-time deadlines, countdowns.
import type { Locale } from './i18n.ts';

const RUPIAH = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 0 });

/**
 * `format` with its answers kept, a few hundred at most. Intl's formatters cost a few microseconds a call,
 * and a page shows the same handful of amounts and deadlines on every view and every poll: 4% of the payment
 * page's CPU when profiled.
 */
function remembered<K, V>(format: (key: K) => V, limit = 500): (key: K) => V {
  const kept = new Map<K, V>();
  return (key) => {
    let value = kept.get(key);
    if (value === undefined) {
      if (kept.size >= limit) kept.clear();
      value = format(key);
      kept.set(key, value);
    }
    return value;
  };
}

const rupiahOf = remembered((value: number) => {
  const sign = value < 0 ? '-' : '';
  return `${sign}Rp ${RUPIAH.format(Math.abs(value))}`;
});

/** 10000 → "Rp 10.000" (IDR has no decimals; Indonesian digit grouping in both languages). */
export function formatRupiah(value: number): string {
  return rupiahOf(Math.trunc(value));
}

const DEADLINE_PARTS: Intl.DateTimeFormatOptions = {
  timeZone: 'Asia/Jakarta',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
};
const DEADLINE: Record<Locale, Intl.DateTimeFormat> = {
  id: new Intl.DateTimeFormat('id-ID', DEADLINE_PARTS),
  en: new Intl.DateTimeFormat('en-GB', DEADLINE_PARTS),
};

const MINUTE_MS = 60_000;
// Jakarta is a whole number of hours from UTC and shows minutes, so every instant of one UTC minute reads the same.
const deadlineOf = {
  id: remembered((minute: number) => `${DEADLINE.id.format(minute * MINUTE_MS)} WIB`),
  en: remembered((minute: number) => `${DEADLINE.en.format(minute * MINUTE_MS)} WIB`),
} satisfies Record<Locale, (minute: number) => string>;

/** A deadline in Western Indonesian Time, where the shopper is: "12 Jan 2026 14.30 WIB". */
export function formatDeadline(at: Date, locale: Locale): string {
  return deadlineOf[locale](Math.floor(at.getTime() / MINUTE_MS));
}

export function remainingSeconds(expiryAt: Date | null, now: Date): number | null {
  if (!expiryAt) return null;
  return Math.max(0, Math.floor((expiryAt.getTime() - now.getTime()) / 1000));
}

/** 3725 → "01:02:05"; days are folded into hours. The page script uses the same format. */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}
