// The virtual-account and QRIS steps: their buttons in the picker and the pages that show how to pay one
// of their charges (the VA page's "how to pay" card rendered once per bank and language).
import { BANKS, type VaChannel } from '../domain/payment-methods.ts';
import type { Charge } from '../domain/session.ts';
import type { SimulationOutcome } from '../domain/statuses.ts';
import { formatRupiah } from './format.ts';
import { escapeHtml, html, row, SafeHtml } from './html.ts';
import type { Locale, Translate } from './i18n.ts';
import { VA_GUIDES, instructionsFor } from './va-instructions.ts';
import { head, sandboxPanel, sessionLayout, summary, waitingNote, type SessionPage } from './views.ts';

/** QRIS in the picker: one button. */
export function qrPickerSection(p: SessionPage): SafeHtml {
  const { t } = p;
  return html`<fieldset>
    <legend>${t('qris')}</legend>
    <button class="method" name="method" value="QR" data-testid="choose-qr">
      <span class="logo qr" aria-hidden="true">QR</span
      ><span><strong>${t('qris')}</strong><span class="muted small block">${t('qrisHint')}</span></span>
    </button>
  </fieldset>`;
}

/** Virtual accounts in the picker: a button per bank. */
export function vaPickerSection(p: SessionPage, banks: VaChannel[]): SafeHtml {
  return html`<fieldset>
    <legend>${p.t('virtualAccount')}</legend>
    <div class="banks">
      ${banks.map(
        (b) =>
          html`<button class="method" name="method" value="VIRTUAL_ACCOUNT:${b}" data-testid="choose-${b.toLowerCase()}">
            <span class="logo" aria-hidden="true">${b.slice(0, 3)}</span><span>${BANKS[b].name}</span>
          </button>`,
      )}
    </div>
  </fieldset>`;
}

function copyButton(value: string, label: string, t: Translate): SafeHtml {
  return html`<button type="button" class="copy" data-copy="${value}" data-done="${t('copied')}" aria-label="${label}" hidden>
    ${t('copy')}
  </button>`;
}

type StepValues = { vaNumber: string; amount: string };
// The currency sign ¤: no guide's copy holds it and escaping leaves it alone. It is within Latin-1 on
// purpose: a marker beyond it (U+E000 was used) made V8 store the whole card, and every page built from
// its parts, as two-byte text, which then cost a conversion on every send.
const STEP_MARKERS: StepValues = { vaNumber: '\u00a4vaNumber\u00a4', amount: '\u00a4amount\u00a4' };
const STEP_MARKER = /\u00a4(vaNumber|amount)\u00a4/;
const howToPayParts = new Map<string, string[]>();

/**
 * The "how to pay" card depends only on the bank and the language, apart from the VA number and the
 * amount inside its steps, and it is most of the page: it is rendered once per bank and language with
 * markers (which escaping leaves alone) where the two values go, and each view fills them in, escaped.
 */
function howToPay(channel: VaChannel, locale: Locale, t: Translate, values: StepValues): SafeHtml {
  const key = `${channel}:${locale}`;
  let parts = howToPayParts.get(key);
  if (!parts) {
    const guide = instructionsFor(channel, locale, STEP_MARKERS);
    const steps = (title: string, list: string[], open: boolean) =>
      html`<details${open ? html` open` : ''}><summary>${title}</summary><ol>${list.map((s) => html`<li>${s}</li>`)}</ol></details>`;
    const card = html`<section class="card" aria-labelledby="how-h">
      <h2 id="how-h">${t('howToPay')}</h2>
      ${steps(t('atm'), guide.atm, true)} ${steps(t('mobileBanking'), guide.mobile, false)}
      ${steps(t('internetBanking'), guide.internet, false)}
      ${guide.interbankNote ? html`<p class="note small">${guide.interbankNote}</p>` : ''}
    </section>`;
    // split() with a capturing group alternates text and marker names: even indexes text, odd names.
    parts = card.value.split(STEP_MARKER);
    howToPayParts.set(key, parts);
  }
  let out = '';
  for (let i = 0; i < parts.length; i++) out += i % 2 ? escapeHtml(values[parts[i] as keyof StepValues]) : parts[i];
  return new SafeHtml(out);
}

export function vaPage(p: SessionPage, charge: Charge, outcomes: readonly SimulationOutcome[]): SafeHtml {
  const { t, locale } = p;
  const va = charge.virtualAccount!;
  const bank = BANKS[va.channel]?.name ?? va.channel;
  const amount = formatRupiah(charge.amount.value);
  const guide = VA_GUIDES[va.channel]
    ? howToPay(va.channel, locale, t, { vaNumber: va.virtualAccountNumber, amount })
    : undefined;
  const body = html`${head(p)}
    <section class="card" aria-labelledby="va-h">
      <h2 id="va-h">${t('vaStepTitle', { bank })}</h2>
      <dl class="rows big-rows">
        ${row(t('bank'), bank)}
        ${row(
          t('vaNumber'),
          html`<span class="va num" data-testid="va-number">${va.virtualAccountNumber}</span
            >${copyButton(va.virtualAccountNumber, t('copyNumber'), t)}`,
          { valueClass: 'copyable' },
        )}
        ${row(t('vaName'), va.virtualAccountName)}
        ${row(
          t('exactAmount'),
          html`<span class="num strong">${amount}</span>${copyButton(String(charge.amount.value), t('copyAmount'), t)}`,
          { valueClass: 'copyable' },
        )}
      </dl>
      <p class="muted small">${t('exactAmountNote')}</p>
      ${guide && !VA_GUIDES[va.channel].acceptsInterbank ? html`<p class="note">${t('sameBankOnly', { bank })}</p>` : ''}
      ${waitingNote(p)}
    </section>
    ${guide ?? ''} ${summary(p)} ${sandboxPanel(p, outcomes)}`;
  return sessionLayout(p, t('vaStepTitle', { bank }), body, true);
}

export function qrPage(p: SessionPage, charge: Charge, svg: SafeHtml, outcomes: readonly SimulationOutcome[]): SafeHtml {
  const { t } = p;
  const amount = formatRupiah(charge.amount.value);
  const body = html`${head(p)}
    <section class="card center" aria-labelledby="qr-h">
      <h2 id="qr-h">${t('qrStepTitle')}</h2>
      <figure class="qr-box" data-testid="qr">${svg}</figure>
      <p>
        <a
          class="btn"
          href="/detail/qr.png?token=${encodeURIComponent(p.token)}"
          download="qris-${p.session.clientReferenceId.replace(/[^A-Za-z0-9_-]/g, '')}.png"
          data-testid="download-qr"
          >${t('downloadQr')}</a
        >
      </p>
      <ol class="left">
        ${t('qrSteps', { amount })
          .split('|')
          .map((s) => html`<li>${s}</li>`)}
      </ol>
      ${waitingNote(p)}
    </section>
    ${summary(p)} ${sandboxPanel(p, outcomes)}`;
  return sessionLayout(p, t('qrStepTitle'), body, true);
}
