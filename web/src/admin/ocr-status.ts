/**
 * Scanned materials in the admin page (docs/ocr.md): the progress of an upload being read by OCR
 * (pages done of total, polled from `/api/admin/ocr-progress`) and, in the documents list, a badge
 * on a document with pages read with low confidence, naming them, for a teacher to check.
 */
import type { AdminResponse, DocumentOcr } from '../../../src/contract/index.js';
import { currentLang, el, fill } from './dom.js';

export type { DocumentOcr };

const strings = {
  vi: {
    reading: 'Đang đọc bằng OCR: trang {d}/{t}',
    check: 'Cần kiểm tra: trang {p}',
    checkTitle: 'Các trang này được đọc bằng OCR với độ tin cậy thấp; hãy so với bản giấy.',
    scanned: 'OCR {n} trang',
    scannedTitle: 'Đọc bằng OCR, độ tin cậy trung bình {c}.',
  },
  en: {
    reading: 'Reading by OCR: page {d} of {t}',
    check: 'Needs checking: page {p}',
    checkTitle: 'These pages were read by OCR with low confidence; compare them with the paper copy.',
    scanned: 'OCR {n} pages',
    scannedTitle: 'Read by OCR, mean confidence {c}.',
  },
};

/** How often an upload's OCR progress is asked for. */
const pollMs = 700;

/**
 * Shows an upload's OCR progress in its progress bar and result line while the server reads it;
 * returns the function that stops watching (call it when the upload's answer arrives).
 */
export function watchOcrProgress(
  fileName: string,
  collection: string,
  headers: Record<string, string>,
  bar: HTMLProgressElement,
  result: HTMLElement,
): () => void {
  let stopped = false;
  const poll = async () => {
    try {
      const r = await fetch('/api/admin/ocr-progress', { headers });
      if (!r.ok || stopped) return;
      const { files } = (await r.json()) as AdminResponse<'GET /ocr-progress'>;
      const mine = files.find((f) => f.fileName === fileName && (!collection || f.collection === collection));
      if (!mine || stopped) return;
      bar.max = mine.total;
      bar.value = mine.done;
      result.textContent = fill(strings[currentLang()].reading, { d: mine.done, t: mine.total });
      result.dataset.ocr = `${mine.done}/${mine.total}`;
    } catch {
      // Offline for a moment: the upload's own answer says what happened.
    }
  };
  const timer = setInterval(() => void poll(), pollMs);
  return () => {
    stopped = true;
    clearInterval(timer);
    bar.max = 100;
  };
}

/** The documents list's OCR badge: pages to check (warning) or pages read by OCR; null for a document with none. */
export function ocrBadge(doc: { ocr?: DocumentOcr | null }): HTMLElement | null {
  const ocr = doc.ocr;
  if (!ocr || ocr.pages === 0) return null;
  const s = strings[currentLang()];
  if (ocr.lowConfidencePages.length > 0) {
    return el('span', { class: 'badge warn ocr-check', title: s.checkTitle }, fill(s.check, { p: ocr.lowConfidencePages.join(', ') }));
  }
  return el(
    'span',
    { class: 'badge muted ocr-scanned', title: fill(s.scannedTitle, { c: ocr.meanConfidence }) },
    fill(s.scanned, { n: ocr.pages }),
  );
}
