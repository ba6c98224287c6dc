/** What every tab of the admin page shares: its strings in the page's language, the status line, dates. */
import { currentLang, fill } from './dom.js';
import { adminStrings, type AdminStrings } from './i18n.js';

/** The page's strings in its current language. */
export const pageStrings = (): AdminStrings => adminStrings[currentLang()];

/** Shows a confirmation (or, with `error`, a failure) in the status line. */
export function status(text: string, error = false): void {
  const s = document.getElementById('status')!;
  s.textContent = text;
  s.classList.toggle('error', error);
}

/** Shows a failed call's message in the status line. */
export const fail = (e: unknown): void => status(fill(pageStrings().error, { m: (e as Error).message }), true);

export function formatBytes(n: number): string {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export const formatDate = (iso: string) =>
  new Date(iso).toLocaleString(currentLang() === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'short', timeStyle: 'short' });
