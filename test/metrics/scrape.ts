// Reading Prometheus' text format in the metrics tests: one series' value, and every metric a scrape declares.
import { expect } from 'vitest';
import type { Harness } from '../helpers/harness.ts';

/** GET /metrics on the harness's app, as a Prometheus server would. */
export async function scrape(h: Harness): Promise<string> {
  const res = await h.app.inject({ method: 'GET', url: '/metrics' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.body;
}

/** The value of one series (0 when it is not there yet: a counter's labels appear at their first count). */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-z_]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? '').split(',');
    if (wanted.every((w) => have.includes(w))) return Number(match[3]);
  }
  return 0;
}

/** Whether the scrape declares the metric (its `# TYPE` line), whether or not it has a sample yet. */
export function declares(text: string, name: string): boolean {
  return new RegExp(`^# TYPE ${name} `, 'm').test(text);
}

/** How much each series moved between two scrapes. */
export function moved(before: string, after: string, name: string, labels: Record<string, string> = {}): number {
  return sample(after, name, labels) - sample(before, name, labels);
}
