// QRIS images from a charge's qrContent: inline SVG for the page (crisp at any size) and a PNG to download.
// A charge's image never changes, so each is drawn once and kept: a shopper's reloads and a burst of
// downloads reuse it, and concurrent first requests share one drawing. The 600-pixel PNG takes tens of
// milliseconds of JavaScript to draw (filtering and packing a bitmap), which on the event loop would hold
// up every other request, so it is drawn on a worker thread; the SVG is a few milliseconds of string work.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import QRCode from 'qrcode';
import { html, trusted, type SafeHtml } from './html.ts';

/** A few hundred open QR charges' images (10–30 KB each) fit in a few MB. */
const CACHED_IMAGES = 256;

/** Least recently used first; a Map keeps insertion order, and a hit moves its entry to the end. */
class ImageCache<T> {
  private readonly entries = new Map<string, Promise<T>>();

  constructor(private readonly limit: number) {}

  get(key: string, draw: () => Promise<T>): Promise<T> {
    let image = this.entries.get(key);
    if (image) {
      this.entries.delete(key);
    } else {
      image = draw();
      // A failed drawing is not kept: the next request tries again.
      image.catch(() => this.entries.delete(key));
      if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(key, image);
    return image;
  }

  get size(): number {
    return this.entries.size;
  }
}

const svgs = new ImageCache<string>(CACHED_IMAGES);
const pngs = new ImageCache<Buffer>(CACHED_IMAGES);

/** How many drawings each cache holds (tests check that repeated views reuse one). */
export const cachedQrImages = () => ({ svg: svgs.size, png: pngs.size });

export async function qrSvg(content: string, label: string): Promise<SafeHtml> {
  const svg = await svgs.get(content, () => QRCode.toString(content, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }));
  // The library's markup holds only paths; the label is escaped by `html`.
  return html`${trusted(svg.replace(/^<svg /, `<svg role="img" aria-label="${html`${label}`.value}" `))}`;
}

/**
 * The worker's whole program. It is evaluated from this string, with `qrcode` required by absolute path, so
 * the same code runs from src/ under tsx, from dist/, and from wherever the package is installed.
 */
const PNG_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const QRCode = require(workerData.qrcode);
parentPort.on('message', ({ id, content }) => {
  QRCode.toBuffer(content, {
    type: 'png', errorCorrectionLevel: 'M', margin: 4, width: 600,
    rendererOpts: { colorType: 0, filterType: 0 },
  }).then(
    (png) => parentPort.postMessage({ id, png }),
    (error) => parentPort.postMessage({ id, error: String(error && error.message || error) }),
  );
});
`;

interface PngAnswer {
  id: number;
  png?: Uint8Array;
  error?: string;
}

/** One worker drawing PNGs in turn, started on first use; it never keeps the process alive on its own. */
class PngDrawer {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (png: Buffer) => void; reject: (error: Error) => void }>();

  draw(content: string): Promise<Buffer> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, content });
    });
  }

  private start(): Worker {
    const worker = new Worker(PNG_WORKER, {
      eval: true,
      workerData: { qrcode: createRequire(import.meta.url).resolve('qrcode') },
    });
    worker.unref();
    worker.on('message', ({ id, png, error }: PngAnswer) => {
      const waiter = this.waiting.get(id);
      this.waiting.delete(id);
      if (png) waiter?.resolve(Buffer.from(png.buffer, png.byteOffset, png.byteLength));
      else waiter?.reject(new Error(`QR drawing failed: ${error ?? 'no image'}`));
    });
    // A dead worker fails what it was drawing; the next drawing starts a new one.
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`QR worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }
}

const drawer = new PngDrawer();

export function qrPng(content: string): Promise<Buffer> {
  return pngs.get(content, () => drawer.draw(content));
}
