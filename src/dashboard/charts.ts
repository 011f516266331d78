// Charts drawn on the server as SVG: no script, no inline style (the CSP allows neither), only SVG
// presentation attributes and classes from the stylesheet. One series, so colour carries no meaning: the
// bars' heights and the axis labels do, each bar has a <title>, and the caller puts the same numbers in a
// table next to the chart for screen readers and for anyone who cannot see it.
import { html, type SafeHtml } from '../page/html.ts';

export interface BarPoint {
  /** The bar's own name, in its tooltip and the table (e.g. a full date). */
  label: string;
  /** What the x axis prints under the bar, when it prints one (e.g. "26/11"). */
  tick: string;
  value: number;
}

export interface BarChart {
  /** Unique on the page: the ids of <title> and <desc> derive from it. */
  id: string;
  title: string;
  desc: string;
  axisX: string;
  axisY: string;
  points: BarPoint[];
  format: (value: number) => string;
  /** Print every nth tick under the x axis (and always the last); default 5. */
  tickEvery?: number;
}

const WIDTH = 720;
const HEIGHT = 260;
// The values are printed on both sides, so a phone that shows the chart's right end still reads them.
const PAD = { left: 56, right: 48, top: 16, bottom: 52 };

/** An axis step of 1, 2 or 5 times a power of ten, so that about four steps cover `max`. */
export function niceStep(max: number): number {
  if (max <= 4) return 1;
  const raw = max / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  return Math.max(1, Math.round(step));
}

export function barChart(chart: BarChart): SafeHtml {
  const { points, format } = chart;
  const every = chart.tickEvery ?? 5;
  const max = Math.max(0, ...points.map((p) => p.value));
  const step = niceStep(max);
  const top = Math.max(step, Math.ceil(max / step) * step);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(points.length, 1);
  const barW = Math.max(2, slot * 0.7);
  const y = (value: number) => PAD.top + plotH - (value / top) * plotH;
  const round = (n: number) => Math.round(n * 10) / 10;
  const ticks = Array.from({ length: top / step + 1 }, (_, i) => i * step);
  const baseline = PAD.top + plotH;
  const titleId = `${chart.id}-title`;
  const descId = `${chart.id}-desc`;
  return html`<svg
    class="chart"
    id="${chart.id}"
    viewBox="0 0 ${WIDTH} ${HEIGHT}"
    role="img"
    aria-labelledby="${titleId} ${descId}"
    xmlns="http://www.w3.org/2000/svg"
  >
    <title id="${titleId}">${chart.title}</title>
    <desc id="${descId}">${chart.desc}</desc>
    <g class="chart-grid" aria-hidden="true">
      ${ticks.map(
        (t) =>
          html`<line
              x1="${PAD.left}"
              x2="${WIDTH - PAD.right}"
              y1="${round(y(t))}"
              y2="${round(y(t))}"
              stroke="#d5dbe3"
              stroke-width="1"
            />
            <text x="${PAD.left - 8}" y="${round(y(t)) + 4}" text-anchor="end" font-size="14" fill="#4a5460">${format(t)}</text>
            <text x="${WIDTH - PAD.right + 8}" y="${round(y(t)) + 4}" text-anchor="start" font-size="14" fill="#4a5460"
              >${format(t)}</text
            >`,
      )}
    </g>
    <g class="chart-bars">
      ${points.map((p, i) => {
        const h = baseline - y(p.value);
        return html`<rect
          x="${round(PAD.left + i * slot + (slot - barW) / 2)}"
          y="${round(baseline - h)}"
          width="${round(barW)}"
          height="${round(h)}"
          fill="#0b4f8a"
        >
          <title>${p.label}: ${format(p.value)}</title>
        </rect>`;
      })}
    </g>
    <g class="chart-axis" aria-hidden="true">
      <line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${baseline}" y2="${baseline}" stroke="#1b1f24" stroke-width="1" />
      ${points.map((p, i) =>
        i % every === 0 || i === points.length - 1
          ? html`<text
              x="${round(PAD.left + i * slot + slot / 2)}"
              y="${baseline + 18}"
              text-anchor="middle"
              font-size="14"
              fill="#1b1f24"
              >${p.tick}</text
            >`
          : '',
      )}
      <text x="${WIDTH - PAD.right}" y="${HEIGHT - 8}" text-anchor="end" font-size="13" fill="#1b1f24">${chart.axisX}</text>
      <text
        x="14"
        y="${PAD.top + plotH / 2}"
        text-anchor="middle"
        font-size="13"
        fill="#1b1f24"
        transform="rotate(-90 14 ${PAD.top + plotH / 2})"
      >
        ${chart.axisY}
      </text>
    </g>
  </svg>`;
}
