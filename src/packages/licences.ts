import type { LicenceCode } from '../store/index.js';

/** Each licence's canonical URL (schema.org `license`) and names; `center-only` has no public URL. */
export const licences: Record<LicenceCode, { url: string | null; en: string; vi: string }> = {
  'CC-BY-4.0': { url: 'https://creativecommons.org/licenses/by/4.0/', en: 'CC BY 4.0', vi: 'CC BY 4.0' },
  'CC-BY-SA-4.0': { url: 'https://creativecommons.org/licenses/by-sa/4.0/', en: 'CC BY-SA 4.0', vi: 'CC BY-SA 4.0' },
  'CC-BY-NC-4.0': { url: 'https://creativecommons.org/licenses/by-nc/4.0/', en: 'CC BY-NC 4.0', vi: 'CC BY-NC 4.0' },
  'center-only': { url: null, en: 'this center only', vi: 'chỉ dùng trong trung tâm' },
};

/** The licence code of a schema.org `license` URL (with or without `http:`, trailing slash or `legalcode`); undefined when unknown. */
export function licenceOfUrl(url: string): LicenceCode | undefined {
  const key = url
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/(legalcode(\.[a-z-]+)?)?\/?$/, '');
  for (const [code, l] of Object.entries(licences)) {
    if (l.url && l.url.replace(/^https:\/\//, '').replace(/\/$/, '') === key) return code as LicenceCode;
  }
  return undefined;
}
