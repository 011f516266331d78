// Each merchant's VA number ranges (domain/va-number.ts): assigned when the merchant is created (migration
// 0004 gave the merchants before it theirs) and never changed afterwards, so a range read once is kept
// for the life of the database handle and a VA create pays no extra query for it.
import { VA_CHANNELS } from '../domain/payment-methods.ts';
import { MAX_MERCHANT_CODE, rangesOfMerchantCode, type VaRange } from '../domain/va-number.ts';
import { isUniqueViolation } from '../store/database.ts';
import type { Database } from '../store/schema.ts';
import { findVaRange, findVaRanges, highestMerchantCode, insertVaRanges } from '../store/va-ranges.ts';

const known = new WeakMap<Database, Map<string, VaRange>>();

/** The merchant's range at `channel`; one missing (a bank added since the merchant was created) is assigned now. */
export async function vaRangeOf(db: Database, merchantId: string, channel: string): Promise<VaRange> {
  let byKey = known.get(db);
  if (!byKey) known.set(db, (byKey = new Map()));
  const key = `${merchantId}\n${channel}`;
  const cached = byKey.get(key);
  if (cached) return cached;
  const range =
    (await findVaRange(db, merchantId, channel)) ?? (await assignVaRanges(db, merchantId)).find((r) => r.channel === channel);
  if (!range) throw new Error(`merchant ${merchantId} has no VA range at ${channel}`);
  byKey.set(key, range);
  return range;
}

/** Every bank's range of the merchant, for the operator to hand over (`kasir merchant show`). */
export async function vaRangesOf(db: Database, merchantId: string): Promise<VaRange[]> {
  const stored = (await findVaRanges(db, merchantId)).ranges;
  return stored.length === VA_CHANNELS.length ? inBankOrder(stored) : assignVaRanges(db, merchantId);
}

const MAX_ATTEMPTS = 8;

/**
 * Gives the merchant the next free merchant code and a range at every bank, or fills in the banks its code
 * has no range at yet. Two merchants created at once may pick the same code: the unique (channel, prefix)
 * index refuses the second, which takes the next one.
 */
export async function assignVaRanges(db: Database, merchantId: string): Promise<VaRange[]> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    try {
      return await db.transaction().execute(async (trx) => {
        const existing = await findVaRanges(trx, merchantId);
        const code = existing.code ?? (await highestMerchantCode(trx)) + 1;
        if (code > MAX_MERCHANT_CODE) throw new Error(`every VA merchant code (1–${MAX_MERCHANT_CODE}) is taken`);
        const missing = rangesOfMerchantCode(code).filter((r) => !existing.ranges.some((e) => e.channel === r.channel));
        await insertVaRanges(trx, merchantId, code, missing);
        return inBankOrder([...existing.ranges, ...missing]);
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  throw new Error(`could not assign VA ranges to merchant ${merchantId}: its code was taken ${MAX_ATTEMPTS} times`);
}

const inBankOrder = (ranges: VaRange[]) => ranges.sort((a, b) => VA_CHANNELS.indexOf(a.channel) - VA_CHANNELS.indexOf(b.channel));
