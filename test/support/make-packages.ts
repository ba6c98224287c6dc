/**
 * Zips written byte by byte for the package tests: good packages (a trogiang collection package,
 * an IMS Common Cartridge as Moodle exports it) and every bad one of the catalogue (traversal,
 * absolute and backslash names, symlinks, encryption, bombs that declare or inflate past their
 * size, duplicates, truncation). A zip library refuses to write most of these, hence a writer of
 * our own; everything is made in memory at test time, nothing is committed.
 */
import { createHash } from 'node:crypto';
import { crc32, deflateRawSync } from 'node:zlib';
import { collectionJsonLd, type PackageManifest } from '../../src/packages/index.js';
import { defaultCollectionMetadata, type CollectionMetadata, type DocumentRecord } from '../../src/store/index.js';

/** One entry of a hand-written zip. Every field past `data` bends the format on purpose. */
export interface RawEntry {
  name: string;
  data: Uint8Array;
  /** 0 stored, 8 deflated (default), anything else an unsupported method. */
  method?: number;
  /** The uncompressed size written in the headers (default: the real one). */
  declaredSize?: number;
  /** Bytes written as the entry's compressed data instead of compressing `data`. */
  rawData?: Uint8Array;
  /** General purpose flags (bit 0: encrypted). */
  flags?: number;
  /** Unix mode in the external attributes (0o120777: a symbolic link). */
  unixMode?: number;
  /** CRC-32 written in the headers (default: the real one). */
  crc?: number;
}

/** A zip of `entries`, written as the specification says (UTF-8 names, made by Unix). */
export function makeRawZip(entries: readonly RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const method = e.method ?? 8;
    const packed = e.rawData ?? (method === 8 ? deflateRawSync(e.data) : Buffer.from(e.data));
    const crc = e.crc ?? crc32(e.data);
    const size = e.declaredSize ?? e.data.length;
    const flags = (e.flags ?? 0) | 0x800;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x5a21, 12); // 2025-01-01
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, spec 2.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x5a21, 14);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((e.unixMode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, Buffer.from(packed));
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const utf8 = (s: string) => Buffer.from(s, 'utf8');

/** A lesson in Markdown with a fact to ask about. */
export function lessonMarkdown(title: string, fact: string): Buffer {
  return utf8(`# ${title}\n\n## Nội dung\n\n${fact}\n\n## Ghi chú\n\nHọc viên ôn lại bài trước buổi học sau.\n`);
}

/**
 * The entries of a trogiang collection package holding `documents`, with a manifest and JSON-LD
 * as `exportCollection` writes them (`mutate` bends the manifest for a bad case).
 */
export function trogiangPackageEntries(
  documents: ReadonlyArray<{ fileName: string; bytes: Uint8Array; format?: string }>,
  options: {
    collection?: { id: string; name: string };
    metadata?: Partial<CollectionMetadata>;
    mutate?: (m: PackageManifest) => void;
  } = {},
): RawEntry[] {
  const collection = options.collection ?? { id: 'goi-mau', name: 'Gói mẫu' };
  const meta = {
    ...defaultCollectionMetadata,
    licence: 'CC-BY-4.0' as const,
    attribution: 'TTGDTX mẫu',
    inLanguage: 'vi',
    ...options.metadata,
  };
  const records = documents.map((d) => ({
    record: {
      id: d.fileName,
      collection: collection.id,
      title: d.fileName,
      fileName: d.fileName,
      format: (d.format ?? 'markdown') as DocumentRecord['format'],
      contentHash: sha256(d.bytes),
      bytes: d.bytes.length,
      pages: 1,
      chunkCount: 1,
      createdAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-01T00:00:00.000Z',
    },
    path: `documents/${d.fileName}`,
  }));
  const jsonLd = utf8(JSON.stringify(collectionJsonLd(collection, meta, records), null, 2));
  const manifest: PackageManifest = {
    format: 'trogiang-collection-package',
    formatVersion: 1,
    createdAt: '2025-01-01T00:00:00.000Z',
    generator: 'test',
    collection,
    files: [
      { role: 'metadata', path: 'metadata.jsonld', bytes: jsonLd.length, sha256: sha256(jsonLd) },
      ...records.map(({ record, path }) => ({
        role: 'document' as const,
        path,
        bytes: record.bytes,
        sha256: record.contentHash,
        fileName: record.fileName,
        documentId: record.id,
        title: record.title,
        format: record.format,
      })),
    ],
  };
  options.mutate?.(manifest);
  return [
    { name: 'manifest.json', data: utf8(JSON.stringify(manifest, null, 2)) },
    { name: 'metadata.jsonld', data: jsonLd },
    ...documents.map((d) => ({ name: `documents/${d.fileName}`, data: d.bytes })),
  ];
}

/** Two small lessons: the good package the bad cases are bent from. */
export function sampleLessons(): Array<{ fileName: string; bytes: Buffer }> {
  return [
    {
      fileName: 'bai-1-bang-tinh.md',
      bytes: lessonMarkdown('Bài 1: Bảng tính', 'Hàm SUM cộng các ô trong một vùng, ví dụ =SUM(A1:A10) cho tổng cột A.'),
    },
    {
      fileName: 'bai-2-thu-dien-tu.md',
      bytes: lessonMarkdown('Bài 2: Thư điện tử', 'Mật khẩu thư điện tử cần ít nhất 12 ký tự và không dùng lại ở trang khác.'),
    },
  ];
}

/**
 * An IMS Common Cartridge 1.1 as Moodle's course export writes it: `imsmanifest.xml` with LOM
 * metadata, one organization whose items point at resources by `identifierref`, web pages as
 * `webcontent` resources, a PDF handout as `associatedcontent/imscc_xmlv1p1/learning-application-resource`
 * with its descriptor, a shared image under `web_resources/`, and a discussion topic (`imsdt_xmlv1p1`)
 * that is not content. `pdf` is the handout's bytes.
 */
export function makeCartridge(pdf: Uint8Array, options: { extraResource?: string; drop?: string } = {}): Buffer {
  const page = (title: string, body: string) =>
    utf8(
      `<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}<p><img src="../web_resources/logo.png" alt="logo"></p></body></html>`,
    );
  const manifest = `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="cctd0001" xmlns="http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
  xmlns:lomimscc="http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest"
  xmlns:lom="http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <metadata>
    <schema>IMS Common Cartridge</schema>
    <schemaversion>1.1.0</schemaversion>
    <lomimscc:lom>
      <lomimscc:general>
        <lomimscc:title><lomimscc:string language="vi">Tin học văn phòng K12</lomimscc:string></lomimscc:title>
        <lomimscc:description><lomimscc:string language="vi">Khoá tin học văn phòng của trung tâm, xuất từ Moodle.</lomimscc:string></lomimscc:description>
        <lomimscc:language>vi</lomimscc:language>
      </lomimscc:general>
    </lomimscc:lom>
  </metadata>
  <organizations>
    <organization identifier="ORG1" structure="rooted-hierarchy">
      <item identifier="ROOT">
        <item identifier="SEC1">
          <title>Tuần 1</title>
          <item identifier="I_PAGE1" identifierref="RES_PAGE1"><title>Bài 1: Làm quen với Word</title></item>
          <item identifier="I_PAGE2" identifierref="RES_PAGE2"><title>Bài 2: Định dạng đoạn văn</title></item>
        </item>
        <item identifier="SEC2">
          <title>Tuần 2</title>
          <item identifier="I_FILE1" identifierref="RES_FILE1"><title>Tài liệu phát tay: Phím tắt</title></item>
          <item identifier="I_FORUM" identifierref="RES_FORUM"><title>Diễn đàn hỏi đáp</title></item>
        </item>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="RES_PAGE1" type="webcontent" href="page1/index.html"><file href="page1/index.html"/></resource>
    <resource identifier="RES_PAGE2" type="webcontent" href="page2/index.html"><file href="page2/index.html"/></resource>
    <resource identifier="RES_FILE1" type="associatedcontent/imscc_xmlv1p1/learning-application-resource" href="file1/resource.xml">
      <file href="file1/resource.xml"/>
      <file href="file1/phim-tat.pdf"/>
    </resource>
    <resource identifier="RES_WEB" type="webcontent"><file href="web_resources/logo.png"/></resource>
    <resource identifier="RES_FORUM" type="imsdt_xmlv1p1"><file href="forum/discussion.xml"/></resource>
    ${options.extraResource ?? ''}
  </resources>
</manifest>
`;
  const entries: RawEntry[] = [
    { name: 'imsmanifest.xml', data: utf8(manifest) },
    {
      name: 'page1/index.html',
      data: page('index', '<p>Để mở Word, bấm nút Start rồi chọn Microsoft Word. Lưu tài liệu bằng tổ hợp Ctrl+S.</p>'),
    },
    { name: 'page2/index.html', data: page('index', '<p>Căn giữa đoạn văn bằng Ctrl+E; giãn dòng 1,5 chọn trong mục Paragraph.</p>') },
    { name: 'file1/resource.xml', data: utf8('<?xml version="1.0"?><resource/>') },
    { name: 'file1/phim-tat.pdf', data: pdf },
    // A photo as courses have them (100 KB that do not compress): skipped, but it makes the cartridge larger than a JSON body.
    { name: 'web_resources/logo.png', data: Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), noise(100 * 1024)]) },
    { name: 'forum/discussion.xml', data: utf8('<?xml version="1.0"?><topic><title>Diễn đàn</title></topic>') },
  ];
  return makeRawZip(entries.filter((e) => e.name !== options.drop));
}

// ---------------------------------------------------------------------------------------------
// The bad package catalogue (test/fixtures/bad/packages.json)

const good = () => trogiangPackageEntries(sampleLessons());
const withDocument = (name: string, data: Uint8Array, extra: Partial<RawEntry> = {}) => [...good(), { name, data, ...extra }];
/** A good package whose first document entry is bent by `bend`. */
const bendDocument = (bend: (e: RawEntry) => RawEntry) => good().map((e, i) => (i === 2 ? bend(e) : e));
/** Bytes that do not compress (a linear congruential sequence). */
const noise = (n: number) => {
  const b = Buffer.alloc(n);
  for (let i = 0, x = 12345; i < n; i++) b[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
  return b;
};
const elf = () => Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(120, 0x90)]);

/** Every bad package of the catalogue, by generator name. */
export const badPackageGenerators: Record<string, () => Uint8Array | Promise<Uint8Array>> = {
  notAZip: () => lessonMarkdown('Không phải zip', 'Một tệp Markdown đổi đuôi thành .zip.'),
  emptyFile: () => new Uint8Array(0),
  truncatedZip: () => {
    const zip = makeRawZip(good());
    return zip.subarray(0, Math.floor(zip.length * 0.6));
  },
  // 20 MB of zeros deflate to about 20 KB: a ratio near 1,000, refused before inflating.
  bombRatio: () => makeRawZip(withDocument('documents/bom.md', Buffer.alloc(20 * 1024 * 1024))),
  // Headers claim 4 GB for 4 KB of data.
  bombDeclaredSize: () => makeRawZip(withDocument('documents/bom.md', Buffer.alloc(4096, 0x61), { declaredSize: 0xfff00000 })),
  // Headers claim 1 KB; the data inflates to 8 MB.
  bombLyingSize: () => makeRawZip(withDocument('documents/bom.md', Buffer.alloc(8 * 1024 * 1024, 0x61), { declaredSize: 1024 })),
  // Claims 60 MB in 400 KB (ratio 150, under the bomb ratio): over the 50 MB a file may be.
  entryOverLimit: () =>
    makeRawZip(
      withDocument('documents/lon.md', Buffer.alloc(10), { rawData: deflateRawSync(noise(400 * 1024)), declaredSize: 60 * 1024 * 1024 }),
    ),
  pathTraversal: () => makeRawZip(withDocument('../../etc/cron.d/trogiang', utf8('* * * * * root sh -c "id"\n'))),
  pathAbsolute: () => makeRawZip(withDocument('/etc/passwd', utf8('root:x:0:0::/root:/bin/sh\n'))),
  pathBackslash: () => makeRawZip(withDocument('..\\..\\Windows\\bai.md', utf8('# Bài\n'))),
  pathDriveLetter: () => makeRawZip(withDocument('C:/Windows/bai.md', utf8('# Bài\n'))),
  symlinkEntry: () => makeRawZip(withDocument('documents/lien-ket.md', utf8('/etc/passwd'), { unixMode: 0o120777 })),
  encryptedEntry: () =>
    makeRawZip(bendDocument((e) => ({ ...e, flags: 0x1, rawData: Buffer.concat([Buffer.alloc(12, 0x5a), deflateRawSync(e.data)]) }))),
  unsupportedCompression: () => makeRawZip(bendDocument((e) => ({ ...e, method: 12, rawData: Buffer.from(e.data) }))),
  wrongChecksum: () => {
    // The document changed after the manifest was written: the zip itself is intact.
    const entries = good();
    const changed = Buffer.from(entries[2]!.data.toString().replace('SUM', 'SUN'));
    return makeRawZip(entries.map((e, i) => (i === 2 ? { ...e, data: changed } : e)));
  },
  zipCrcMismatch: () => makeRawZip(bendDocument((e) => ({ ...e, crc: 0x12345678 }))),
  missingManifest: () => makeRawZip(good().filter((e) => e.name !== 'manifest.json')),
  missingMetadata: () => makeRawZip(good().filter((e) => e.name !== 'metadata.jsonld')),
  manifestNotJson: () =>
    makeRawZip(good().map((e) => (e.name === 'manifest.json' ? { ...e, data: utf8('{ "format": "trogiang-collection-package", ') } : e))),
  manifestWrongFormat: () =>
    makeRawZip(trogiangPackageEntries(sampleLessons(), { mutate: (m) => Object.assign(m, { formatVersion: 99 }) })),
  manifestMissingFile: () => makeRawZip(good().filter((e) => e.name !== 'documents/bai-2-thu-dien-tu.md')),
  unlistedFile: () => makeRawZip(withDocument('documents/them.md', lessonMarkdown('Thêm', 'Tệp không có trong manifest.'))),
  tooManyEntries: () =>
    makeRawZip([...good(), ...Array.from({ length: 2001 }, (_, i) => ({ name: `rac/${i}.txt`, data: utf8('x'), method: 0 }))]),
  duplicateNames: () =>
    makeRawZip([...good(), { name: 'documents/bai-1-bang-tinh.md', data: lessonMarkdown('Bản khác', 'Nội dung khác hẳn.') }]),
  unsupportedFileType: () =>
    makeRawZip(trogiangPackageEntries([...sampleLessons(), { fileName: 'cai-dat.exe', bytes: elf(), format: 'text' }])),
  metadataUnknownLicence: () => {
    const entries = trogiangPackageEntries(sampleLessons());
    const ld = JSON.parse(entries[1]!.data.toString());
    ld.license = 'https://example.org/giay-phep-rieng';
    const data = utf8(JSON.stringify(ld));
    return makeRawZip(
      trogiangPackageEntries(sampleLessons(), {
        mutate: (m) => Object.assign(m.files[0]!, { bytes: data.length, sha256: sha256(data) }),
      }).map((e) => (e.name === 'metadata.jsonld' ? { ...e, data } : e)),
    );
  },
  documentUnreadable: () =>
    makeRawZip(trogiangPackageEntries([...sampleLessons(), { fileName: 'hong.pdf', bytes: corruptPdf(), format: 'pdf' }])),
  cartridgeNoDocuments: () =>
    makeRawZip([
      {
        name: 'imsmanifest.xml',
        data: utf8(
          '<?xml version="1.0"?><manifest identifier="m"><organizations/><resources><resource identifier="F" type="imsdt_xmlv1p1"><file href="f.xml"/></resource></resources></manifest>',
        ),
      },
      { name: 'f.xml', data: utf8('<topic/>') },
    ]),
  cartridgeHrefTraversal: () =>
    makeRawZip([
      {
        name: 'imsmanifest.xml',
        data: utf8(
          '<?xml version="1.0"?><manifest identifier="m"><resources><resource identifier="R" type="webcontent" href="../../etc/passwd"><file href="../../etc/passwd"/></resource></resources></manifest>',
        ),
      },
    ]),
};

/** A PDF header followed by garbage: verified by checksum, refused by the loader (corrupt_file). */
function corruptPdf(): Buffer {
  const garbage = Buffer.alloc(2048);
  for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 73 + 41) % 256;
  return Buffer.concat([Buffer.from('%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R', 'latin1'), garbage]);
}
