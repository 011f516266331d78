// Merchants' VA number ranges, one row per merchant and bank. A unique (channel, prefix) index keeps the
// ranges of two merchants apart even when both are assigned at the same moment on two instances.
import { isVaChannel } from '../domain/payment-methods.ts';
import type { VaRange } from '../domain/va-number.ts';
import type { Database, MerchantVaRangesTable } from './schema.ts';

function toRange(row: Pick<MerchantVaRangesTable, 'channel' | 'prefix'>): VaRange {
  if (!isVaChannel(row.channel)) throw new Error(`stored VA range channel ${row.channel} is not one Kasir knows`);
  return { channel: row.channel, prefix: row.prefix };
}

export async function findVaRange(db: Database, merchantId: string, channel: string): Promise<VaRange | undefined> {
  const row = await db
    .selectFrom('merchant_va_ranges')
    .select(['channel', 'prefix'])
    .where('merchant_id', '=', merchantId)
    .where('channel', '=', channel)
    .executeTakeFirst();
  return row && toRange(row);
}

/** A merchant's ranges and its code (undefined when it has none yet). */
export async function findVaRanges(db: Database, merchantId: string): Promise<{ code: number | undefined; ranges: VaRange[] }> {
  const rows = await db
    .selectFrom('merchant_va_ranges')
    .select(['channel', 'prefix', 'merchant_code'])
    .where('merchant_id', '=', merchantId)
    .orderBy('channel')
    .execute();
  return { code: rows[0] === undefined ? undefined : Number(rows[0].merchant_code), ranges: rows.map(toRange) };
}

export async function highestMerchantCode(db: Database): Promise<number> {
  const row = await db
    .selectFrom('merchant_va_ranges')
    .select((eb) => eb.fn.max('merchant_code').as('code'))
    .executeTakeFirst();
  return row?.code === null || row?.code === undefined ? 0 : Number(row.code);
}

export async function insertVaRanges(db: Database, merchantId: string, code: number, ranges: VaRange[]): Promise<void> {
  if (ranges.length === 0) return;
  await db
    .insertInto('merchant_va_ranges')
    .values(ranges.map((r) => ({ merchant_id: merchantId, channel: r.channel, merchant_code: code, prefix: r.prefix })))
    .execute();
}
