import { describe, expect, it } from 'vitest';
import { cachedQrImages, qrPng, qrSvg } from '../../src/page/qr.ts';

const content = (n: number) => `00020101021226570011ID.CO.QRIS.WWW0118936000000000000${n}5204581253033605802ID6304ABCD`;

describe('QR images', () => {
  it('draws a charge’s PNG once: repeated and concurrent downloads get the same image', async () => {
    const [first, concurrent] = await Promise.all([qrPng(content(1)), qrPng(content(1))]);
    const again = await qrPng(content(1));
    expect(first.subarray(1, 4).toString()).toBe('PNG');
    // IHDR: 600 × 600 pixels, big enough to print.
    expect([first.readUInt32BE(16), first.readUInt32BE(20)]).toEqual([600, 600]);
    expect(concurrent).toBe(first);
    expect(again).toBe(first);
    expect(await qrPng(content(2))).not.toBe(first);
  });

  it('draws the SVG once per content but labels each page in its own words, escaped', async () => {
    const before = cachedQrImages().svg;
    const id = await qrSvg(content(3), 'Kode QRIS untuk Rp 10.000');
    const en = await qrSvg(content(3), 'QRIS code for <Rp 10,000>');
    expect(cachedQrImages().svg).toBe(before + 1);
    expect(id.value).toContain('aria-label="Kode QRIS untuk Rp 10.000"');
    expect(en.value).toContain('aria-label="QRIS code for &lt;Rp 10,000&gt;"');
    const paths = (svg: string) => svg.slice(svg.indexOf('>'));
    expect(paths(en.value)).toBe(paths(id.value));
  });

  it('keeps a bounded number of images', async () => {
    for (let n = 100; n < 400; n++) await qrSvg(content(n), 'x');
    expect(cachedQrImages().svg).toBeLessThanOrEqual(256);
  });
});
