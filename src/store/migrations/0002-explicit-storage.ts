// 0.1.0 kept each session as one JSON blob (`body`) and callbacks only for sessions. This migration gives
// every queried or changed field its own column, moves charges into their own table, stores what the
// merchant sent as the text it arrived as, and lets a callback name any resource. Rows are converted in
// pages, inside the migration's transaction, so an interrupted upgrade leaves the old layout intact.
import { sql, type Kysely, type Migration } from 'kysely';
import type { Charge, Session } from '../../domain/session.ts';
import { chargeToRow, sessionToRow } from '../codec.ts';

const PAGE = 500;

/** 0.1.0's blob: the domain session of that release, dates as ISO strings. */
interface ReleaseZeroOneBody extends Omit<
  Session,
  'createdAt' | 'updatedAt' | 'expiryAt' | 'cancelledAt' | 'charges' | 'chargeCount'
> {
  createdAt: string;
  updatedAt: string;
  expiryAt: string | null;
  cancelledAt: string | null;
  charges: Array<Record<string, unknown>>;
}

const at = (value: unknown): Date | null => (typeof value === 'string' ? new Date(value) : null);

/**
 * Dates are revived only at the paths 0.1.0 wrote them, so merchant data (metadata, customer, …) comes
 * through exactly as it was stored — which also repairs what 0.1.0's key-name reviver showed wrongly.
 */
export function decodeReleaseZeroOneBody(text: string): Session {
  // Typed, not checked: 0.1.0's blob is a frozen format only that release wrote, read once, at this upgrade;
  // test/store/upgrade.test.ts reads a database 0.1.0 wrote (every status, charges, callbacks) through here.
  const body = JSON.parse(text) as ReleaseZeroOneBody;
  const options = body.paymentMethod?.options as Record<string, Record<string, unknown> | undefined> | undefined;
  const paymentMethod = body.paymentMethod && {
    type: body.paymentMethod.type,
    options: {
      ...(options?.virtualAccount && {
        virtualAccount: {
          ...options.virtualAccount,
          ...(options.virtualAccount.expiryAt !== undefined && { expiryAt: at(options.virtualAccount.expiryAt)! }),
        },
      }),
      ...(options?.qr && { qr: { ...(options.qr.expiryAt !== undefined && { expiryAt: at(options.qr.expiryAt)! }) } }),
    },
  };
  const charges = body.charges.map((c): Charge => {
    const va = c.virtualAccount as Record<string, unknown> | undefined;
    const qr = c.qr as Record<string, unknown> | undefined;
    const expiryAt = at(va?.expiryAt ?? qr?.expiryAt);
    return {
      ...(c as unknown as Charge),
      methodType: va ? 'VIRTUAL_ACCOUNT' : 'QR',
      expiryAt,
      createdAt: at(c.createdAt)!,
      updatedAt: at(c.updatedAt)!,
      paidAt: at(c.paidAt),
      ...(va && { virtualAccount: { ...(va as unknown as NonNullable<Charge['virtualAccount']>), expiryAt: at(va.expiryAt) } }),
      ...(qr && { qr: { ...(qr as unknown as NonNullable<Charge['qr']>), expiryAt: at(qr.expiryAt) } }),
    };
  });
  return {
    ...body,
    paymentMethod: paymentMethod as Session['paymentMethod'],
    createdAt: at(body.createdAt)!,
    updatedAt: at(body.updatedAt)!,
    expiryAt: at(body.expiryAt),
    cancelledAt: at(body.cancelledAt),
    charges,
    chargeCount: charges.length,
  };
}

type Echo = Pick<Session['echo'], 'customer' | 'orderInformation' | 'metadata'>;

/**
 * 0.1.0 read sessions back through a reviver that turned merchant keys named like timestamps into dates,
 * and every transition wrote that back: a session that changed after creation has damaged merchant data
 * at rest. The create response stored for its X-REQUEST-ID (kept 24 h) was built before any read, so it
 * holds what the merchant sent; where one exists, it is the source for the merchant's objects.
 */
async function merchantDataAsSent(db: Kysely<any>): Promise<Map<string, Echo>> {
  const sent = new Map<string, Echo>();
  const rows: Array<{ response_body: string }> = await db.selectFrom('idempotency_keys').select('response_body').execute();
  for (const row of rows) {
    // 0.1.0 stored the Payment Session Object it answered with, unwrapped.
    const data = JSON.parse(row.response_body) as Record<string, unknown> | null;
    if (!data || typeof data.id !== 'string') continue;
    const pick = (key: keyof Echo) => (data[key] === null || data[key] === undefined ? {} : { [key]: data[key] });
    sent.set(data.id, { ...pick('customer'), ...pick('orderInformation'), ...pick('metadata') });
  }
  return sent;
}

async function addColumns(
  db: Kysely<any>,
  table: string,
  columns: Array<[string, 'bigint' | 'integer' | 'text' | `varchar(${number})`, unknown?]>,
) {
  // SQLite takes one ADD COLUMN per statement; a NOT NULL column needs a default to be added to a filled table.
  for (const [name, type, fallback] of columns) {
    await db.schema
      .alterTable(table)
      .addColumn(name, type, (c) => (fallback === undefined ? c : c.notNull().defaultTo(fallback)))
      .execute();
  }
}

export const explicitStorage: Migration = {
  async up(db: Kysely<any>) {
    await addColumns(db, 'payment_sessions', [
      ['amount_value', 'bigint', 0],
      ['currency', 'varchar(3)', 'IDR'],
      ['payment_type', 'varchar(16)', 'SINGLE'],
      ['mode', 'varchar(16)', 'REDIRECT'],
      ['auto_confirm', 'integer', 0],
      ['bypass_status_page', 'integer', 0],
      ['save_for_future_use', 'integer', 0],
      ['show_saved_payment', 'integer', 0],
      ['statement_descriptor', 'varchar(100)', ''],
      ['payment_url', 'text'],
      ['method_type', 'varchar(32)'],
      ['method_options', 'text'],
      ['cancelled_at', 'bigint'],
      ['cancellation_reason', 'varchar(40)'],
      ['charge_count', 'integer', 0],
      ['customer_id', 'varchar(255)'],
      ['customer', 'text'],
      ['order_information', 'text'],
      ['metadata', 'text'],
      ['redirect_url', 'text', '{}'],
      ['echo_extras', 'text', '{}'],
    ]);

    await db.schema
      .createTable('charges')
      .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
      .addColumn('session_id', 'varchar(36)', (c) => c.notNull().references('payment_sessions.id'))
      .addColumn('merchant_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('client_reference_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('status', 'varchar(32)', (c) => c.notNull())
      .addColumn('amount_value', 'bigint', (c) => c.notNull())
      .addColumn('currency', 'varchar(3)', (c) => c.notNull())
      .addColumn('statement_descriptor', 'varchar(100)', (c) => c.notNull())
      .addColumn('method_type', 'varchar(32)', (c) => c.notNull())
      .addColumn('details', 'text', (c) => c.notNull())
      .addColumn('expiry_at', 'bigint')
      .addColumn('paid_at', 'bigint')
      .addColumn('failure_code', 'varchar(64)')
      .addColumn('failure_message', 'varchar(255)')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    // A session's charges in order (the window GET shows, the page through all); seq is unique per session.
    await db.schema.createIndex('charges_session_seq').on('charges').columns(['session_id', 'seq']).unique().execute();
    await db.schema.createIndex('charges_merchant_created').on('charges').columns(['merchant_id', 'created_at', 'id']).execute();
    await db.schema.createIndex('charges_reference').on('charges').columns(['merchant_id', 'client_reference_id']).execute();

    const asSent = await merchantDataAsSent(db);
    let after = '';
    for (;;) {
      const rows: Array<{ id: string; body: string }> = await db
        .selectFrom('payment_sessions')
        .select(['id', 'body'])
        .where('id', '>', after)
        .orderBy('id')
        .limit(PAGE)
        .execute();
      if (rows.length === 0) break;
      for (const row of rows) {
        const stored = decodeReleaseZeroOneBody(row.body);
        const original = asSent.get(row.id);
        const session = original ? { ...stored, echo: { ...stored.echo, ...original } } : stored;
        const { id: _id, ...columns } = sessionToRow(session);
        await db.updateTable('payment_sessions').set(columns).where('id', '=', row.id).execute();
        for (const [i, charge] of session.charges.entries()) {
          await db
            .insertInto('charges')
            .values(chargeToRow(session, charge, i + 1))
            .execute();
        }
      }
      after = rows[rows.length - 1]!.id;
    }
    await db.schema.alterTable('payment_sessions').dropColumn('body').execute();

    await addColumns(db, 'callbacks', [
      ['resource_type', 'varchar(40)', 'payment_session'],
      ['resource_id', 'varchar(100)', ''],
    ]);
    await db
      .updateTable('callbacks')
      .set({ resource_id: sql.ref('session_id') })
      .execute();
    await db.schema.alterTable('callbacks').dropColumn('session_id').execute();
    await db.schema
      .createIndex('callbacks_resource')
      .on('callbacks')
      .columns(['merchant_id', 'resource_type', 'resource_id'])
      .execute();
  },
};
