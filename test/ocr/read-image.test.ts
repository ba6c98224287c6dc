import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { OcrError, readImage } from '../../src/ocr/index.js';
import { makePng } from '../support/make-fixtures.js';

async function page(width: number, height: number, format: 'png' | 'jpeg'): Promise<Uint8Array> {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#000';
  ctx.font = '24px sans-serif';
  ctx.fillText('Học phí 350.000 đồng', 10, 40);
  return new Uint8Array(format === 'png' ? await canvas.encode('png') : await canvas.encode('jpeg', 85));
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(OcrError);
    const e = error as OcrError;
    expect(e.message.length).toBeGreaterThan(10);
    expect(e.messageVi.length).toBeGreaterThan(10);
    return e.code;
  }
  return undefined;
}

describe('readImage', () => {
  it('reads the size of a PNG and of a JPEG from their headers', async () => {
    expect(readImage(await page(320, 200, 'png'))).toEqual({ format: 'png', width: 320, height: 200 });
    expect(readImage(await page(321, 201, 'jpeg'))).toEqual({ format: 'jpeg', width: 321, height: 201 });
    expect(readImage(makePng(64, 48))).toEqual({ format: 'png', width: 64, height: 48 });
  });

  it('refuses a PNG or a JPEG cut short (a broken download) as image_truncated', async () => {
    for (const format of ['png', 'jpeg'] as const) {
      const whole = await page(400, 300, format);
      for (const share of [0.3, 0.6, 0.95]) {
        expect(
          codeOf(() => readImage(whole.subarray(0, Math.floor(whole.length * share)))),
          `${format} at ${share}`,
        ).toBe('image_truncated');
      }
    }
  });

  it('refuses an image over the pixel limit as image_too_large, naming both sizes', async () => {
    const image = await page(400, 300, 'png');
    expect(codeOf(() => readImage(image, { maxPixels: 100_000 }))).toBe('image_too_large');
    try {
      readImage(image, { maxPixels: 100_000 });
    } catch (error) {
      expect((error as OcrError).message).toContain('400 × 300');
      expect((error as OcrError).messageVi).toContain('0,1 megapixel');
    }
    expect(readImage(image, { maxPixels: 120_000 }).width).toBe(400);
  });

  it('refuses bytes that are not a PNG or a JPEG, and a header claiming a 0-pixel image', () => {
    expect(codeOf(() => readImage(new TextEncoder().encode('%PDF-1.7 not an image')))).toBe('image_corrupt');
    const zero = makePng(1, 1);
    zero.set([0, 0, 0, 0], 16); // IHDR width = 0
    expect(codeOf(() => readImage(zero))).toBe('image_corrupt');
  });
});
