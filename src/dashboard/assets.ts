// The dashboard's stylesheet (assets/*.css, joined), read once at start and served under a content-hashed name, so pages can be
// no-store while the stylesheet is cached for good.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface Asset {
  path: string;
  body: string;
  contentType: string;
}

/** The stylesheet's parts, joined in this order: the shell's, then each screen's own. */
const SHEETS = ['dashboard.css', 'overview.css', 'callbacks.css'];

export function loadStylesheet(): Asset {
  const body = SHEETS.map((name) => readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8')).join('\n');
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { path: `/dashboard/assets/dashboard.${hash}.css`, body, contentType: 'text/css; charset=utf-8' };
}
