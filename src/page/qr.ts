// QRIS images from a charge's qrContent: inline SVG for the page (crisp at any size) and a PNG to download.
import QRCode from 'qrcode';
import { html, trusted, type SafeHtml } from './html.ts';

export async function qrSvg(content: string, label: string): Promise<SafeHtml> {
  const svg = await QRCode.toString(content, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  // The library's markup holds only paths; the label is escaped by `html`.
  return html`${trusted(svg.replace(/^<svg /, `<svg role="img" aria-label="${html`${label}`.value}" `))}`;
}

export async function qrPng(content: string): Promise<Buffer> {
  return QRCode.toBuffer(content, { type: 'png', errorCorrectionLevel: 'M', margin: 4, width: 600 });
}
