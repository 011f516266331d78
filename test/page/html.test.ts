import { describe, it, expect } from 'vitest';
import { escapeHtml, html, row, trusted } from '../../src/page/html.ts';

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

describe('row', () => {
  it('writes a label and its value as one row of a description list, with the classes and test id asked for', () => {
    const plain = row('Order no.', 'ref-1').value.replace(/\s+/g, ' ');
    expect(plain).toBe('<div> <dt>Order no.</dt> <dd>ref-1</dd> </div>');
    const marked = row('Total', html`<b>Rp 10.000</b>`, { rowClass: 'total', valueClass: 'num', testid: 'amount' }).value;
    expect(marked.replace(/\s+/g, ' ')).toBe(
      '<div class="total"> <dt>Total</dt> <dd class="num" data-testid="amount"><b>Rp 10.000</b></dd> </div>',
    );
  });

  it("escapes a merchant's text in the label and the value", () => {
    const value = row('<i>Shop</i>', '"><script>alert(1)</script>').value;
    expect(value).toContain('<dt>&lt;i&gt;Shop&lt;/i&gt;</dt>');
    expect(value).toContain('<dd>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</dd>');
    expect(value).not.toContain('<script>');
  });
});
