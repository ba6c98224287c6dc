/**
 * The site keys tab: the center's keys with their embed snippets (script and iframe), and the
 * form to create or edit one. Pasted page addresses are reduced to their origins as the server
 * keeps them, and a refused address is shown at its line.
 */
import type { AdminResponse } from '../../../src/contract/index.js';
import { ApiError, createSiteKey, deleteSiteKey, listSiteKeys, updateSiteKey } from './api.js';
import { byId, el, fill } from './dom.js';
import { fail, pageStrings as t, status } from './page.js';

type SiteKey = AdminResponse<'GET /site-keys'>['siteKeys'][number];

let editing: SiteKey | null = null;
const lines = (s: string) =>
  s
    .split('\n')
    .map((x) => x.trim())
    .filter(Boolean);

function snippets(k: SiteKey): { script: string; iframe: string } {
  const o = location.origin;
  const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const script = `<script src="${o}/widget.js" data-site-key="${k.key}" data-lang="${k.lang}" data-title="${attr(k.title)}"${k.color ? ` data-color="${k.color}"` : ''} data-position="right" async></script>`;
  const iframe = `<iframe src="${o}/embed?site=${k.key}" title="${attr(k.title)}" style="width:100%;max-width:480px;height:600px;border:1px solid #ccc;border-radius:8px"></iframe>`;
  return { script, iframe };
}

/** Fills the form with `k` to edit it, or empties it for a new key. */
export function fillForm(k: SiteKey | null): void {
  editing = k;
  byId('key-form-title').textContent = k ? fill(t().editKey, { t: k.title }) : t().newKey;
  byId<HTMLInputElement>('k-title').value = k?.title ?? '';
  byId<HTMLTextAreaElement>('k-origins').value = (k?.allowedOrigins ?? []).join('\n');
  byId<HTMLInputElement>('k-collections').value = (k?.collections ?? []).join(', ');
  byId<HTMLTextAreaElement>('k-starters').value = (k?.starterQuestions ?? []).join('\n');
  byId<HTMLTextAreaElement>('k-welcome').value = k?.welcomeText ?? '';
  byId<HTMLInputElement>('k-color').value = k?.color && k.color.length === 7 ? k.color : '#0b6bcb';
  byId<HTMLInputElement>('k-color-on').checked = !!k?.color;
  byId<HTMLSelectElement>('k-lang').value = k?.lang ?? 'vi';
  byId<HTMLInputElement>('k-rate').value = String(k?.rateLimitPerMinute ?? 30);
  byId('k-cancel').hidden = !k;
  byId('k-origins').removeAttribute('aria-invalid');
}

/** Loads the keys with their snippets. */
export async function loadKeys(): Promise<void> {
  const { siteKeys } = await listSiteKeys();
  const box = byId('keys');
  box.textContent = '';
  for (const k of siteKeys) {
    const { script, iframe } = snippets(k);
    const copyButton = (text: string) => {
      const b = el('button', { type: 'button', class: 'ghost' }, t().copy);
      b.onclick = async () => {
        try {
          await navigator.clipboard.writeText(text);
        } catch {}
        status(t().copied);
      };
      return b;
    };
    const edit = el('button', { type: 'button', class: 'ghost' }, t().edit);
    edit.onclick = () => {
      fillForm(k);
      byId('k-title').focus();
    };
    const del = el('button', { type: 'button', class: 'ghost danger' }, t().del);
    del.onclick = async () => {
      if (!confirm(fill(t().confirmDeleteKey, { t: k.title }))) return;
      try {
        await deleteSiteKey(k.key);
        await loadKeys();
      } catch (e) {
        fail(e);
      }
    };
    const dl = (label: string, value: Node | string) => [el('dt', {}, label), el('dd', {}, value)];
    box.append(
      el(
        'article',
        { class: 'card key' },
        el('div', { class: 'row spread' }, el('h2', {}, k.title), el('div', { class: 'row' }, edit, del)),
        el('code', { class: 'small' }, k.key),
        el(
          'dl',
          {},
          ...dl(t().originsShort, k.allowedOrigins.join(', ') || '—'),
          ...dl(t().collections, k.collections.join(', ') || t().allCollections),
          ...dl(t().starters, k.starterQuestions.join(' · ') || '—'),
          ...dl(t().welcome, k.welcomeText || '—'),
          ...dl(t().color, k.color ? el('span', {}, el('span', { class: 'swatch', 'data-color': k.color }), ` ${k.color}`) : '—'),
          ...dl(t().language, k.lang),
        ),
        el('p', { class: 'strong' }, t().snippetScript),
        el('pre', {}, script),
        copyButton(script),
        el('p', { class: 'strong' }, t().snippetIframe),
        el('pre', {}, iframe),
        copyButton(iframe),
      ),
    );
  }
  box.querySelectorAll<HTMLElement>('.swatch').forEach((s) => s.style.setProperty('background', s.dataset.color!));
}

type AddressProblem = 'no_scheme' | 'wildcard' | 'credentials' | 'invalid';
const problemText: Record<AddressProblem, 'originNoScheme' | 'originWildcard' | 'originCredentials' | 'originInvalid'> = {
  no_scheme: 'originNoScheme',
  wildcard: 'originWildcard',
  credentials: 'originCredentials',
  invalid: 'originInvalid',
};
const isProblem = (p: unknown): p is AddressProblem => typeof p === 'string' && p in problemText;

/**
 * The origin of a pasted page address, as the server keeps it (src/store/site-key-store.ts
 * `originOfAddress`, which decides): teachers copy the course page's address from the address bar.
 */
function originOf(address: string): { origin: string } | { problem: AddressProblem } {
  if (address.includes('*')) return { problem: 'wildcard' };
  if (!/^[a-z][a-z0-9+.-]*:/i.test(address)) return { problem: 'no_scheme' };
  try {
    const url = new URL(address);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) return { problem: 'invalid' };
    if (url.username || url.password) return { problem: 'credentials' };
    return { origin: url.origin };
  } catch {
    return { problem: 'invalid' };
  }
}
const originsBox = () => byId<HTMLTextAreaElement>('k-origins');
function originError(n: number, address: string, problem: AddressProblem) {
  const box = originsBox();
  box.setAttribute('aria-invalid', 'true');
  box.setAttribute('aria-describedby', 'status');
  status(fill(t()[problemText[problem]], { n, a: address }), true);
  box.focus();
}

/** Wires the key form. */
export function initKeysTab(): void {
  byId<HTMLFormElement>('key-form').onsubmit = async (e) => {
    e.preventDefault();
    const addresses = lines(originsBox().value);
    const origins: string[] = [];
    for (const [i, address] of addresses.entries()) {
      const result = originOf(address);
      if ('problem' in result) return originError(i + 1, address, result.problem);
      if (!origins.includes(result.origin)) origins.push(result.origin);
    }
    originsBox().removeAttribute('aria-invalid');
    const shortened = addresses.some((a) => !origins.includes(a.replace(/\/$/, '')));
    const body = {
      title: byId<HTMLInputElement>('k-title').value.trim(),
      allowedOrigins: origins,
      collections: byId<HTMLInputElement>('k-collections')
        .value.split(',')
        .map((x) => x.trim())
        .filter(Boolean),
      starterQuestions: lines(byId<HTMLTextAreaElement>('k-starters').value),
      welcomeText: byId<HTMLTextAreaElement>('k-welcome').value.trim(),
      color: byId<HTMLInputElement>('k-color-on').checked ? byId<HTMLInputElement>('k-color').value : null,
      lang: byId<HTMLSelectElement>('k-lang').value === 'en' ? ('en' as const) : ('vi' as const),
      rateLimitPerMinute: Number(byId<HTMLInputElement>('k-rate').value) || 30,
    };
    try {
      if (editing) await updateSiteKey(editing.key, body);
      else await createSiteKey(body);
      fillForm(null);
      status(shortened ? `${t().saved} ${fill(t().originsKept, { o: origins.join(', ') })}` : t().saved);
      await loadKeys();
    } catch (error) {
      // The server's check decides; its problem codes get this page's wording.
      const err = error instanceof ApiError ? error.error : undefined;
      const at = /^allowedOrigins\.(\d+)$/.exec(err?.field ?? '');
      if (at && isProblem(err?.problem)) originError(Number(at[1]) + 1, origins[Number(at[1])] ?? '', err.problem);
      else fail(error);
    }
  };
  byId('k-cancel').onclick = () => fillForm(null);
}
