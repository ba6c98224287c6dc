/**
 * The verified-answers tab: the center's verified answers (hits, thumbs, validity) with edit and
 * delete, a form to write one (prefilled from the questions log's "write the answer"), and what
 * expires in the next 30 days. Also the validity badge the documents list shows.
 */
import type { ShownVerifiedAnswer as Verified, ValidityStatus as Status } from '../../../src/contract/index.js';
import { createVerified, deleteVerified, listExpiring, listVerified, updateVerified } from './api.js';
import { byId, currentLang, el, fill } from './dom.js';
import { verifiedStrings, type VerifiedStrings } from './verified-i18n.js';

const s = (): VerifiedStrings => verifiedStrings[currentLang()];
const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
const words = (text: string) =>
  text
    .split(/[,\s]+/)
    .map((c) => c.trim())
    .filter(Boolean);
let editing: string | null = null;

/** A badge for a validity status (nothing for a valid, undated item). */
export function validityBadge(item: { status?: Status; validFrom?: string | null; validUntil?: string | null }): HTMLElement | null {
  const status = item.status ?? 'valid';
  if (status === 'valid' && !item.validUntil && !item.validFrom) return null;
  const label = status === 'expired' ? s().expired : status === 'not_yet_valid' ? s().notYetValid : s().valid;
  const dates = [
    item.validFrom ? fill(s().from, { d: item.validFrom }) : '',
    item.validUntil ? fill(s().until, { d: item.validUntil }) : '',
  ]
    .filter(Boolean)
    .join(' ');
  return el(
    'span',
    { class: `badge ${status === 'valid' ? 'ok' : status === 'expired' ? 'bad' : 'warn'}`, 'data-status': status },
    `${label}${dates ? ` · ${dates}` : ''}`,
  );
}

/** Sets the texts of the elements marked `data-tv`. */
export function applyVerifiedStrings(): void {
  const strings = s() as unknown as Record<string, string>;
  document.querySelectorAll<HTMLElement>('[data-tv]').forEach((e) => (e.textContent = strings[e.dataset.tv!] ?? ''));
}

function resetForm(): void {
  editing = null;
  byId<HTMLFormElement>('v-form').reset();
  byId('v-submit').textContent = s().vSave;
  byId('v-cancel').hidden = true;
}

/** Fills the form to write the answer to `question` (from the questions log). */
export function prefillVerified(question: string): void {
  resetForm();
  byId<HTMLTextAreaElement>('v-question').value = question;
  byId<HTMLTextAreaElement>('v-answer').focus();
}

function edit(a: Verified): void {
  editing = a.id;
  byId<HTMLTextAreaElement>('v-question').value = a.question;
  byId<HTMLTextAreaElement>('v-answer').value = a.answer;
  byId<HTMLTextAreaElement>('v-phrasings').value = a.phrasings.join('\n');
  byId<HTMLInputElement>('v-collections').value = a.collections.join(', ');
  byId<HTMLInputElement>('v-until').value = a.validUntil ?? '';
  byId('v-submit').textContent = s().vUpdate;
  byId('v-cancel').hidden = false;
  byId<HTMLTextAreaElement>('v-answer').focus();
}

/** Loads the list and the expiring card. */
export async function loadVerified(): Promise<void> {
  applyVerifiedStrings();
  const { verifiedAnswers } = await listVerified();
  const tbody = byId('verified').querySelector('tbody')!;
  tbody.textContent = '';
  if (!verifiedAnswers.length) tbody.append(el('tr', {}, el('td', { colSpan: 6, class: 'muted' }, s().vNone)));
  for (const a of verifiedAnswers) {
    tbody.append(
      el(
        'tr',
        { 'data-id': a.id },
        el('td', {}, a.question, ...a.phrasings.map((p) => el('div', { class: 'small muted' }, p))),
        el('td', { class: 'text' }, a.answer),
        el('td', { class: 'num' }, String(a.hitCount)),
        el('td', { class: 'num' }, `${a.thumbsUp} / ${a.thumbsDown}`),
        el('td', {}, validityBadge(a) ?? ''),
        el(
          'td',
          { class: 'nowrap' },
          el('button', { type: 'button', class: 'ghost', onclick: () => edit(a) }, s().vEdit),
          el(
            'button',
            {
              type: 'button',
              class: 'ghost danger',
              onclick: async () => {
                if (!confirm(s().vConfirmDelete)) return;
                await deleteVerified(a.id);
                byId('status').textContent = s().vDeleted;
                await loadVerified();
              },
            },
            s().vDelete,
          ),
        ),
      ),
    );
  }
  const expiring = await listExpiring(30);
  const items = [
    ...expiring.documents.map((d) => `${d.title} — ${d.validUntil}`),
    ...expiring.verifiedAnswers.map((a) => `${a.question} — ${a.validUntil}`),
  ];
  byId('v-expiring').replaceChildren(
    items.length ? el('ul', {}, ...items.map((i) => el('li', {}, i))) : el('p', { class: 'muted' }, s().vNothingExpiring),
  );
}

export function initVerifiedTab(fail: (e: unknown) => void): void {
  applyVerifiedStrings();
  byId('v-cancel').onclick = () => resetForm();
  byId<HTMLFormElement>('v-form').onsubmit = async (e) => {
    e.preventDefault();
    const until = byId<HTMLInputElement>('v-until').value;
    const body = {
      question: byId<HTMLTextAreaElement>('v-question').value,
      answer: byId<HTMLTextAreaElement>('v-answer').value,
      phrasings: lines(byId<HTMLTextAreaElement>('v-phrasings').value),
      collections: words(byId<HTMLInputElement>('v-collections').value),
      validUntil: until || null,
    };
    try {
      if (editing) await updateVerified(editing, body);
      else await createVerified(body);
      byId('status').textContent = s().vSaved;
      resetForm();
      await loadVerified();
    } catch (error) {
      fail(error);
    }
  };
}
