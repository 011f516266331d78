// docs/grafana-dashboard.json cannot rot: every metric its queries name is one a Kasir app really exports
// (scraped from harness apps on both databases: the pool's figures exist on PostgreSQL only), and every
// kasir_ metric the app exports has a panel.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, makeHarness, type Harness } from '../helpers/harness.ts';
import { scrape } from './scrape.ts';

const DASHBOARD = new URL('../../docs/grafana-dashboard.json', import.meta.url);

interface Target {
  refId?: unknown;
  expr?: unknown;
  datasource?: { uid?: unknown };
}
interface Panel {
  id?: unknown;
  type?: unknown;
  title?: unknown;
  targets?: Target[];
}

/** Words in PromQL that are not metric names when they stand without a parenthesis after them. */
const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
]);

/**
 * The metric names a PromQL expression reads: what is left once strings, label matchers, range selectors,
 * grouping clauses, function calls, numbers and Grafana's $variables are taken out.
 */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\w+/g, ' ')
    .replace(/\b\d[\w.]*/g, ' ');
  const names = new Set<string>();
  for (const match of bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const word = match[0];
    const followedByParen = /^\s*\(/.test(bare.slice(match.index + word.length));
    if (!followedByParen && !KEYWORDS.has(word)) names.add(word);
  }
  return [...names];
}

/** The metric families a scrape declares, with the series names a histogram or summary adds. */
function exported(text: string): Map<string, string> {
  const families = new Map<string, string>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    if (name === undefined || type === undefined) continue;
    families.set(name, name);
    if (type === 'histogram') for (const suffix of ['_bucket', '_count', '_sum']) families.set(name + suffix, name);
    if (type === 'summary') for (const suffix of ['_count', '_sum']) families.set(name + suffix, name);
  }
  return families;
}

describe('docs/grafana-dashboard.json', () => {
  const dashboard: { panels: Panel[]; __inputs: Array<{ name: string }> } = JSON.parse(readFileSync(DASHBOARD, 'utf8'));
  const targets = dashboard.panels.flatMap((panel) => panel.targets ?? []);
  const harnesses: Harness[] = [];
  const scraped = new Map<string, string>();
  beforeAll(async () => {
    for (const kind of DB_KINDS) {
      const h = await makeHarness(kind);
      harnesses.push(h);
      for (const [series, family] of exported(await scrape(h))) scraped.set(series, family);
    }
  });
  afterAll(async () => {
    for (const h of harnesses) await h.close();
  });

  it('reads the metric names out of PromQL', () => {
    expect(
      metricNames('histogram_quantile(0.95, sum by (route, le) (rate(kasir_x_bucket{status=~"5..",a="b"}[$__rate_interval])))'),
    ).toEqual(['kasir_x_bucket']);
    expect(metricNames('max by (instance) (a_total) / ignoring(x) b * 60 + c offset 5m')).toEqual(['a_total', 'b', 'c']);
  });

  it('is an importable dashboard: panels with unique ids, each query on the Prometheus input with a refId', () => {
    expect(dashboard.__inputs.map((input) => input.name)).toEqual(['DS_PROMETHEUS']);
    const ids = dashboard.panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(targets.length).toBeGreaterThanOrEqual(10);
    for (const target of targets) {
      expect(target.refId).toMatch(/^[A-Z]$/);
      expect(target.datasource?.uid).toBe('${DS_PROMETHEUS}');
      expect(typeof target.expr).toBe('string');
    }
  });

  it('queries only metrics Kasir exports', () => {
    const used = targets.flatMap((target) => metricNames(String(target.expr)));
    expect(used.length).toBeGreaterThan(0);
    const unknown = used.filter((name) => !scraped.has(name));
    // The pool's gauges are PostgreSQL's; without PostgreSQL (off CI) they cannot be checked here.
    const unchecked = DB_KINDS.includes('postgres') ? [] : unknown.filter((name) => name.startsWith('kasir_db_pool_'));
    expect(unknown.filter((name) => !unchecked.includes(name))).toEqual([]);
  });

  it('has a panel for every kasir_ metric', () => {
    const shown = new Set(targets.flatMap((target) => metricNames(String(target.expr))).map((name) => scraped.get(name)));
    const kasirFamilies = new Set([...scraped.values()].filter((family) => family.startsWith('kasir_')));
    expect([...kasirFamilies].filter((family) => !shown.has(family))).toEqual([]);
  });
});
