import { answerForm } from './answer-form.js';
import { blank, type PracticeItem } from './practice-item.js';

/** Where an item comes from, as a line for the Moodle question's feedback. */
function sourceLine(item: PracticeItem): string {
  const heading = item.headingPath.at(-1);
  return [item.title, heading, item.page !== null ? `tr. ${item.page}` : null].filter(Boolean).join(' — ');
}

/** GIFT's special characters (`~ = # { } :` and the backslash) escaped with a backslash. */
export function giftEscape(text: string): string {
  return text
    .replace(/([\\~=#{}:])/g, '\\$1')
    .replace(/\s+/g, ' ')
    .trim();
}

function giftAnswers(item: PracticeItem): string {
  const feedback = ` ####${giftEscape(sourceLine(item))}`;
  if (item.type === 'choice')
    return `{=${giftEscape(item.answer)} ${item.distractors.map((d) => `~${giftEscape(d)}`).join(' ')}${feedback}}`;
  // Moodle's short answer ignores case, not diacritics: the folded form is accepted too.
  const folded = answerForm(item.answer);
  const forms = folded === item.answer.toLowerCase() ? [item.answer] : [item.answer, folded];
  return `{${forms.map((f) => `=${giftEscape(f)}`).join(' ')}${feedback}}`;
}

/**
 * Items as Moodle GIFT: one question per item, the answer block in the place of the blank
 * ("missing word"), a short answer for fill items and a multiple choice for choice items, the
 * source in the general feedback. Blank lines separate questions.
 */
export function toGift(items: readonly PracticeItem[], category?: string): string {
  const out: string[] = [];
  if (category) out.push(`$CATEGORY: ${category}`, '');
  for (const item of items) {
    const [before, after = ''] = item.prompt.split(blank);
    out.push(`// ${sourceLine(item).replace(/\n/g, ' ')}`);
    out.push(`::${giftEscape(item.id)}::${giftEscape(before!)} ${giftAnswers(item)} ${giftEscape(after)}`.trimEnd());
    out.push('');
  }
  return out.join('\n');
}

const xmlEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const textEl = (value: string) => `<text>${xmlEscape(value)}</text>`;

function xmlQuestion(item: PracticeItem): string {
  const common = [
    `    <name>${textEl(item.prompt.slice(0, 60))}</name>`,
    `    <questiontext format="html">${textEl(`<p>${xmlEscape(item.prompt)}</p>`)}</questiontext>`,
    `    <generalfeedback format="html">${textEl(`<p>${xmlEscape(item.sentence)}</p><p>${xmlEscape(sourceLine(item))}</p>`)}</generalfeedback>`,
    '    <defaultgrade>1</defaultgrade>',
    '    <penalty>0.3333333</penalty>',
    '    <hidden>0</hidden>',
    `    <idnumber>${xmlEscape(item.id)}</idnumber>`,
  ];
  const answer = (text: string, fraction: number, format: string) =>
    `    <answer fraction="${fraction}" format="${format}">${textEl(text)}<feedback format="html"><text></text></feedback></answer>`;
  if (item.type === 'choice') {
    return [
      '  <question type="multichoice">',
      ...common,
      '    <single>true</single>',
      '    <shuffleanswers>true</shuffleanswers>',
      '    <answernumbering>abc</answernumbering>',
      answer(item.answer, 100, 'html'),
      ...item.distractors.map((d) => answer(d, 0, 'html')),
      '  </question>',
    ].join('\n');
  }
  const folded = answerForm(item.answer);
  return [
    '  <question type="shortanswer">',
    ...common,
    '    <usecase>0</usecase>',
    answer(item.answer, 100, 'moodle_auto_format'),
    ...(folded !== item.answer.toLowerCase() ? [answer(folded, 100, 'moodle_auto_format')] : []),
    '  </question>',
  ].join('\n');
}

/**
 * Items as Moodle XML (the question bank's import format): a category question, then a
 * `multichoice` (single answer, shuffled) or a `shortanswer` per item, with the source sentence
 * and its document in the general feedback and the item id as `idnumber`.
 */
export function toMoodleXml(items: readonly PracticeItem[], category?: string): string {
  const head = category
    ? [`  <question type="category">\n    <category>${textEl(`$course$/top/${category}`)}</category>\n  </question>`]
    : [];
  return ['<?xml version="1.0" encoding="UTF-8"?>', '<quiz>', ...head, ...items.map(xmlQuestion), '</quiz>', ''].join('\n');
}
