/** The audit log tab: who changed what and when, newest first, paged; filters; CSV export. */
import { accountStrings, actionNames } from './account-i18n.js';
import { byId, currentLang, el, fill } from './dom.js';

type Api = (path: string, init?: RequestInit) => Promise<any>;
interface Entry { id: number; at: string; centerId: string | null; actor: string; action: string; target: string | null; details: Record<string, unknown> }

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
  select.append(el('option', { value: '' }, accountStrings[currentLang()].auditAll), ...Object.entries(names).map(([k, v]) => el('option', { value: k }, v)));
  select.value = value;
}

/** Loads the first page (or, with `more`, the next one) into the table. */
export async function loadAudit(api: Api, more = false): Promise<void> {
  fillActions();
  const strings = accountStrings[currentLang()];
  const names = actionNames[currentLang()];
  const q = query();
  const body = await api(`/audit?${q}${q ? '&' : ''}limit=50${more && nextBefore ? `&before=${nextBefore}` : ''}`);
  nextBefore = body.nextBefore;
  const tbody = byId('audit').querySelector('tbody')!;
  if (!more) tbody.textContent = '';
  const when = (iso: string) => new Date(iso).toLocaleString(currentLang() === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'short', timeStyle: 'medium' });
  for (const e of body.entries as Entry[]) {
    tbody.append(
      el('tr', { class: e.action === 'auth.login_failed' ? 'down' : '' },
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
export function initAuditTab(api: Api, fail: (e: unknown) => void): void {
  byId<HTMLFormElement>('a-form').onsubmit = (e) => {
    e.preventDefault();
    void loadAudit(api).catch(fail);
  };
  byId('a-more').onclick = () => void loadAudit(api, true).catch(fail);
  byId('a-csv').onclick = async () => {
    try {
      const blob = (await api(`/audit.csv?${query()}`)) as Blob;
      const a = el('a', { href: URL.createObjectURL(blob), download: `nhat-ky-${new Date().toISOString().slice(0, 10)}.csv` });
      a.click();
      URL.revokeObjectURL(a.href);
    } catch (error) {
      fail(error);
    }
  };
}
