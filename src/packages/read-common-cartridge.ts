import { posix } from 'node:path';
import { DomUtils, parseDocument } from 'htmlparser2';
import { IngestError, loadDocument, safeFileName, type LoadLimits } from '../ingest/index.js';
import { defaultCollectionMetadata } from '../store/index.js';
import { foldDiacritics } from '../text/index.js';
import type { ImportPlan, PlannedDocument } from './import-plan.js';
import { PackageError } from './package-error.js';
import type { ZipFileEntry } from './read-zip.js';

export const cartridgeManifestPath = 'imsmanifest.xml';

type Element = ReturnType<typeof DomUtils.findAll>[number];

/** Files of a cartridge that become documents; the rest (images, styles, descriptors) are the pages' assets. */
const documentExtensions = /\.(html?|xhtml|pdf|docx|md|markdown|txt)$/i;

const localName = (el: Element) => el.name.slice(el.name.indexOf(':') + 1).toLowerCase();
const childrenNamed = (el: Element, name: string) =>
  el.children.filter((c): c is Element => 'attribs' in c && localName(c as Element) === name);
const descendantsNamed = (root: Element | Element[], name: string) =>
  DomUtils.findAll((el) => localName(el) === name, Array.isArray(root) ? root : [root]);
const textOf = (el: Element | undefined) => (el ? DomUtils.textContent(el).replace(/\s+/g, ' ').trim() : '');
const shown = (s: string) => JSON.stringify(s.slice(0, 120));

function invalid(detail: string): PackageError {
  return new PackageError(
    'invalid_manifest',
    `imsmanifest.xml is not a readable IMS Common Cartridge manifest (${detail}); nothing was imported`,
    `imsmanifest.xml không phải bản kê IMS Common Cartridge đọc được (${detail}); không có gì được nhập.`,
    { detail },
  );
}

/** A resource's file path inside the package: relative to `xml:base`, never leaving the package. */
function resolveHref(base: string, href: string, present: ReadonlySet<string>): string | undefined {
  const joined = posix.normalize(posix.join(base, href.split(/[?#]/)[0]!));
  if (joined.startsWith('../') || joined === '..' || joined.startsWith('/')) return undefined;
  if (present.has(joined)) return joined;
  try {
    const decoded = decodeURIComponent(joined);
    return present.has(decoded) ? decoded : joined;
  } catch {
    return joined;
  }
}

/** The LOM title, description and language of the cartridge (`metadata/lom/general`). */
function lomGeneral(manifest: Element): { title: string; description: string; language: string } {
  const metadata = childrenNamed(manifest, 'metadata')[0];
  const general = metadata ? descendantsNamed(metadata, 'general')[0] : undefined;
  if (!general) return { title: '', description: '', language: '' };
  const title = descendantsNamed(general, 'title')[0];
  const titleString = title ? descendantsNamed(title, 'string')[0] : undefined;
  const description = descendantsNamed(general, 'description')[0];
  const language = textOf(childrenNamed(general, 'language')[0]) || titleString?.attribs.language || '';
  return {
    title: textOf(titleString ?? title),
    description: textOf(description),
    language: /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/.test(language) ? language : '',
  };
}

function slugOf(title: string): string {
  const slug = foldDiacritics(title.toLowerCase())
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return slug || 'imscc';
}

/**
 * Reads an IMS Common Cartridge (1.0-1.3; what Moodle's course export writes): `imsmanifest.xml`
 * lists resources; those of type `webcontent` and `associatedcontent/…` hold web pages and files.
 * Each HTML page, PDF, DOCX, Markdown or text file among them becomes a document titled by the
 * organization item that points at its resource (the file's name otherwise). Other resources
 * (discussions, quizzes, web links, LTI links) and assets (images, styles) are listed as skipped.
 * Every document is read by the loaders here, before anything is stored: one that cannot be read
 * refuses the whole cartridge.
 */
export async function readCommonCartridge(files: readonly ZipFileEntry[], limits: LoadLimits): Promise<ImportPlan> {
  const byName = new Map(files.map((f) => [f.name, f.bytes]));
  const xml = byName.get(cartridgeManifestPath);
  if (!xml)
    throw new PackageError(
      'missing_manifest',
      'the cartridge has no imsmanifest.xml; nothing was imported',
      'Gói không có imsmanifest.xml; không có gì được nhập.',
    );
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(xml);
  } catch {
    throw invalid('not UTF-8');
  }
  const dom = parseDocument(text, { xmlMode: true });
  const manifest = DomUtils.findOne((el) => localName(el) === 'manifest', dom.children, false) ?? undefined;
  if (!manifest) throw invalid('no <manifest> element');
  const resources = childrenNamed(manifest, 'resources')[0];
  if (!resources) throw invalid('no <resources> element');

  const itemTitles = new Map<string, string>();
  for (const item of descendantsNamed(childrenNamed(manifest, 'organizations'), 'item')) {
    const ref = item.attribs.identifierref;
    const title = textOf(childrenNamed(item, 'title')[0]);
    if (ref && title && !itemTitles.has(ref)) itemTitles.set(ref, title);
  }

  const present = new Set(byName.keys());
  const documents: PlannedDocument[] = [];
  const skipped: ImportPlan['skipped'] = [];
  const taken = new Set<string>();
  const usedNames = new Set<string>();
  for (const resource of childrenNamed(resources, 'resource')) {
    const type = resource.attribs.type ?? '';
    const id = resource.attribs.identifier ?? '';
    const base = posix.join(resources.attribs['xml:base'] ?? '', resource.attribs['xml:base'] ?? '');
    const paths = childrenNamed(resource, 'file')
      .map((f) => f.attribs.href ?? '')
      .filter(Boolean);
    if (type !== 'webcontent' && !type.startsWith('associatedcontent/')) {
      for (const p of paths) skipped.push({ path: p, reason: `resource type ${type || '(none)'} is not content` });
      continue;
    }
    const main = resource.attribs.href ? resolveHref(base, resource.attribs.href, present) : undefined;
    const docPaths = paths.map((p) => resolveHref(base, p, present));
    for (const [i, path] of docPaths.entries()) {
      if (path === undefined) throw invalid(`file ${shown(paths[i]!)} of resource ${shown(id)} leads out of the package`);
      if (!present.has(path)) {
        throw new PackageError(
          'missing_file',
          `imsmanifest.xml lists ${shown(path)}, which the cartridge does not hold; nothing was imported`,
          `imsmanifest.xml liệt kê ${shown(path)} nhưng gói không có tệp này; không có gì được nhập.`,
          { entry: path },
        );
      }
      if (taken.has(path)) continue;
      if (!documentExtensions.test(path)) {
        skipped.push({ path, reason: 'an asset of a page, not a document' });
        continue;
      }
      taken.add(path);
      const itemTitle = itemTitles.get(id);
      const single = docPaths.filter((p) => p && documentExtensions.test(p)).length === 1;
      const title = itemTitle && (path === main || single) ? itemTitle : undefined;
      // Moodle names many pages alike (index.html): the path keeps them apart.
      let fileName = safeFileName(posix.basename(path));
      if (usedNames.has(fileName.toLowerCase())) fileName = safeFileName(path.replace(/\//g, '-'));
      usedNames.add(fileName.toLowerCase());
      const bytes = byName.get(path)!;
      let loaded;
      try {
        loaded = await loadDocument(bytes, fileName, limits);
      } catch (error) {
        if (!(error instanceof IngestError)) throw error;
        throw new PackageError(
          error.code === 'unsupported_format' ? 'unsupported_file' : 'document_failed',
          `${shown(path)} cannot be read: ${error.message.replace(/\.$/, '')}; nothing was imported`,
          `Không đọc được ${shown(path)}: ${error.messageVi} Không có gì được nhập.`,
          { entry: path, fileReason: error.code },
        );
      }
      documents.push({ path, fileName, bytes, loaded: title ? { ...loaded, title } : loaded });
    }
  }
  if (documents.length === 0) {
    throw new PackageError(
      'no_documents',
      'the cartridge holds no web pages or files trogiang can read (HTML, PDF, DOCX, Markdown, text); nothing was imported',
      'Gói không có trang web hay tệp nào trogiang đọc được (HTML, PDF, DOCX, Markdown, văn bản); không có gì được nhập.',
    );
  }
  const lom = lomGeneral(manifest);
  const name = (lom.title || 'IMS Common Cartridge').slice(0, 120);
  return {
    kind: 'imscc',
    collection: { id: slugOf(lom.title), name },
    metadata: { ...defaultCollectionMetadata, description: lom.description.slice(0, 2000), inLanguage: lom.language },
    documents,
    skipped,
  };
}
