import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { degrade, imagesToPdf, makeTextPdf, renderPdf } from '../../evals/ocr/scan-pages.js';
import { startService, type RunningService } from '../support/start-service.js';
import { launchBrowser, screenshot } from './browser.js';

/**
 * A three-page scan made here: page 1 a clean 200-dpi scan; pages 2 and 3 poor ones (small print
 * drawn at 120 and 150 dpi, turned and noisy, near the edge of what Tesseract reads), which it
 * reads with low confidence. Which of the two falls under the threshold depends on Tesseract
 * alone, so the test takes the flagged pages from the stored confidences and checks that at
 * least one is, that the clean page is not, and that the badge names exactly them.
 */
async function threePageScan(): Promise<Uint8Array> {
  const clean = await makeTextPdf([
    {
      heading: 'Nội quy phòng máy',
      paragraphs: ['Học viên giữ trật tự, không ăn uống trong phòng máy, tắt máy khi ra về và báo giáo viên khi máy hỏng.'],
    },
  ]);
  const [page1] = await renderPdf(clean, 200, 'jpeg');
  const small = await makeTextPdf(
    [{ paragraphs: ['Lịch trực phòng thí nghiệm: thứ Hai đến thứ Sáu, từ 7h30 đến 16h30. Học viên mang thẻ khi vào phòng.'] }],
    { fontSize: 9 },
  );
  const [at120] = await renderPdf(small, 120);
  const [at150] = await renderPdf(small, 150);
  const page2 = await degrade(at120!, { rotateDegrees: 2.5, speckle: 0.02, seed: 7, jitter: 35 }, 'jpeg');
  const page3 = await degrade(at150!, { rotateDegrees: 2.5, speckle: 0.02, seed: 7, jitter: 37 }, 'jpeg');
  return imagesToPdf([page1!, page2, page3]);
}

/**
 * End to end (issue 18, item 3): a teacher uploads a scanned PDF in the admin page, sees the pages
 * read by OCR counted up while it is read, and then the documents list flags the page read with
 * low confidence for checking.
 */
describe('a scanned upload in the admin page', () => {
  let svc: RunningService;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    [svc, browser] = await Promise.all([startService({ RATE_LIMIT_PER_MINUTE: '1000' }), launchBrowser()]);
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await svc?.close();
  });

  test('shows OCR progress (pages done of total) and flags the low-confidence page', { timeout: 600_000 }, async () => {
    const scan = await threePageScan();
    await page.goto(`${svc.baseURL}/admin`);
    await page.locator('#token').fill(svc.adminToken);
    await page.locator('#token').press('Enter');
    await page.locator('#docs tbody tr[data-id]').first().waitFor();
    await page.locator('#files').setInputFiles({ name: 'noi-quy-ban-scan.pdf', mimeType: 'application/pdf', buffer: Buffer.from(scan) });

    // While the server reads it: "Đang đọc bằng OCR: trang d/3" in the upload's line, its bar at d of 3.
    const line = page.locator('#uploads li', { hasText: 'noi-quy-ban-scan.pdf' });
    const result = line.locator('.result[data-ocr]');
    await result.waitFor({ timeout: 300_000 });
    expect(await result.textContent()).toMatch(/^Đang đọc bằng OCR: trang [0-3]\/3$/);
    expect(await line.locator('progress').getAttribute('max')).toBe('3');
    await screenshot(page, 'admin-ocr-progress');

    // Done: the upload line says so, and the documents list names the page to check.
    await expect.poll(() => line.getAttribute('class'), { timeout: 480_000 }).toBe('ok');
    const { documents } = await (await svc.admin('/documents')).json();
    const doc = documents.find((d: { fileName: string }) => d.fileName === 'noi-quy-ban-scan.pdf');
    expect(doc.ocr.pages).toBe(3);
    const low: number[] = doc.ocr.lowConfidencePages;
    expect(low.length).toBeGreaterThan(0);
    expect(low).not.toContain(1);
    const row = page.locator('#docs tbody tr', { hasText: 'noi-quy-ban-scan.pdf' });
    await row.waitFor();
    await expect(row.locator('.ocr-check').textContent()).resolves.toBe(`Cần kiểm tra: trang ${low.join(', ')}`);
    await screenshot(page, 'admin-ocr-needs-checking');
    expect(errors).toEqual([]);
  });
});
