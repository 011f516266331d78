// The one classifier of database failures, on errors the drivers really raise: every way of the database
// being unreachable, frozen, shut down, out of time or out of space is "unavailable" (503), while a bad
// statement, a constraint or a bug is not (those stay 4xx answers or a 500).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../src/store/faults.ts';
import { DB_KINDS, PG_URL } from '../helpers/harness.ts';
import { freePort } from '../helpers/process.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';

/** The error `work` rejects (or throws) with; fails the test if it succeeds. */
async function failureOf(work: () => unknown): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected the database call to fail');
}

/** The first 'error' event of a client (the server ending an idle session arrives this way). */
const nextError = (client: pg.Client) => new Promise<Error>((resolve) => client.once('error', resolve));

describe.runIf(DB_KINDS.includes('postgres'))('PostgreSQL failures', () => {
  let proxy: TcpProxy;
  const target = new URL(PG_URL);
  const throughProxy = () => {
    const url = new URL(PG_URL);
    url.host = proxy.address;
    return url.toString();
  };
  const clients: pg.Client[] = [];
  async function client(config: pg.ClientConfig = {}): Promise<pg.Client> {
    const c = new pg.Client({ connectionString: PG_URL, ...config });
    c.on('error', () => {});
    clients.push(c);
    await c.connect();
    return c;
  }

  beforeAll(async () => {
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  });
  afterAll(async () => {
    await proxy.restore();
    await Promise.all(clients.map((c) => c.end().catch(() => {})));
    await proxy.close();
  });

  it('a refused connection', async () => {
    const port = await freePort();
    const error = await failureOf(() => client({ connectionString: `postgres://postgres@127.0.0.1:${port}/test` }));
    expect(isDatabaseUnavailable(error), String(error)).toBe(true);
  });

  it('a server that accepts and never answers: the connect timeout and the query timeout', async () => {
    const frozenPool = new pg.Pool({ connectionString: throughProxy(), connectionTimeoutMillis: 200 });
    frozenPool.on('error', () => {});
    const connected = await client({ connectionString: throughProxy(), query_timeout: 200 });
    proxy.freeze();
    try {
      const connectError = await failureOf(() => frozenPool.query('SELECT 1'));
      expect(String(connectError)).toMatch(/timeout/);
      expect(isDatabaseUnavailable(connectError), String(connectError)).toBe(true);
      const queryError = await failureOf(() => connected.query('SELECT 1'));
      expect(String(queryError)).toMatch(/Query read timeout/);
      expect(isDatabaseUnavailable(queryError), String(queryError)).toBe(true);
    } finally {
      await proxy.restore();
      await frozenPool.end();
    }
  });

  it('a pool with no free connection in time', async () => {
    const pool = new pg.Pool({ connectionString: PG_URL, max: 1, connectionTimeoutMillis: 150 });
    const held = await pool.connect();
    try {
      const error = await failureOf(() => pool.query('SELECT 1'));
      expect(String(error)).toMatch(/timeout exceeded when trying to connect/);
      expect(isDatabaseUnavailable(error)).toBe(true);
    } finally {
      held.release();
      await pool.end();
    }
  });

  it('a dropped connection, and the server ending sessions (pg_terminate_backend, idle in transaction)', async () => {
    const dropped = await client({ connectionString: throughProxy() });
    const droppedEvent = nextError(dropped);
    await proxy.kill();
    expect(isDatabaseUnavailable(await droppedEvent)).toBe(true);
    expect(isDatabaseUnavailable(await failureOf(() => dropped.query('SELECT 1')))).toBe(true);
    await proxy.restore();

    const victim = await client();
    const terminated = nextError(victim);
    const admin = await client();
    await admin.query('SELECT pg_terminate_backend($1)', [(await victim.query('SELECT pg_backend_pid() AS pid')).rows[0].pid]);
    const terminationError = await terminated;
    expect(terminationError).toMatchObject({ code: '57P01' });
    expect(isDatabaseUnavailable(terminationError)).toBe(true);

    const idle = await client({ idle_in_transaction_session_timeout: 100 });
    const ended = nextError(idle);
    await idle.query('BEGIN');
    const idleError = await ended;
    expect(idleError).toMatchObject({ code: '25P03' });
    expect(isDatabaseUnavailable(idleError)).toBe(true);
  });

  it('a statement cancelled by statement_timeout', async () => {
    const c = await client({ statement_timeout: 50 });
    const error = await failureOf(() => c.query('SELECT pg_sleep(1)'));
    expect(error).toMatchObject({ code: '57014' });
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('is not fooled by mistakes: syntax, constraints, bad values', async () => {
    const c = await client();
    await c.query('CREATE TEMP TABLE t (id int PRIMARY KEY)');
    await c.query('INSERT INTO t VALUES (1)');
    for (const sql of ['SELEC 1', 'INSERT INTO t VALUES (1)', 'SELECT 1/0', "SELECT 'x'::int", 'SELECT * FROM missing']) {
      const error = await failureOf(() => c.query(sql));
      expect(isDatabaseUnavailable(error), `${sql}: ${String(error)}`).toBe(false);
    }
  });
});

describe('SQLite failures', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kasir-faults-'));
  const path = join(dir, 'faults.db');
  let db: BetterSqlite3.Database;
  beforeAll(() => {
    db = new BetterSqlite3(path);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a lock still held after busy_timeout (SQLITE_BUSY)', async () => {
    const other = new BetterSqlite3(path);
    other.pragma('busy_timeout = 0');
    db.exec('BEGIN IMMEDIATE');
    try {
      const error = await failureOf(() => other.exec("INSERT INTO t (v) VALUES ('x')"));
      expect(error).toMatchObject({ code: expect.stringMatching(/^SQLITE_BUSY/) });
      expect(isDatabaseUnavailable(error)).toBe(true);
    } finally {
      db.exec('ROLLBACK');
      other.close();
    }
  });

  it('a full database (SQLITE_FULL)', async () => {
    const full = new BetterSqlite3(join(dir, 'full.db'));
    full.exec('CREATE TABLE t (v TEXT)');
    full.pragma(`max_page_count = ${Number(full.pragma('page_count', { simple: true })) + 1}`);
    try {
      const error = await failureOf(() => {
        for (let i = 0; i < 100; i++) full.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(4000));
      });
      expect(error).toMatchObject({ code: 'SQLITE_FULL' });
      expect(isDatabaseUnavailable(error)).toBe(true);
    } finally {
      full.close();
    }
  });

  it('is not fooled by mistakes: constraints and syntax', async () => {
    db.exec("INSERT INTO t (id, v) VALUES (1, 'x')");
    for (const statement of ["INSERT INTO t (id, v) VALUES (1, 'y')", 'SELEC 1']) {
      const error = await failureOf(() => db.exec(statement));
      expect(isDatabaseUnavailable(error), `${statement}: ${String(error)}`).toBe(false);
    }
  });
});

describe('anything else', () => {
  it('looks through wrappers and ignores what is not an error from the database', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(isDatabaseUnavailable(new Error('Connection terminated due to connection timeout', { cause: refused }))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([refused], 'every address refused'))).toBe(true);
    for (const other of [new TypeError('x is undefined'), new Error('boom'), 'ECONNREFUSED', null, undefined, { code: 42 }]) {
      expect(isDatabaseUnavailable(other), String(other)).toBe(false);
    }
  });
});
