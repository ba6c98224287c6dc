/**
 * Collection metadata, export and import through the real service on loopback (SQLite file and
 * indexes in a temporary folder): metadata is validated and kept; a package carries documents
 * byte for byte with JSON-LD and checksums; an import lands all documents through the upload
 * path (searchable at once) or none; an IMS Common Cartridge as Moodle writes it becomes a
 * collection titled by its manifest.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCollection, readZip } from '../../src/packages/index.js';
import { storeAndIndexesAgree } from '../support/consistency.js';
import { makeCorruptPdf, makeVietnamesePdf } from '../support/make-fixtures.js';
import { lessonMarkdown, makeCartridge, makeRawZip, sampleLessons, trogiangPackageEntries } from '../support/make-packages.js';
import { startService, type RunningService } from '../support/start-service.js';

let svc: RunningService;
beforeAll(async () => {
  svc = await startService({ RATE_LIMIT_PER_MINUTE: '1000' });
});
afterAll(async () => svc?.close());

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const json = (body: unknown, method = 'PATCH'): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

function importRequest(zip: Uint8Array, fileName = 'goi.zip', collection?: string): RequestInit {
  const form = new FormData();
  form.append('package', new Blob([zip as Uint8Array<ArrayBuffer>]), fileName);
  if (collection) form.append('collection', collection);
  return { method: 'POST', body: form };
}

async function upload(collection: string, files: Array<{ fileName: string; bytes: Uint8Array }>) {
  const form = new FormData();
  for (const f of files) form.append('files', new Blob([f.bytes as Uint8Array<ArrayBuffer>]), f.fileName);
  form.append('collection', collection);
  const res = await svc.admin('/documents', { method: 'POST', body: form });
  expect(res.status).toBe(200);
}

async function counts() {
  const store = svc.deps.engine.store;
  return {
    documents: (await store.listDocuments()).map((d) => `${d.id} ${d.contentHash}`),
    collections: await Promise.all(
      (await store.collections.listCollections()).map(
        async (c) => `${c.id} ${c.name} ${c.documents} ${c.chunks} ${JSON.stringify(await store.collectionMetadata.get(c.id))}`,
      ),
    ),
    chunks: await store.countChunks(),
    bm25: svc.deps.engine.bm25.size,
    vectors: svc.deps.engine.vectors.size,
  };
}

describe('collection metadata', () => {
  it('defaults to center-only, and is read and changed through the admin API with validation', async () => {
    await upload('tin-hoc', sampleLessons());
    const before = await (await svc.admin('/collections/tin-hoc/metadata')).json();
    expect(before.metadata).toEqual({
      licence: 'center-only',
      attribution: '',
      description: '',
      about: [],
      educationalLevel: '',
      learningResourceType: '',
      inLanguage: '',
    });

    const patched = await svc.admin(
      '/collections/tin-hoc/metadata',
      json({
        licence: 'CC-BY-SA-4.0',
        attribution: 'TTGDTX Quận 3',
        about: ['Tin học', 'Bảng tính'],
        educationalLevel: 'Bổ túc THPT',
        learningResourceType: 'lesson',
        inLanguage: 'vi',
        description: 'Bài giảng tin học cơ bản.',
      }),
    );
    expect(patched.status).toBe(200);
    expect((await patched.json()).metadata).toMatchObject({
      licence: 'CC-BY-SA-4.0',
      attribution: 'TTGDTX Quận 3',
      about: ['Tin học', 'Bảng tính'],
    });

    // A partial change keeps the rest; PUT replaces the whole record.
    await svc.admin('/collections/tin-hoc/metadata', json({ educationalLevel: 'A2' }));
    expect(await svc.deps.engine.store.collectionMetadata.get('tin-hoc')).toMatchObject({
      licence: 'CC-BY-SA-4.0',
      educationalLevel: 'A2',
    });
    const put = await svc.admin(
      '/collections/tin-hoc/metadata',
      json({ licence: 'CC-BY-4.0', attribution: 'TTGDTX Quận 3', inLanguage: 'vi' }, 'PUT'),
    );
    expect((await put.json()).metadata).toEqual({
      licence: 'CC-BY-4.0',
      attribution: 'TTGDTX Quận 3',
      description: '',
      about: [],
      educationalLevel: '',
      learningResourceType: '',
      inLanguage: 'vi',
    });
  });

  it('refuses an unknown licence, a bad language tag, an unknown field and an unknown collection, changing nothing', async () => {
    const before = await svc.deps.engine.store.collectionMetadata.get('tin-hoc');
    for (const [body, field] of [
      [{ licence: 'GPL-3.0' }, 'licence'],
      [{ inLanguage: 'tiếng Việt' }, 'inLanguage'],
      [{ license: 'CC-BY-4.0' }, '(body)'],
      [{ attribution: 'a\nb' }, 'attribution'],
    ] as const) {
      const res = await svc.admin('/collections/tin-hoc/metadata', json(body));
      expect(res.status, JSON.stringify(body)).toBe(400);
      const error = (await res.json()).error;
      expect(error.code).toBe('invalid_field');
      expect(error.field).toBe(field);
      expect(error.messageVi).toMatch(/không hợp lệ/);
    }
    expect((await svc.admin('/collections/khong-co/metadata', json({ licence: 'CC-BY-4.0' }))).status).toBe(404);
    expect(await svc.deps.engine.store.collectionMetadata.get('tin-hoc')).toEqual(before);
  });
});

describe('export', () => {
  it('writes the documents as uploaded, JSON-LD metadata and a manifest whose checksums match', async () => {
    const res = await svc.admin('/collections/tin-hoc/package');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="tin-hoc.trogiang.zip"');
    const files = new Map((await readZip(new Uint8Array(await res.arrayBuffer()))).map((f) => [f.name, f.bytes]));
    expect([...files.keys()].sort()).toEqual([
      'documents/bai-1-bang-tinh.md',
      'documents/bai-2-thu-dien-tu.md',
      'manifest.json',
      'metadata.jsonld',
    ]);
    for (const lesson of sampleLessons()) expect(files.get(`documents/${lesson.fileName}`)!.equals(lesson.bytes)).toBe(true);

    const manifest = JSON.parse(files.get('manifest.json')!.toString());
    expect(manifest).toMatchObject({
      format: 'trogiang-collection-package',
      formatVersion: 1,
      collection: { id: 'tin-hoc', name: 'tin-hoc' },
    });
    for (const f of manifest.files) {
      expect(sha256(files.get(f.path)!), f.path).toBe(f.sha256);
      expect(files.get(f.path)!.length).toBe(f.bytes);
    }
    const ld = JSON.parse(files.get('metadata.jsonld')!.toString());
    expect(ld).toMatchObject({
      '@context': 'https://schema.org/',
      '@type': ['LearningResource', 'Collection'],
      identifier: 'tin-hoc',
      license: 'https://creativecommons.org/licenses/by/4.0/',
      creditText: 'TTGDTX Quận 3',
      inLanguage: 'vi',
    });
    const doc = (await svc.deps.engine.store.listDocuments('tin-hoc')).find((d) => d.fileName === 'bai-1-bang-tinh.md')!;
    expect(ld.hasPart).toContainEqual(
      expect.objectContaining({
        '@type': ['LearningResource', 'MediaObject'],
        identifier: doc.id,
        name: doc.title,
        encodingFormat: 'text/markdown',
        sha256: doc.contentHash,
        contentUrl: 'documents/bai-1-bang-tinh.md',
        dateModified: doc.updatedAt,
        license: 'https://creativecommons.org/licenses/by/4.0/',
        creditText: 'TTGDTX Quận 3',
      }),
    );
  });

  it('fails the download, not the process, when a document is deleted while its package is being written', async () => {
    await upload('tam-thoi', [{ fileName: 'tam.md', bytes: lessonMarkdown('Tạm', 'Tài liệu bị xoá giữa chừng khi đang xuất.') }]);
    const exported = (await exportCollection(svc.deps.engine.store, 'tam-thoi'))!;
    expect(await svc.deps.engine.removeDocument((await svc.deps.engine.store.listDocuments('tam-thoi'))[0]!.id)).toBe(true);
    await expect(
      (async () => {
        for await (const _ of exported.stream) void _;
      })(),
    ).rejects.toThrow(/unexpected number of bytes|changed while/);
    expect((await fetch(`${svc.baseURL}/healthz`)).status).toBe(200);
    await svc.deps.engine.store.collections.deleteCollection('tam-thoi');
  });

  it('answers 404 for a collection that does not exist', async () => {
    expect((await svc.admin('/collections/khong-co/package')).status).toBe(404);
  });
});

describe('import', () => {
  it('brings an exported collection into another collection, searchable at once, with its licence', async () => {
    const zip = new Uint8Array(await (await svc.admin('/collections/tin-hoc/package')).arrayBuffer());
    const res = await svc.admin('/collections/import', importRequest(zip, 'tin-hoc.trogiang.zip', 'tin-hoc-ban-sao'));
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({
      kind: 'trogiang',
      collection: { id: 'tin-hoc-ban-sao', created: true },
      metadataApplied: true,
      metadata: { licence: 'CC-BY-4.0', attribution: 'TTGDTX Quận 3' },
    });
    expect(body.documents.map((d: { fileName: string }) => d.fileName).sort()).toEqual(['bai-1-bang-tinh.md', 'bai-2-thu-dien-tu.md']);
    const store = svc.deps.engine.store;
    for (const d of await store.listDocuments('tin-hoc-ban-sao')) {
      const original = (await store.listDocuments('tin-hoc')).find((o) => o.fileName === d.fileName)!;
      expect((await store.getDocumentSource(d.id))!.equals((await store.getDocumentSource(original.id))!)).toBe(true);
      expect(d.title).toBe(original.title);
      expect(d.chunkCount).toBe(original.chunkCount);
    }
    const hits = await svc.deps.engine.retrieve('hàm SUM cộng các ô', { collections: ['tin-hoc-ban-sao'] });
    expect(hits.results[0]?.chunk.documentId).toBe(
      (await store.listDocuments('tin-hoc-ban-sao')).find((d) => d.fileName === 'bai-1-bang-tinh.md')!.id,
    );
    expect((await storeAndIndexesAgree(svc.deps.engine)).ok).toBe(true);
  });

  it('refuses documents that already exist in the target with 409, changing nothing', async () => {
    const zip = new Uint8Array(await (await svc.admin('/collections/tin-hoc/package')).arrayBuffer());
    const before = counts();
    const res = await svc.admin('/collections/import', importRequest(zip));
    expect(res.status).toBe(409);
    const error = (await res.json()).error;
    expect(error).toMatchObject({ code: 'conflict', reason: 'documents_exist', collection: 'tin-hoc' });
    expect(error.messageVi).toMatch(/đã có 2 tài liệu/);
    expect(counts()).toEqual(before);
  });

  it('undoes everything when one document of a verified package cannot be read: nothing lands', async () => {
    const entries = trogiangPackageEntries(
      [
        { fileName: 'bai-tot.md', bytes: lessonMarkdown('Bài tốt', 'Thư viện mở cửa từ 7 giờ đến 21 giờ.') },
        { fileName: 'hong.pdf', bytes: makeCorruptPdf(), format: 'pdf' },
      ],
      { collection: { id: 'goi-hong', name: 'Gói hỏng' } },
    );
    const before = counts();
    const res = await svc.admin('/collections/import', importRequest(makeRawZip(entries)));
    expect(res.status).toBe(422);
    const error = (await res.json()).error;
    expect(error).toMatchObject({ code: 'unprocessable_file', reason: 'document_failed', entry: 'hong.pdf', fileReason: 'corrupt_file' });
    expect(error.messageVi).toMatch(/hoàn tác/);
    expect(counts()).toEqual(before);
    expect(await svc.deps.engine.store.collections.getCollection('goi-hong')).toBeUndefined();
    expect((await svc.deps.engine.retrieve('thư viện mở cửa 21 giờ')).results.map((r) => r.chunk.collection)).not.toContain('goi-hong');
    expect((await storeAndIndexesAgree(svc.deps.engine)).ok).toBe(true);
  });

  it('imports an IMS Common Cartridge: pages and files become documents titled by the manifest, the rest is listed as skipped', async () => {
    const cartridge = makeCartridge(await makeVietnamesePdf());
    // Over the 64 KB JSON body limit of the other API routes: the import route has its own.
    expect(cartridge.length).toBeGreaterThan(64 * 1024);
    const res = await svc.admin('/collections/import', importRequest(cartridge, 'tin-hoc-van-phong.imscc'));
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({
      kind: 'imscc',
      collection: { id: 'tin-hoc-van-phong-k12', name: 'Tin học văn phòng K12', created: true },
      metadata: { inLanguage: 'vi', licence: 'center-only' },
    });
    expect(body.metadata.description).toMatch(/xuất từ Moodle/);
    const titles = Object.fromEntries(body.documents.map((d: { fileName: string; title: string }) => [d.fileName, d.title]));
    expect(titles).toEqual({
      'index.html': 'Bài 1: Làm quen với Word',
      'page2-index.html': 'Bài 2: Định dạng đoạn văn',
      'phim-tat.pdf': 'Tài liệu phát tay: Phím tắt',
    });
    expect(body.skipped.map((s: { path: string }) => s.path).sort()).toEqual([
      'file1/resource.xml',
      'forum/discussion.xml',
      'web_resources/logo.png',
    ]);
    const hit = (await svc.deps.engine.retrieve('căn giữa đoạn văn phím tắt', { collections: ['tin-hoc-van-phong-k12'] })).results[0]!;
    expect(hit.chunk.title).toBe('Bài 2: Định dạng đoạn văn');
    expect((await storeAndIndexesAgree(svc.deps.engine)).ok).toBe(true);
  });

  it('refuses a package upload over 256 MiB from its Content-Length, before reading it', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        `${svc.baseURL}/api/admin/collections/import`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${svc.adminToken}`,
            'content-type': 'multipart/form-data; boundary=x',
            'content-length': String(300 * 1024 * 1024),
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      );
      req.on('error', reject);
      req.write('--x\r\n');
    });
    expect(status).toBe(413);
  });

  it('refuses an import without the admin token', async () => {
    const res = await fetch(
      `${svc.baseURL}/api/admin/collections/import`,
      importRequest(makeRawZip(trogiangPackageEntries(sampleLessons()))),
    );
    expect(res.status).toBe(401);
    expect((await fetch(`${svc.baseURL}/api/admin/collections/tin-hoc/package`)).status).toBe(401);
  });

  it('refuses a cartridge whose manifest names a file it does not hold, changing nothing', async () => {
    const before = counts();
    const res = await svc.admin(
      '/collections/import',
      importRequest(makeCartridge(await makeVietnamesePdf(), { drop: 'file1/phim-tat.pdf' }), 'x.imscc', 'cc-thieu'),
    );
    expect(res.status).toBe(422);
    expect((await res.json()).error).toMatchObject({ reason: 'missing_file', entry: 'file1/phim-tat.pdf' });
    expect(counts()).toEqual(before);
  });
});
