// A merchant's own VA numbers, for tests that ask for a fixed virtualAccountNumber: each merchant may ask
// only for numbers of its static range (src/domain/va-number.ts).
import { staticRange, type VaRange } from '../../src/domain/va-number.ts';
import type { Database } from '../../src/store/schema.ts';
import { vaRangeOf } from '../../src/usecases/va-ranges.ts';

export function vaRange(db: Database, merchantId: string, channel: string): Promise<VaRange> {
  return vaRangeOf(db, merchantId, channel);
}

/** The `n`-th number of the merchant's static range at `channel` (n from 0). */
export async function fixedVaNumber(db: Database, merchantId: string, channel: string, n: number): Promise<string> {
  const range = await vaRange(db, merchantId, channel);
  const { first } = staticRange(range);
  const tail = String(n);
  if (n < 0 || tail.length > first.length - range.prefix.length - 1)
    throw new Error(`no number ${n} in ${channel}'s static range`);
  return first.slice(0, first.length - tail.length) + tail;
}

/** A number of the static range no other test of the file is likely to have asked for. */
export function someFixedVaNumber(db: Database, merchantId: string, channel: string): Promise<string> {
  return fixedVaNumber(db, merchantId, channel, 1 + Math.floor(Math.random() * 99_998));
}
