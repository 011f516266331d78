import { describe, it, expect } from 'vitest';
import { escapeHtml, html, trusted } from '../../src/page/html.ts';

describe('html template', () => {
  it('escapes every interpolated string, in text and in attributes', () => {
    const name = '<script>alert(1)</script>';
    const attr = '"><img src=x onerror=alert(1)>';
    const out = html`<p title="${attr}">${name}</p>`.value;
    expect(out).toBe('<p title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  });

  it('escapes single quotes, backticks and ampersands', () => {
    expect(escapeHtml(`'&\``)).toBe('&#39;&amp;&#96;');
  });

  it('nests safe fragments without double escaping, joins arrays, drops empty values', () => {
    const inner = html`<b>${'a&b'}</b>`;
    expect(html`<div>${inner}${['<', html`<i></i>`]}${null}${undefined}${false}${0}</div>`.value).toBe(
      '<div><b>a&amp;b</b>&lt;<i></i>0</div>',
    );
  });

  it('passes trusted markup through untouched', () => {
    expect(html`${trusted('<svg></svg>')}`.value).toBe('<svg></svg>');
  });
});
