import mammoth from 'mammoth';
import { checkDocxPackage } from './docx-package.js';
import { ingestError } from './errors.js';
import { parseHtml } from './html-blocks.js';
import { firstHeadingTitle } from './load-html.js';
import { titleFromFileName } from './normalize-text.js';
import type { LoadedDocument } from './types.js';

/** Word's Title style is not in mammoth's default map; make it an h1 so it can title the document. */
const styleMap = ["p[style-name='Title'] => h1:fresh", "p[style-name='Subtitle'] => p:fresh"];

// Images are not text: emit an empty <img> instead of inlining megabytes of base64.
const dropImages = mammoth.images.imgElement(() => Promise.resolve({ src: '' }));

const notDocx = {
  en: 'The Word file is damaged or is not a real .docx document, so it cannot be read. Open it in Word, save it again as .docx, and upload it.',
  vi: 'Tệp Word bị hỏng hoặc không phải tệp .docx thật nên không đọc được. Hãy mở bằng Word, lưu lại dạng .docx rồi tải lên lại.',
};

/**
 * Loads a .docx via mammoth's HTML: Word Heading 1..6 become heading blocks, the Title style
 * a level-1 heading. Title: the first Title/h1, else the file name. The package is checked first
 * (`checkDocxPackage`: zip bombs, ZIPs that are not Word files); any mammoth failure (truncated
 * zip, missing parts) is `corrupt_file`.
 */
export async function loadDocx(bytes: Uint8Array, fileName: string): Promise<LoadedDocument> {
  // Before mammoth: it unpacks every part it reads in full, with no limit of its own.
  checkDocxPackage(bytes);
  let html: string;
  try {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const result = await mammoth.convertToHtml({ buffer }, { styleMap, convertImage: dropImages });
    html = result.value;
  } catch (error) {
    throw ingestError('corrupt_file', notDocx, error);
  }
  const { blocks } = parseHtml(html);
  return {
    format: 'docx',
    title: firstHeadingTitle(blocks) ?? titleFromFileName(fileName),
    pages: 1,
    blocks,
  };
}
