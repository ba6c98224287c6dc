/**
 * A scanned PDF through the real service (issue 18, item 3): uploaded on the admin API, read by
 * OCR, counted in the upload result, and then cited with its page like any other document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTextPdf, renderPdf } from '../../evals/ocr/scan-pages.js';
import { startService, type RunningService } from '../support/start-service.js';

let svc: RunningService;
beforeAll(async () => {
  svc = await startService({ RATE_LIMIT_PER_MINUTE: '1000' });
});
afterAll(() => svc.close());

/** A one-page notice, printed and scanned at 200 dpi into an image-only PDF (no text layer). */
async function scannedNotice(): Promise<Uint8Array> {
  const printed = await makeTextPdf([
    {
      heading: 'Thông báo thi lại',
      paragraphs: [
        'Lệ phí thi lại là 120.000 đồng mỗi môn, nộp tại phòng kế toán trước ngày 20/01/2027.',
        'Học viên đăng ký thi lại tại văn phòng giáo vụ, phòng 104, trong giờ hành chính.',
      ],
    },
  ]);
  const [scan] = await renderPdf(printed, 200, 'jpeg');
  return makeTextPdf([scan!]);
}

describe('a scanned PDF uploaded to the service', () => {
  it('is read by OCR, counted in the upload result, and cited with its page', { timeout: 180_000 }, async () => {
    const form = new FormData();
    form.append('files', new Blob([new Uint8Array(await scannedNotice())], { type: 'application/pdf' }), 'thong-bao-thi-lai.pdf');
    const upload = await svc.admin('/documents', { method: 'POST', body: form });
    expect(upload.status).toBe(200);
    const [result] = (await upload.json()).results;
    expect(result).toMatchObject({ fileName: 'thong-bao-thi-lai.pdf', status: 'added', pages: 1, ocrPages: 1, lowConfidencePages: [] });
    expect(result.chunks).toBeGreaterThan(0);

    const reply = await fetch(`${svc.baseURL}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ message: 'Lệ phí thi lại mỗi môn là bao nhiêu?' }),
    });
    expect(reply.status).toBe(200);
    const answer = await reply.json();
    expect(answer.answerable).toBe(true);
    expect(answer.answer).toContain('120.000');
    const citation = answer.citations.find((c: { documentId: string }) => c.documentId === result.documentId);
    expect(citation).toMatchObject({ page: 1 });
    expect(citation.link).toMatch(/#page=1$/);

    // The citation opens the scanned PDF itself.
    const source = await fetch(`${svc.baseURL}/docs/${result.documentId}`);
    expect(source.headers.get('content-type')).toBe('application/pdf');
  });

  it('reads a page photo (PNG) upload as an image document, and its citation link shows the image itself', {
    timeout: 180_000,
  }, async () => {
    const printed = await makeTextPdf([
      { paragraphs: ['Phòng máy tính C205 mở cửa cho học viên tự luyện tập từ 13h30 đến 17h00 các ngày thứ Bảy.'] },
    ]);
    const [png] = await renderPdf(printed, 150);
    const form = new FormData();
    form.append('files', new Blob([new Uint8Array(png!)], { type: 'image/png' }), 'anh-thong-bao.png');
    const upload = await svc.admin('/documents', { method: 'POST', body: form });
    expect(upload.status).toBe(200);
    const [result] = (await upload.json()).results;
    expect(result).toMatchObject({ fileName: 'anh-thong-bao.png', status: 'added', pages: 1, ocrPages: 1 });
    const stored = await svc.deps.engine.store.getDocument(result.documentId);
    expect(stored?.format).toBe('image');
    const chunks = await svc.deps.engine.store.chunksOfDocument(result.documentId);
    expect(chunks.map((c) => c.text).join(' ')).toContain('13h30 đến 17h00');

    const source = await fetch(`${svc.baseURL}/docs/${result.documentId}`);
    expect(source.headers.get('content-type')).toBe('image/png');
    expect(Buffer.compare(Buffer.from(await source.arrayBuffer()), Buffer.from(png!))).toBe(0);
  });
});
