import fc from 'fast-check';

/**
 * Test-only generators of Vietnamese syllables, built from their parts so that the expected
 * folded form and the expected (new-style) tone position are known independently of src/.
 */

/** A vowel letter: its plain base letter and its hat/horn/breve mark (combining code point), if any. */
export interface VowelSpec {
  base: 'a' | 'e' | 'i' | 'o' | 'u' | 'y';
  hat: '' | '\u0302' | '\u0306' | '\u031b';
}

const v = (letter: string): VowelSpec => {
  const table: Record<string, VowelSpec> = {
    a: { base: 'a', hat: '' },
    ă: { base: 'a', hat: '\u0306' },
    â: { base: 'a', hat: '\u0302' },
    e: { base: 'e', hat: '' },
    ê: { base: 'e', hat: '\u0302' },
    i: { base: 'i', hat: '' },
    o: { base: 'o', hat: '' },
    ô: { base: 'o', hat: '\u0302' },
    ơ: { base: 'o', hat: '\u031b' },
    u: { base: 'u', hat: '' },
    ư: { base: 'u', hat: '\u031b' },
    y: { base: 'y', hat: '' },
  };
  const spec = table[letter];
  if (!spec) throw new Error(`not a vowel: ${letter}`);
  return spec;
};

/**
 * A nucleus with the index (within the nucleus) of the vowel that carries the tone in the
 * Ministry's "new" style, written out by hand from the spelling rules, with and without a coda.
 */
export interface Nucleus {
  letters: string;
  /** Tone vowel index when the syllable ends in the nucleus; null when it needs a coda. */
  open: number | null;
  /** Tone vowel index when a final consonant follows; null when it cannot take one. */
  closed: number | null;
}

export const nuclei: readonly Nucleus[] = [
  { letters: 'a', open: 0, closed: 0 },
  { letters: 'ă', open: null, closed: 0 },
  { letters: 'â', open: null, closed: 0 },
  { letters: 'e', open: 0, closed: 0 },
  { letters: 'ê', open: 0, closed: 0 },
  { letters: 'i', open: 0, closed: 0 },
  { letters: 'o', open: 0, closed: 0 },
  { letters: 'ô', open: 0, closed: 0 },
  { letters: 'ơ', open: 0, closed: 0 },
  { letters: 'u', open: 0, closed: 0 },
  { letters: 'ư', open: 0, closed: 0 },
  { letters: 'y', open: 0, closed: null },
  { letters: 'ai', open: 0, closed: null },
  { letters: 'ao', open: 0, closed: null },
  { letters: 'au', open: 0, closed: null },
  { letters: 'ay', open: 0, closed: null },
  { letters: 'âu', open: 0, closed: null },
  { letters: 'ây', open: 0, closed: null },
  { letters: 'eo', open: 0, closed: null },
  { letters: 'êu', open: 0, closed: null },
  { letters: 'ia', open: 0, closed: null },
  { letters: 'iu', open: 0, closed: null },
  { letters: 'oi', open: 0, closed: null },
  { letters: 'ôi', open: 0, closed: null },
  { letters: 'ơi', open: 0, closed: null },
  { letters: 'ua', open: 0, closed: null },
  { letters: 'ui', open: 0, closed: null },
  { letters: 'ưa', open: 0, closed: null },
  { letters: 'ưi', open: 0, closed: null },
  { letters: 'ưu', open: 0, closed: null },
  // The pairs written two ways: old style on the first vowel (hòa, khỏe, thúy), new on the second.
  { letters: 'oa', open: 1, closed: 1 },
  { letters: 'oe', open: 1, closed: 1 },
  { letters: 'uy', open: 1, closed: 1 },
  { letters: 'oă', open: null, closed: 1 },
  { letters: 'uâ', open: null, closed: 1 },
  { letters: 'uê', open: 1, closed: 1 },
  { letters: 'uơ', open: 1, closed: null },
  { letters: 'iê', open: null, closed: 1 },
  { letters: 'yê', open: null, closed: 1 },
  { letters: 'uô', open: null, closed: 1 },
  { letters: 'ươ', open: null, closed: 1 },
  { letters: 'iêu', open: 1, closed: null },
  { letters: 'yêu', open: 1, closed: null },
  { letters: 'oai', open: 1, closed: null },
  { letters: 'oay', open: 1, closed: null },
  { letters: 'oeo', open: 1, closed: null },
  { letters: 'uây', open: 1, closed: null },
  { letters: 'uôi', open: 1, closed: null },
  { letters: 'ươi', open: 1, closed: null },
  { letters: 'ươu', open: 1, closed: null },
  { letters: 'uyu', open: 1, closed: null },
  { letters: 'uyê', open: null, closed: 2 },
];

/** Onsets with their folded spelling. `gi` and `qu` are kept away from nuclei they would merge with. */
export const onsets = [
  '',
  'b',
  'c',
  'ch',
  'd',
  'đ',
  'g',
  'gh',
  'gi',
  'h',
  'k',
  'kh',
  'l',
  'm',
  'n',
  'ng',
  'ngh',
  'nh',
  'p',
  'ph',
  'qu',
  'r',
  's',
  't',
  'th',
  'tr',
  'v',
  'x',
] as const;
export const codas = ['c', 'ch', 'm', 'n', 'ng', 'nh', 'p', 't'] as const;

/** Tone marks as combining characters; '' is the level tone (no mark). */
export const tones = ['', '\u0300', '\u0301', '\u0303', '\u0309', '\u0323'] as const;
export type Tone = (typeof tones)[number];

function compatible(onset: string, nucleus: string): boolean {
  if (onset === 'qu') return !/^[uoư]/.test(nucleus); // `quu`, `quo` are not syllables
  if (onset === 'gi') return !/^[iy]/.test(nucleus); // `gii`
  // Before i, Vietnamese spells gh/ngh: `gi…`/`ngi…` would read as the onset gi.
  if (onset === 'g' || onset === 'ng') return !/^[iy]/.test(nucleus);
  if (/^yê/.test(nucleus)) return onset === '' || onset === 'qu'; // yên, quyên; otherwise iê/uyê
  return true;
}

export interface SyllableParts {
  onset: string;
  nucleus: Nucleus;
  coda: string;
  tone: Tone;
  upper: boolean;
}

export const syllableParts: fc.Arbitrary<SyllableParts> = fc
  .record({
    onset: fc.constantFrom(...onsets),
    nucleus: fc.constantFrom(...nuclei),
    coda: fc.constantFrom('', ...codas),
    tone: fc.constantFrom(...tones),
    upper: fc.boolean(),
  })
  .filter(
    ({ onset, nucleus, coda }) => compatible(onset, nucleus.letters) && (coda === '' ? nucleus.open !== null : nucleus.closed !== null),
  );

/** The syllable with its tone on nucleus vowel `toneAt` (NFC). */
export function writeSyllable(parts: SyllableParts, toneAt: number): string {
  const letters = [...parts.nucleus.letters];
  const nucleus = letters.map((ch, i) => (i === toneAt ? ch + parts.tone : ch)).join('');
  const word = (parts.onset + nucleus + parts.coda).normalize('NFC');
  return parts.upper ? word.charAt(0).toUpperCase() + word.slice(1) : word;
}

/** Where the new style puts the tone. */
export function canonicalToneIndex(parts: SyllableParts): number {
  const at = parts.coda === '' ? parts.nucleus.open : parts.nucleus.closed;
  if (at === null) throw new Error('invalid syllable');
  return at;
}

/** The syllable without any mark, spelled by hand: base letters, `đ` → `d`. */
export function foldedSyllable(parts: SyllableParts): string {
  const onset = parts.onset.replace('đ', 'd');
  const nucleus = [...parts.nucleus.letters].map((ch) => v(ch).base).join('');
  const word = onset + nucleus + parts.coda;
  return parts.upper ? word.charAt(0).toUpperCase() + word.slice(1) : word;
}

/** True when the written syllable carries any mark (tone, hat, horn, breve or the bar of đ). */
export function carriesMarks(parts: SyllableParts): boolean {
  return parts.tone !== '' || parts.onset.includes('đ') || [...parts.nucleus.letters].some((ch) => v(ch).hat !== '');
}

/** Every precomposed Vietnamese letter (lower and upper case), NFC. */
export const vietnameseLetters: readonly string[] = (() => {
  const out = new Set<string>();
  for (const vowel of 'aăâeêioôơuưy') for (const tone of tones) out.add((vowel + tone).normalize('NFC'));
  for (const consonant of 'bcdđghklmnpqrstvx') out.add(consonant);
  return [...out].flatMap((ch) => [ch, ch.toUpperCase()]);
})();
