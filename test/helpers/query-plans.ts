// The query plans of what a piece of code really runs: every statement it executes is captured, then
// explained on the same connection — SQLite as production runs it (no ANALYZE statistics), PostgreSQL with
// sequential scans switched off, so the plan names the index it would use rather than a scan a small table
// makes cheap. Used by the index tests of migrations 0005 and 0010.
import { CompiledQuery, type QueryExecutor, type QueryResult } from 'kysely';
import { expect } from 'vitest';
import type { Harness } from './harness.ts';

export interface Plan {
  /** Indexes the plan reads, by name. */
  indexes: string[];
  /** Tables (of those asked about) read without an index: whole-table scans. */
  scans: string[];
  text: string;
}

interface PgNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PgNode[];
}

function sqlitePlan(rows: Array<{ detail: string }>, tables: RegExp): Plan {
  const lines = rows.map((r) => r.detail);
  return {
    indexes: lines.flatMap((l) => /USING (?:COVERING )?INDEX (\S+)/.exec(l)?.[1] ?? []),
    // "SCAN t" and "SCAN t USING … INDEX" both read every row (or index entry) of t; "SCAN part0" is a subquery.
    scans: lines.flatMap((l) => /^SCAN (\S+)/.exec(l.trim())?.[1] ?? []).filter((t) => tables.test(t)),
    text: lines.join('\n'),
  };
}

function postgresPlan(root: PgNode): Plan {
  const nodes: PgNode[] = [];
  const walk = (n: PgNode) => (nodes.push(n), n.Plans?.forEach(walk));
  walk(root);
  return {
    indexes: nodes.flatMap((n) => n['Index Name'] ?? []),
    scans: nodes.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name'] ?? '?'),
    text: JSON.stringify(root),
  };
}

/**
 * PostgreSQL's statistics for `tables` of the harness's own schema (SQLite runs without any). A bare ANALYZE
 * walked every schema of the test database, every other test file's too, and on a busy machine outlasted
 * the statement timeout.
 */
export async function analyzeTables(h: Harness, tables: readonly string[]): Promise<void> {
  if (h.kind !== 'postgres') return;
  await h.store.db.executeQuery(CompiledQuery.raw(`ANALYZE ${tables.map((t) => `"${t}"`).join(', ')}`));
}

/**
 * The plan of each statement `run` executes (with `readsOnly`, of each SELECT: writes are explained through
 * the reads that chose their rows). `tables` names the tables whose scans count.
 */
export async function explainRun(
  h: Harness,
  run: () => Promise<unknown>,
  options: { tables: RegExp; readsOnly?: boolean },
): Promise<Plan[]> {
  const executor = h.ctx.db.getExecutor();
  const executeQuery = executor.executeQuery;
  const executed: CompiledQuery[] = [];
  executor.executeQuery = <R>(query: CompiledQuery<R>): Promise<QueryResult<R>> => {
    executed.push(query);
    return executeQuery.call<QueryExecutor, [CompiledQuery<R>], Promise<QueryResult<R>>>(executor, query);
  };
  try {
    await run();
  } finally {
    executor.executeQuery = executeQuery;
  }
  const postgres = h.kind === 'postgres';
  const plans: Plan[] = [];
  await h.ctx.db.connection().execute(async (conn) => {
    if (postgres) await conn.executeQuery(CompiledQuery.raw('SET enable_seqscan = off'));
    try {
      for (const query of executed) {
        if (options.readsOnly && !/^\s*select/i.test(query.sql)) continue;
        if (!postgres) {
          const { rows } = await conn.executeQuery<{ detail: string }>(
            CompiledQuery.raw(`EXPLAIN QUERY PLAN ${query.sql}`, [...query.parameters]),
          );
          plans.push(sqlitePlan(rows, options.tables));
        } else {
          const { rows } = await conn.executeQuery<{ 'QUERY PLAN': Array<{ Plan: PgNode }> }>(
            CompiledQuery.raw(`EXPLAIN (FORMAT JSON) ${query.sql}`, [...query.parameters]),
          );
          plans.push(postgresPlan(rows[0]!['QUERY PLAN'][0]!.Plan));
        }
      }
    } finally {
      if (postgres) await conn.executeQuery(CompiledQuery.raw('RESET enable_seqscan'));
    }
  });
  expect(plans.length).toBeGreaterThan(0);
  return plans;
}
