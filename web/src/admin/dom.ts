/** DOM helpers of the admin page: elements made with properties and text, never HTML strings. */
export const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

/**
 * An element with `props` (`class`, `on…` handlers, DOM properties, else attributes) and
 * `children`. `list` stays an attribute: an input's `list` property is read-only.
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Record<string, unknown> = {},
  ...children: Array<Node | string | null | undefined | false>
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  const fields = e as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = String(v);
    else if (k.startsWith('on')) fields[k] = v;
    else if (k in e && typeof fields[k] !== 'function' && k !== 'list') fields[k] = v;
    else e.setAttribute(k, String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(c);
  return e;
}

export const fill = (s: string, v: Record<string, string | number>) => s.replace(/\{(\w+)\}/g, (_m, k: string) => String(v[k] ?? ''));

export const currentLang = (): 'vi' | 'en' => (document.documentElement.lang === 'en' ? 'en' : 'vi');

/** Saves a downloaded file (a CSV, an export) under `name`. */
export function saveFile(blob: Blob, name: string): void {
  const a = el('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  setTimeout(() => {
    URL.revokeObjectURL(a.href);
    a.remove();
  }, 1000);
}
