// The page's one escaping mechanism: an `html` tagged template. Every interpolated value is escaped
// unless it is already SafeHtml (the output of another `html` call), so merchant- and customer-supplied
// strings can never open a tag or leave an attribute. Attributes are always written double-quoted.

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

const SPECIAL = /[&<>"'`]/;
const SPECIALS = /[&<>"'`]/g;

export function escapeHtml(text: string): string {
  // Most values (ids, digits, the token, our own copy) hold nothing to escape: skip the replace pass.
  return SPECIAL.test(text) ? text.replace(SPECIALS, (c) => ENTITIES[c] ?? c) : text;
}

export type Value = SafeHtml | string | number | boolean | null | undefined | readonly Value[];

function render(value: Value): string {
  if (value === null || value === undefined || value === false || value === true) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  // A tagged template has one more string than values, so strings[0] always exists ('' is never used).
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/** Markup produced by a trusted generator (the QR library's SVG); never pass user input here. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** How a `row` is marked up beyond its label and value: classes on the row and on the value, a test id. */
export interface RowMarks {
  rowClass?: string;
  valueClass?: string;
  testid?: string;
}

/** One label and value of a `<dl class="rows">` list; the value is escaped like any interpolation. */
export function row(label: string, value: Value, marks: RowMarks = {}): SafeHtml {
  const rowClass = marks.rowClass ? html` class="${marks.rowClass}"` : '';
  const valueClass = marks.valueClass ? html` class="${marks.valueClass}"` : '';
  const testid = marks.testid ? html` data-testid="${marks.testid}"` : '';
  return html`<div${rowClass}>
        <dt>${label}</dt>
        <dd${valueClass}${testid}>${value}</dd>
      </div>`;
}
