import type { Language } from '../text/index.js';

/** `2026-12-31` as a reader of `lang` writes it. */
function formatDate(date: string, lang: Language): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  if (lang === 'vi') return `${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}/${y}`;
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/**
 * The sentence an answer drawn from dated material ends with: the dates it is valid for
 * (issue 18), or '' when the material has none. Starts with a blank line.
 * @example validityNote({ validFrom: null, validUntil: '2026-12-31' }, 'vi') // "\n\nThông tin này có hiệu lực đến ngày 31/12/2026."
 */
export function validityNote(validity: { validFrom: string | null; validUntil: string | null }, lang: Language): string {
  const { validFrom, validUntil } = validity;
  if (validFrom === null && validUntil === null) return '';
  if (lang === 'vi') {
    const from = validFrom !== null ? ` từ ngày ${formatDate(validFrom, 'vi')}` : '';
    const until = validUntil !== null ? ` đến ngày ${formatDate(validUntil, 'vi')}` : '';
    return `\n\nThông tin này có hiệu lực${from}${until}.`;
  }
  const from = validFrom !== null ? ` from ${formatDate(validFrom, 'en')}` : '';
  const until = validUntil !== null ? ` until ${formatDate(validUntil, 'en')}` : '';
  return `\n\nThis information is valid${from}${until}.`;
}

/** The narrowest validity of several dated sources: the latest start and the earliest end. */
export function narrowestValidity(validities: ReadonlyArray<{ validFrom: string | null; validUntil: string | null }>): {
  validFrom: string | null;
  validUntil: string | null;
} {
  let validFrom: string | null = null;
  let validUntil: string | null = null;
  for (const v of validities) {
    if (v.validFrom !== null && (validFrom === null || v.validFrom > validFrom)) validFrom = v.validFrom;
    if (v.validUntil !== null && (validUntil === null || v.validUntil < validUntil)) validUntil = v.validUntil;
  }
  return { validFrom, validUntil };
}
