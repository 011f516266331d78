// CSV as RFC 4180 writes it (CRLF line ends, fields quoted when they hold a quote, comma or line break,
// quotes doubled), made safe to open in a spreadsheet: a cell that starts like a formula (= + - @, or a
// tab or carriage return that some programs skip first) gets a leading single quote, so merchant-supplied
// text such as a clientReferenceId of "=HYPERLINK(…)" is shown, never evaluated (OWASP's CSV injection).

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(values: ReadonlyArray<string | number | null>): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
