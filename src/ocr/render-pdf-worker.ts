/**
 * Worker thread of `PdfPageRenderer` (render-pdf-page.ts): opens one PDF with pdf-parse (pdf.js
 * drawing on @napi-rs/canvas) and renders the pages it is asked for to PNG, one at a time.
 * Drawing a 300-dpi page holds a thread for about 1.5 s, which the service's thread must not pay.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PDFParse, VerbosityLevel } from 'pdf-parse';
import { readImage } from './read-image.js';
import type { RenderReply, RenderRequest } from './render-pdf-page.js';

const port = parentPort!;
const parser = new PDFParse({ data: workerData.bytes as Uint8Array, verbosity: VerbosityLevel.ERRORS, isEvalSupported: false });

// One page at a time: pdf-parse's calls on one document must not overlap (two at once fail in
// pdf.js with "Unable to deserialize cloned data"), and the OCR lanes ask for pages together.
let queue: Promise<void> = Promise.resolve();
port.on('message', (request: RenderRequest) => {
  queue = queue.then(() => render(request));
});

async function render({ id, page, dpi, maxPixels }: RenderRequest): Promise<void> {
  let reply: RenderReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const info = await parser.getInfo({ parsePageInfo: true, partial: [page] });
    const size = info.pages.find((p) => p.pageNumber === page) ?? info.pages[0];
    if (!size) throw new Error(`page ${page} not found`);
    // Points are 1/72 inch. A page too large for the pixel budget is drawn smaller, not refused:
    // its text is usually as large as on any page.
    let scale = dpi / 72;
    const pixels = size.width * size.height * scale * scale;
    if (pixels > maxPixels) scale *= Math.sqrt(maxPixels / pixels);
    const shot = await parser.getScreenshot({ partial: [page], scale, imageBuffer: true, imageDataUrl: false });
    const image = shot.pages[0];
    if (!image) throw new Error(`page ${page} was not rendered`);
    const png = image.data;
    // The size of the PNG itself: the canvas drops the fraction of the viewport's size.
    const { width, height } = readImage(png, { maxPixels: Number.MAX_SAFE_INTEGER });
    reply = { id, ok: true, png, width, height };
    transfer = [png.buffer as ArrayBuffer];
  } catch (error) {
    reply = { id, ok: false, message: (error as Error)?.message ?? String(error), name: (error as Error)?.name ?? 'Error' };
  }
  port.postMessage(reply, transfer);
}
