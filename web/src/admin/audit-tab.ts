/** The audit log tab: who changed what and when, newest first, paged; filters; CSV export. */
import { accountStrings, actionNames } from './account-i18n.js';
import { auditCsv, listAudit } from './api.js';
import { byId, currentLang, el, fill, saveFile } from './dom.js';

let nextBefore: number | null = null;

function query(): string {
  const q = new URLSearchParams();
  const action = byId<HTMLSelectElement>('a-action').value;
  const from = byId<HTMLInputElement>('a-from').value;
  const to = byId<HTMLInputElement>('a-to').value;
  if (action) q.set('action', action);
  if (from) q.set('from', from);
  if (to) q.set('to', to);
  return q.toString();
}

/** Details as short `key: value` text (the raw JSON is in the CSV). */
const detailText = (d: Record<string, unknown>) =>
  Object.entries(d)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' · ');

function fillActions() {
  const select = byId<HTMLSelectElement>('a-action');
  const value = select.value;
  const names = actionNames[currentLang()];
  select.textContent = '';
  select.append(
    el('option', { value: '' }, accountStrings[currentLang()].auditAll),
    ...Object.entries(names).map(([k, v]) => el('option', { value: k }, v)),
  );
  select.value = value;
}

/** Loads the first page (or, with `more`, the next one) into the table. */
export async function loadAudit(more = false): Promise<void> {
  fillActions();
  const strings = accountStrings[currentLang()];
  const names = actionNames[currentLang()];
  const body = await listAudit(query(), more ? nextBefore : null);
  nextBefore = body.nextBefore;
  const tbody = byId('audit').querySelector('tbody')!;
  if (!more) tbody.textContent = '';
  const when = (iso: string) =>
    new Date(iso).toLocaleString(currentLang() === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'short', timeStyle: 'medium' });
  for (const e of body.entries) {
    tbody.append(
      el(
        'tr',
        { class: e.action === 'auth.login_failed' ? 'down' : '' },
        el('td', { class: 'nowrap' }, when(e.at)),
        el('td', {}, e.actor),
        el('td', {}, names[e.action] ?? e.action),
        el('td', { class: 'text clip' }, e.target ?? ''),
        el('td', { class: 'text clip small' }, detailText(e.details)),
      ),
    );
  }
  byId('a-total').textContent = fill(strings.auditTotal, { n: body.total });
  byId('a-more').hidden = nextBefore === null;
}

/** Wires the filter form, "show more" and the CSV export. */
export function initAuditTab(fail: (e: unknown) => void): void {
  byId<HTMLFormElement>('a-form').onsubmit = (e) => {
    e.preventDefault();
    void loadAudit().catch(fail);
  };
  byId('a-more').onclick = () => void loadAudit(true).catch(fail);
  byId('a-csv').onclick = async () => {
    try {
      saveFile(await auditCsv(query()), `nhat-ky-${new Date().toISOString().slice(0, 10)}.csv`);
    } catch (error) {
      fail(error);
    }
  };
}
