/**
 * The documents tab: the center's documents (with their validity badge), their chunks, reindex
 * and delete; uploads by drag and drop or file picker, one request per file with its progress.
 */
import type { AdminDocument, UploadResult } from '../../../src/contract/index.js';
import { errorOf } from '../error-body.js';
import { deleteDocument, getDocument, listDocuments, reindexAll, reindexDocument, unauthorized, uploadHeaders } from './api.js';
import { byId, currentLang, el, fill } from './dom.js';
import { fail, formatBytes, formatDate, pageStrings as t, status } from './page.js';
import { ocrBadge, watchOcrProgress } from './ocr-status.js';
import { validityBadge } from './verified-tab.js';

/** What was last done to a document in this visit ("reindexed"), shown in place of "ready". */
const docStatus = new Map<string, string>();

/** Loads the documents list. */
export async function loadDocs(): Promise<void> {
  const { documents } = await listDocuments();
  const body = byId('docs').querySelector('tbody')!;
  body.textContent = '';
  if (!documents.length) body.append(el('tr', {}, el('td', { colSpan: 8, class: 'muted' }, t().noDocs)));
  for (const d of documents) body.append(documentRow(d));
}

function documentRow(d: AdminDocument): HTMLElement {
  const del = el('button', { type: 'button', class: 'ghost danger' }, t().del);
  del.onclick = async () => {
    if (!confirm(fill(t().confirmDelete, { t: d.title }))) return;
    try {
      await deleteDocument(d.id);
      status(fill(t().deleted, { t: d.title }));
      await loadDocs();
      byId('reindex-all').focus();
    } catch (e) {
      fail(e);
    }
  };
  const re = el('button', { type: 'button', class: 'ghost' }, t().reindex);
  re.onclick = async () => {
    re.disabled = true;
    try {
      await reindexDocument(d.id);
      docStatus.set(d.id, t().reindexed.replace('"{t}"', '').trim());
      status(fill(t().reindexed, { t: d.title }));
      await loadDocs();
    } catch (e) {
      fail(e);
      re.disabled = false;
    }
  };
  const open = el('button', { type: 'button', class: 'link', 'aria-label': fill(t().showChunks, { t: d.title }) }, d.title);
  open.onclick = () => void showChunks(d).catch(fail);
  return el(
    'tr',
    { 'data-id': d.id },
    el('td', {}, open, el('div', { class: 'muted small' }, d.fileName)),
    el('td', {}, d.collection),
    el('td', { class: 'num' }, String(d.pages)),
    el('td', { class: 'num' }, String(d.chunkCount)),
    el('td', { class: 'num' }, formatBytes(d.bytes)),
    el('td', {}, formatDate(d.updatedAt)),
    el('td', {}, el('span', { class: 'badge ok' }, docStatus.get(d.id) || t().ready), ' ', validityBadge(d), ' ', ocrBadge(d)),
    el('td', { class: 'actions' }, re, del),
  );
}

async function showChunks(d: AdminDocument): Promise<void> {
  const { chunks } = await getDocument(d.id);
  byId('chunks-card').hidden = false;
  byId('chunks-title').textContent = fill(t().chunksOf, { t: d.title });
  const list = byId('chunks');
  list.textContent = '';
  for (const c of chunks) {
    const where = [
      c.headingPath.join(' › '),
      c.pageStart !== null ? `${t().page} ${c.pageStart}${c.pageEnd && c.pageEnd !== c.pageStart ? `–${c.pageEnd}` : ''}` : '',
    ]
      .filter(Boolean)
      .join(' · ');
    list.append(el('li', {}, el('div', { class: 'muted small' }, `#${c.ordinal} ${where}`), el('div', { class: 'text' }, c.text)));
  }
  byId('chunks-title').focus();
}

/** The first file's result of an upload's response (or of its error, when every file failed). */
function firstResult(body: unknown): UploadResult | undefined {
  const results = (body as { results?: unknown } | null)?.results ?? errorOf(body)?.results;
  return Array.isArray(results) ? (results[0] as UploadResult | undefined) : undefined;
}

// Upload: one request per file, so each has its own progress bar and result.
function uploadOne(file: File, collection: string): Promise<void> {
  const bar = el('progress', { max: 100, value: 0 });
  const result = el('span', { class: 'result' }, t().uploading);
  const item = el('li', {}, el('span', { class: 'name' }, file.name), bar, result);
  byId('uploads').append(item);
  return new Promise((resolve) => {
    const form = new FormData();
    form.append('files', file);
    if (collection) form.append('collection', collection);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/admin/documents');
    for (const [name, value] of Object.entries(uploadHeaders())) xhr.setRequestHeader(name, value);
    // A scan is read page by page after it arrives: its progress comes from the OCR progress route.
    const stopOcr = watchOcrProgress(file.name, collection, uploadHeaders(), bar, result);
    xhr.onloadend = stopOcr;
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
      if (e.loaded === e.total) result.textContent = t().processing;
    };
    xhr.onload = () => {
      bar.value = 100;
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {}
      const r = firstResult(body);
      if (xhr.status === 401) unauthorized();
      if (xhr.status < 300 && r && r.status !== 'failed') {
        const text =
          r.status === 'unchanged'
            ? t().unchanged
            : fill(r.status === 'replaced' ? t().replaced : t().added, { p: r.pages ?? '?', c: r.chunks ?? '?' });
        result.textContent = `✓ ${text}`;
        item.className = 'ok';
      } else {
        const failed = r?.status === 'failed' ? r : undefined;
        result.textContent = `✗ ${t().failed}: ${(currentLang() === 'vi' ? failed?.messageVi : null) || failed?.message || errorOf(body)?.message || xhr.statusText}`;
        item.className = 'bad';
      }
      resolve();
    };
    xhr.onerror = () => {
      result.textContent = `✗ ${t().offline}`;
      item.className = 'bad';
      resolve();
    };
    xhr.send(form);
  });
}

/** Wires the chunk viewer, "reindex all" and the uploads; `uploaded` runs after each batch (new collections). */
export function initDocumentsTab(uploaded: () => Promise<void>): void {
  byId('chunks-close').onclick = () => {
    byId('chunks-card').hidden = true;
    (byId('docs').querySelector('button.link') as HTMLElement | null)?.focus();
  };
  byId('reindex-all').onclick = async () => {
    try {
      await reindexAll();
      status(t().saved);
      await loadDocs();
    } catch (e) {
      fail(e);
    }
  };
  const uploadAll = async (files: FileList | File[]) => {
    const collection = byId<HTMLInputElement>('up-collection').value.trim();
    for (const f of Array.from(files)) await uploadOne(f, collection);
    await uploaded();
    await loadDocs().catch(fail);
  };
  const drop = byId('drop');
  drop.ondragover = (e) => {
    e.preventDefault();
    drop.classList.add('over');
  };
  drop.ondragleave = () => drop.classList.remove('over');
  drop.ondrop = (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    if (e.dataTransfer?.files.length) void uploadAll(e.dataTransfer.files);
  };
  const input = byId<HTMLInputElement>('files');
  input.onchange = () => {
    if (input.files?.length) void uploadAll(input.files).then(() => (input.value = ''));
  };
}
