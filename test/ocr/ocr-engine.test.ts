import { createCanvas } from '@napi-rs/canvas';
import { afterEach, describe, expect, it } from 'vitest';
import { OcrEngine, ocrPage } from '../../src/ocr/index.js';

let engine: OcrEngine | undefined;
afterEach(() => engine?.close());

async function line(text: string): Promise<Uint8Array> {
  const canvas = createCanvas(900, 160);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, 900, 160);
  ctx.fillStyle = '#000';
  ctx.font = '44px DejaVu Sans, sans-serif';
  ctx.fillText(text, 30, 95);
  return new Uint8Array(await canvas.encode('png'));
}

describe('OcrEngine', () => {
  it('starts its workers on the first page, stops them when idle, and starts again on the next page', { timeout: 120_000 }, async () => {
    engine = new OcrEngine({ workers: 1, idleMs: 300 });
    expect(engine.running).toBe(false);
    const first = await ocrPage(engine, await line('Thời khóa biểu lớp 10A1'), 1);
    expect(first.text).toContain('Thời khóa biểu');
    expect(engine.running).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(engine.running).toBe(false);
    const second = await ocrPage(engine, await line('English for Work, level 2'), 1);
    expect(second.text).toContain('English for Work');
  });

  it('gives up a page past its time limit, and reads the next page with fresh workers', { timeout: 120_000 }, async () => {
    engine = new OcrEngine({ workers: 1, pageTimeoutMs: 1 });
    await expect(engine.recognize(await line('Học phí 350.000 đồng'))).rejects.toThrow(/took over 1 ms/);
    expect(engine.running).toBe(false);
    engine.options.pageTimeoutMs = 120_000;
    expect((await engine.recognize(await line('Học phí 350.000 đồng'))).text).toContain('350.000 đồng');
  });

  it('fails a page that is not an image with an error, not a hang', { timeout: 120_000 }, async () => {
    engine = new OcrEngine({ workers: 1 });
    await expect(engine.recognize(new TextEncoder().encode('not an image at all'))).rejects.toBeDefined();
  });
});
