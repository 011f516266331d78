// A full disk under SQLite: creates answer 503 service_unavailable (not a 500 with the cause hidden), the
// log names SQLITE_FULL, the failed create leaves no row behind (no idempotency record, session, charge,
// VA reservation or outbox row), and creates succeed again once there is room. The volume is a real
// 1 MB tmpfs where this machine lets the test mount one; everywhere, also a database capped with
// PRAGMA max_page_count, which makes SQLite itself answer SQLITE_FULL.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/database.ts';
import { makeHarness, openTestStore, requestId, type Harness, type TestStore } from '../helpers/harness.ts';
import { seedAutoConfirmBody } from '../helpers/bodies.ts';

interface FullDisk {
  store: TestStore;
  /** Leaves the database almost no room to grow. */
  fill(): Promise<void>;
  /** Gives the room back. */
  free(): Promise<void>;
}

const VOLUME_BYTES = 1024 * 1024;
/** Room left on the "full" volume: a few creates fit, then the WAL cannot grow. */
const HEADROOM_BYTES = 256 * 1024;

/** A 1 MB tmpfs holding the database, or undefined where mounting is not allowed (not root, a container). */
async function tmpfsDisk(): Promise<FullDisk | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'kasir-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${VOLUME_BYTES}`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  const path = join(dir, 'kasir.db');
  const filler = join(dir, 'filler');
  const store = await openStore({ kind: 'sqlite', path });
  return {
    store: {
      ...store,
      databaseUrl: `file:${path}`,
      destroy: async () => {
        await store.close();
        execFileSync('umount', [dir]);
        rmSync(dir, { recursive: true, force: true });
      },
    },
    async fill() {
      const { bavail, bsize } = statfsSync(dir);
      writeFileSync(filler, Buffer.alloc(Math.max(0, bavail * bsize - HEADROOM_BYTES)));
    },
    async free() {
      unlinkSync(filler);
    },
  };
}

/** The database may grow by a few pages only (SQLite answers SQLITE_FULL past max_page_count). */
async function cappedDisk(): Promise<FullDisk> {
  const store = await openTestStore('sqlite');
  // The cap is the connection's; the store's single connection is the one the app writes through.
  const pragma = async (statement: string) => (await sql.raw(`PRAGMA ${statement}`).execute(store.db)).rows[0];
  return {
    store,
    async fill() {
      // Pages freed by earlier writes would be reused before the file grows: count only the file's size.
      const row = (await pragma('page_count')) as { page_count: number };
      await pragma(`max_page_count = ${row.page_count + 12}`);
    },
    async free() {
      await pragma('max_page_count = 1073741823');
    },
  };
}

const disks: Array<[string, () => Promise<FullDisk | undefined>]> = [
  ['a 1 MB tmpfs', tmpfsDisk],
  ['max_page_count', cappedDisk],
];

describe.each(disks)('SQLite on a full disk (%s)', (_name, makeDisk) => {
  let disk: FullDisk | undefined;
  let h: Harness;
  const logs: Array<Record<string, any>> = [];

  beforeAll(async () => {
    disk = await makeDisk();
    if (!disk) return;
    h = await makeHarness('sqlite', { store: disk.store, logStream: { write: (line) => void logs.push(JSON.parse(line)) } });
  });
  afterAll(async () => (h ? h.close() : disk?.store.destroy()));

  const rowsOf = async (table: 'payment_sessions' | 'charges' | 'va_numbers' | 'callbacks' | 'idempotency_keys') =>
    Number(
      (
        await h.store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('answers 503 with SQLITE_FULL in the log, leaves nothing half-written, and recovers when there is room', async (context) => {
    if (!disk) return context.skip('mounting a tmpfs is not allowed here');
    const before = await h.api('POST', '/v2/payments', seedAutoConfirmBody(), { 'x-request-id': requestId() });
    expect(before.status).toBe(200);

    await disk.fill();
    const created: string[] = [];
    let refused: { key: string; reference: string; res: Awaited<ReturnType<Harness['api']>> } | undefined;
    for (let i = 0; i < 500 && !refused; i++) {
      const key = requestId();
      const body = seedAutoConfirmBody();
      const res = await h.api('POST', '/v2/payments', body, { 'x-request-id': key });
      if (res.status === 200) created.push(res.body.data.id);
      else refused = { key, reference: body.clientReferenceId, res };
    }
    expect(refused, 'the disk never filled up').toBeDefined();
    const { res, key, reference } = refused!;
    expect(res.status, JSON.stringify(res.body)).toBe(503);
    expect(res.body.code).toBe('service_unavailable');
    expect(res.body.error).toMatchObject({ type: 'GATEWAY_ERROR', source: 'SYSTEM' });
    expect(res.headers['retry-after']).toBeDefined();
    expect(JSON.stringify(res.body)).not.toMatch(/SQLITE/);
    const logged = logs.find((line) => line.msg === 'database unavailable');
    expect(logged?.level).toBe(50);
    expect(logged?.err.code).toBe('SQLITE_FULL');

    // Nothing of the refused create was written, and every create that succeeded is whole.
    const sessions = await h.store.db.selectFrom('payment_sessions').select(['id', 'client_reference_id']).execute();
    expect(sessions.some((s) => s.client_reference_id === reference)).toBe(false);
    const keys = await h.store.db.selectFrom('idempotency_keys').select('key').execute();
    expect(keys.some((k) => k.key === key)).toBe(false);
    const sessionCount = 1 + created.length;
    expect(sessions).toHaveLength(sessionCount);
    expect(await rowsOf('idempotency_keys')).toBe(sessionCount);
    expect(await rowsOf('charges')).toBe(sessionCount);
    expect(await rowsOf('va_numbers')).toBe(sessionCount);
    expect(await rowsOf('callbacks')).toBe(sessionCount);
    for (const id of created) expect((await h.api('GET', `/v2/payments/${id}`)).status).toBe(200);

    await disk.free();
    const after = await h.api('POST', '/v2/payments', seedAutoConfirmBody(), { 'x-request-id': key });
    expect(after.status, JSON.stringify(after.body)).toBe(200);
    expect(await rowsOf('payment_sessions')).toBe(sessionCount + 1);
  });
});
