// axe-core in Chromium: the serious and critical accessibility violations of the page as it is now. axe is
// evaluated through the DevTools protocol, as a console would, which the page's CSP does not govern (a
// <script> tag it would block), so the page is judged with its real CSP in force.
import axe from 'axe-core';
import type { Page } from 'playwright-core';

export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown }>;
}

/** `rules`: run only these axe rules (a large page the test judges only in part); every rule otherwise. */
export async function seriousViolations(page: Page, rules?: string[]): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source);
  const result = await page.evaluate(async (only) => {
    const run = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: Violation[] }> } }).axe
      .run;
    return run(document, { resultTypes: ['violations'], ...(only && { runOnly: { type: 'rule', values: only } }) });
  }, rules);
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
}
