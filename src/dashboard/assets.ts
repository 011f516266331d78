// The dashboard's stylesheet, read once at start and served under a content-hashed name, so pages can be
// no-store while the stylesheet is cached for good.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface Asset {
  path: string;
  body: string;
  contentType: string;
}

export function loadStylesheet(): Asset {
  const body = readFileSync(new URL('./assets/dashboard.css', import.meta.url), 'utf8');
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { path: `/dashboard/assets/dashboard.${hash}.css`, body, contentType: 'text/css; charset=utf-8' };
}
