// The Overview screen: today and the last 30 days at a glance, a daily chart (server-side SVG, its numbers
// also in a table), the split by method and by bank/channel, and how callbacks fare. Pure functions to HTML;
// every value goes through page/html.ts's escaper.
import { html, type SafeHtml } from '../page/html.ts';
import type { AmountsByCurrency, OverviewStats, PeriodStats, Tally } from '../usecases/dashboard/overview.ts';
import { barChart } from './charts.ts';
import type { Locale } from './i18n.ts';
import { formatTime, shellPage, type Shell } from './views.ts';

/** Numbers, percentages and dates as the reader's language writes them. */
export function formats(locale: Locale) {
  const tag = locale === 'id' ? 'id-ID' : 'en-GB';
  const number = new Intl.NumberFormat(tag);
  const percent = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 1 });
  const day = new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  return {
    number: (n: number) => number.format(n),
    percent: (ratio: number | null) => (ratio === null ? null : percent.format(ratio)),
    /** A calendar date "2026-11-26" as "26 Nov 2026". */
    date: (date: string) => day.format(new Date(`${date}T00:00:00Z`)),
    /** "26/11": short enough for the chart's axis. */
    tick: (date: string) => `${date.slice(8, 10)}/${date.slice(5, 7)}`,
    amounts: (amounts: AmountsByCurrency) =>
      Object.entries(amounts)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([currency, value]) => `${currency} ${number.format(value)}`),
  };
}

type Formats = ReturnType<typeof formats>;

function amountsCell(s: Shell, f: Formats, amounts: AmountsByCurrency): SafeHtml | string {
  const lines = f.amounts(amounts);
  return lines.length ? html`${lines.map((line, i) => html`${i > 0 ? html`<br />` : ''}${line}`)}` : s.t('ovNothing');
}

function periodCard(s: Shell, f: Formats, id: string, heading: string, p: PeriodStats): SafeHtml {
  const { t } = s;
  return html`<section class="card stat" aria-labelledby="${id}">
    <h2 id="${id}">${heading}</h2>
    <dl class="figures">
      <div>
        <dt>${t('ovCreated')}</dt>
        <dd>${f.number(p.created)}</dd>
      </div>
      <div>
        <dt>${t('ovPaid')}</dt>
        <dd>${f.number(p.paid)}</dd>
      </div>
      <div>
        <dt>${t('ovConversion')}</dt>
        <dd>${f.percent(p.conversion) ?? t('ovNothing')}</dd>
      </div>
      <div>
        <dt>${t('ovAmountPaid')}</dt>
        <dd>${amountsCell(s, f, p.amountPaid)}</dd>
      </div>
    </dl>
  </section>`;
}

function splitTable(
  s: Shell,
  f: Formats,
  id: string,
  heading: string,
  nameHeading: string,
  rows: Array<Tally & { name: string }>,
): SafeHtml {
  const { t } = s;
  return html`<section class="card" aria-labelledby="${id}">
    <h2 id="${id}">${heading}</h2>
    ${
      rows.length === 0
        ? html`<p class="muted">${t('ovNoPayments')}</p>`
        : html`<table class="compact">
            <thead>
              <tr>
                <th scope="col">${nameHeading}</th>
                <th scope="col" class="num">${t('ovCreated')}</th>
                <th scope="col" class="num">${t('ovPaid')}</th>
                <th scope="col" class="num">${t('ovConversion')}</th>
                <th scope="col" class="num">${t('ovAmountPaid')}</th>
              </tr>
            </thead>
            <tbody>
              ${rows.map(
                (r) =>
                  html`<tr>
                    <th scope="row" data-label="${nameHeading}">${r.name}</th>
                    <td class="num" data-label="${t('ovCreated')}">${f.number(r.created)}</td>
                    <td class="num" data-label="${t('ovPaid')}">${f.number(r.paid)}</td>
                    <td class="num" data-label="${t('ovConversion')}">${f.percent(r.conversion) ?? t('ovNothing')}</td>
                    <td class="num" data-label="${t('ovAmountPaid')}">${amountsCell(s, f, r.amountPaid)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
  </section>`;
}

function dailySection(s: Shell, f: Formats, stats: OverviewStats): SafeHtml {
  const { t } = s;
  const days = stats.daily;
  const first = days[0];
  const last = days[days.length - 1];
  const busiest = days.reduce<(typeof days)[number] | undefined>(
    (best, d) => (!best || d.paid > best.paid ? d : best),
    undefined,
  );
  const total = days.reduce((sum, d) => sum + d.paid, 0);
  const chart = barChart({
    id: 'paid-per-day',
    title: t('ovChartTitle'),
    desc: t('ovChartDesc', {
      from: first ? f.date(first.date) : '',
      to: last ? f.date(last.date) : '',
      total: f.number(total),
      max: f.number(busiest?.paid ?? 0),
      maxDate: busiest ? f.date(busiest.date) : '',
    }),
    axisX: t('ovChartAxisX'),
    axisY: t('ovChartAxisY'),
    points: days.map((d) => ({ label: f.date(d.date), tick: f.tick(d.date), value: d.paid })),
    format: f.number,
  });
  return html`<section class="card" aria-labelledby="chart-heading">
    <h2 id="chart-heading">${t('ovChartTitle')} · ${t('ovLast30')}</h2>
    <figure class="chart-figure" tabindex="0" role="region" aria-label="${t('ovChartTitle')}">${chart}</figure>
    <details>
      <summary>${t('ovChartTable')}</summary>
      <div class="table-wrap" tabindex="0" role="region" aria-label="${t('ovChartTable')}">
        <table class="compact">
          <thead>
            <tr>
              <th scope="col">${t('ovDate')}</th>
              <th scope="col" class="num">${t('ovCreated')}</th>
              <th scope="col" class="num">${t('ovPaid')}</th>
              <th scope="col" class="num">${t('ovAmountPaid')}</th>
            </tr>
          </thead>
          <tbody>
            ${[...days].reverse().map(
              (d) =>
                html`<tr>
                  <th scope="row" data-label="${t('ovDate')}">${f.date(d.date)}</th>
                  <td class="num" data-label="${t('ovCreated')}">${f.number(d.created)}</td>
                  <td class="num" data-label="${t('ovPaid')}">${f.number(d.paid)}</td>
                  <td class="num" data-label="${t('ovAmountPaid')}">${amountsCell(s, f, d.amountPaid)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </details>
  </section>`;
}

/** Where a callback's resource is shown: a payment's detail screen; a refund has none of its own. */
export function resourceLink(resourceType: string, resourceId: string): SafeHtml {
  return resourceType === 'payment_session'
    ? html`<a href="/dashboard/payments/${encodeURIComponent(resourceId)}"><code>${resourceId}</code></a>`
    : html`<code>${resourceId}</code>`;
}

function callbacksSection(s: Shell, f: Formats, stats: OverviewStats): SafeHtml {
  const { t } = s;
  const c = stats.callbacks;
  const oldest = c.oldestUndelivered;
  return html`<section class="card" aria-labelledby="callbacks-heading">
    <h2 id="callbacks-heading">${t('ovCallbacks')}</h2>
    <dl class="figures">
      <div>
        <dt>${t('ovSuccessRate')}</dt>
        <dd>${f.percent(c.successRate) ?? t('ovNothing')}</dd>
      </div>
      <div>
        <dt>${t('ovDelivered')}</dt>
        <dd>${f.number(c.last30Days.delivered)}</dd>
      </div>
      <div>
        <dt>${t('ovFailed')}</dt>
        <dd>${f.number(c.last30Days.failed)}</dd>
      </div>
      <div>
        <dt>${t('ovPending')}</dt>
        <dd>${f.number(c.last30Days.pending + c.last30Days.delivering)}</dd>
      </div>
    </dl>
    <p class="muted">${t('ovSuccessRateHint')}</p>
    <h3>${t('ovOldest')}</h3>
    ${
      oldest
        ? html`<p>
              <code>${oldest.event}</code> ·
              ${t(oldest.resourceType === 'refund' ? 'cbResource_refund' : 'cbResource_payment_session')}
              ${resourceLink(oldest.resourceType, oldest.resourceId)} · ${formatTime(new Date(oldest.createdAt))} ·
              <strong>${oldest.status}</strong>
            </p>
            <p><a href="/dashboard/callbacks">${t('ovSeeCallbacks')}</a></p>`
        : html`<p>${t('ovOldestNone')}</p>`
    }
  </section>`;
}

export function overviewPage(s: Shell, stats: OverviewStats): SafeHtml {
  const { t } = s;
  const f = formats(s.locale);
  const month = stats.last30Days;
  return shellPage(
    s,
    t('overviewTitle'),
    html`<p class="muted">${t('ovTimezone', { tz: stats.timezone })}</p>
      <div class="stats">
        ${periodCard(s, f, 'today-heading', t('ovToday'), stats.today)} ${periodCard(s, f, 'month-heading', t('ovLast30'), month)}
      </div>
      ${dailySection(s, f, stats)}
      ${splitTable(
        s,
        f,
        'method-heading',
        t('ovByMethod'),
        t('ovMethod'),
        month.byMethod.map((m) => ({ ...m, name: m.methodType ?? t('ovNoMethod') })),
      )}
      ${splitTable(
        s,
        f,
        'channel-heading',
        t('ovByChannel'),
        t('ovChannel'),
        month.byChannel.map((m) => ({ ...m, name: m.channel ?? t('ovNoChannel') })),
      )}
      ${callbacksSection(s, f, stats)}`,
  );
}
