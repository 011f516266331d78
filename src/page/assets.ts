// The page's stylesheet and script, read once at start and served under content-hashed names, so the
// HTML can be no-store while the assets are cached for good.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface Asset {
  path: string;
  body: string;
  contentType: string;
}

function load(file: string, contentType: string): Asset {
  const body = readFileSync(new URL(`./assets/${file}`, import.meta.url), 'utf8');
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  const [name, ext] = file.split('.');
  return { path: `/detail/assets/${name}.${hash}.${ext}`, body, contentType };
}

export function loadAssets(): { css: Asset; js: Asset } {
  return { css: load('page.css', 'text/css; charset=utf-8'), js: load('page.js', 'text/javascript; charset=utf-8') };
}
