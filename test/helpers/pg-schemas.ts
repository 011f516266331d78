// Global setup: every PostgreSQL suite of one run gets a schema named with this run's prefix, and the
// schemas are dropped once, after the whole run. Dropping a schema while another suite's migrator lists
// tables across schemas made that migrator fail ("schema … does not exist"); nothing is dropped mid-run.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const PG_URL = process.env.KASIR_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export default function setup(): (() => Promise<void>) | undefined {
  // Several projects share one run (and one process env): the first setup names the run and cleans up.
  if (process.env.KASIR_TEST_SCHEMA_PREFIX) return undefined;
  const prefix = `kasir_t_${randomBytes(4).toString('hex')}_`;
  process.env.KASIR_TEST_SCHEMA_PREFIX = prefix;
  return async () => {
    const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
    try {
      await admin.connect();
      const { rows } = await admin.query<{ name: string }>(
        'SELECT nspname AS name FROM pg_namespace WHERE left(nspname, length($1)) = $1',
        [prefix],
      );
      for (const { name } of rows) await admin.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
    } catch {
      // PostgreSQL absent (off CI): there is nothing to drop.
    } finally {
      await admin.end().catch(() => {});
    }
  };
}
