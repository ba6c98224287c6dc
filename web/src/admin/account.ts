/**
 * Teacher accounts on the admin page: the sign-in form (the ADMIN_TOKEN form stays for the
 * operator), invitation and reset links (`/admin#invite=…`, `#reset=…`: in the fragment, so never
 * sent to a server), change password, sign out. The session lives in an HttpOnly cookie this
 * script cannot read; every request carries `X-Requested-With`, which the server requires of
 * cookie-authenticated changes (with its own Origin) against cross-site request forgery.
 */
import type { AuthResponse, Me } from '../../../src/contract/index.js';
import { errorOf } from '../error-body.js';
import { accountStrings, type AccountStrings } from './account-i18n.js';
import { byId, currentLang, el, fill } from './dom.js';

/** Who is signed in (by session or by token); null before sign-in. */
export let me: Me | null = null;
let bySession = false;

const s = (): AccountStrings => accountStrings[currentLang()];

/** Headers of every admin API call: the bearer token when one is used, and always X-Requested-With. */
export function accountHeaders(token: string): Record<string, string> {
  return { 'x-requested-with': 'XMLHttpRequest', ...(token ? { authorization: `Bearer ${token}` } : {}) };
}

/** The message shown after a 401: a wrong token, or a session that ended. */
export const unauthorizedMessage = (token: string, badToken: string): string => (token ? badToken : s().sessionEnded);

/** A POST to `/api/auth/*`: the status, and the body (typed as the call's success; check the status first). */
async function post<T>(path: string, body: unknown): Promise<{ status: number; body: T | null; raw: unknown }> {
  const r = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-requested-with': 'XMLHttpRequest' },
    body: JSON.stringify(body),
  });
  const raw: unknown = await r.json().catch(() => null);
  return { status: r.status, body: r.ok ? (raw as T) : null, raw };
}

/** The error of a failed call, in the page's language (the server sends both). */
const errorText = (body: unknown): string => {
  const error = errorOf(body);
  return (currentLang() === 'vi' ? error?.messageVi : error?.message) || error?.message || '?';
};

/** Is a session open (a cookie from an earlier visit)? Fills `me` when so. */
export async function resumeSession(): Promise<boolean> {
  const r = await fetch('/api/auth/me', { headers: { 'x-requested-with': 'XMLHttpRequest' } }).catch(() => null);
  if (!r || !r.ok) return false;
  me = (await r.json()) as Me;
  bySession = true;
  return true;
}

/** Ends the session, if one is open (the token mode has none). */
export async function signOut(): Promise<void> {
  if (!bySession) return;
  bySession = false;
  me = null;
  await fetch('/api/auth/logout', { method: 'POST', headers: { 'x-requested-with': 'XMLHttpRequest' } }).catch(() => undefined);
}

/**
 * After sign-in (either way): who is signed in in the header, the change-password button for
 * accounts, and the audit and accounts tabs for those who may use them.
 */
export async function showAccount(token: string): Promise<void> {
  if (token) {
    const r = await fetch('/api/auth/me', { headers: accountHeaders(token) }).catch(() => null);
    me = r && r.ok ? ((await r.json()) as Me) : null;
  }
  const role = me?.user.role;
  const who = byId('whoami');
  who.hidden = !me;
  who.textContent = me
    ? me.user.role === 'operator' && !bySession
      ? s().operator
      : `${me.user.username}${me.center ? ` · ${me.center.name}` : ''}`
    : '';
  byId('change-password').hidden = !bySession;
  const manager = role === 'operator' || role === 'center_admin';
  byId('tab-audit').hidden = !manager;
  byId('tab-users').hidden = !manager;
  // Registering an LMS is a center admin's work (the API refuses a teacher).
  byId('tab-lti').hidden = !manager;
}

/** Shows an invitation or reset card in place of the sign-in card (`link-mode` keeps the sign-in card hidden whatever else shows it). */
function showOnly(card: 'login' | 'invite-card' | 'reset-card') {
  document.body.classList.toggle('link-mode', card !== 'login');
  for (const id of ['login', 'invite-card', 'reset-card']) byId(id).hidden = id !== card;
}

/** Shows (or with '' hides) an error; `key` names its string, so switching language re-words it. */
function showError(id: string, text: string, key?: keyof AccountStrings) {
  const e = byId(id);
  e.textContent = text;
  e.hidden = !text;
  if (key) e.dataset.ta = key;
  else delete e.dataset.ta;
}

/** Sets the texts of the elements marked `data-ta` (the account strings). */
export function applyAccountStrings(): void {
  const strings = s() as unknown as Record<string, string>;
  document.querySelectorAll<HTMLElement>('[data-ta]').forEach((e) => (e.textContent = strings[e.dataset.ta!] ?? ''));
}

/** Wires the forms. `onSignedIn` opens the app (after a session login or an accepted invitation). */
export function initAccounts(onSignedIn: () => Promise<void>): void {
  const useToken = byId<HTMLButtonElement>('use-token');
  const setTokenMode = (on: boolean) => {
    byId('login-form').hidden = !on;
    byId('account-form').hidden = on;
    useToken.textContent = on ? s().useAccount : s().useToken;
    useToken.dataset.ta = on ? 'useAccount' : 'useToken';
    (on ? byId('token') : byId('username')).focus();
  };
  useToken.onclick = () => setTokenMode(byId('login-form').hidden);
  // Before the first account exists (a new install) the ADMIN_TOKEN is the only way in.
  void fetch('/api/auth/options')
    .then((r) => r.json())
    .then(
      (o: AuthResponse<'GET /options'>) => {
        if (!o.accounts && byId('login-form').hidden) setTokenMode(true);
      },
      () => undefined,
    );

  const signIn = async (username: string, password: string): Promise<boolean> => {
    const r = await post<AuthResponse<'POST /login'>>('/api/auth/login', { username, password });
    if (r.status === 200 && r.body) {
      me = { user: r.body.user, center: r.body.center };
      bySession = true;
      return true;
    }
    const error = errorOf(r.raw);
    const reason = error?.reason;
    if (reason === 'invalid_credentials') showError('account-error', s().badLogin, 'badLogin');
    else if (reason === 'center_suspended') showError('account-error', s().suspended, 'suspended');
    else if (reason === 'throttled') showError('account-error', fill(s().throttled, { s: error?.retryAfterSeconds ?? '' }));
    else showError('account-error', errorText(r.raw));
    return false;
  };

  byId<HTMLFormElement>('account-form').onsubmit = async (e) => {
    e.preventDefault();
    const password = byId<HTMLInputElement>('password');
    showError('account-error', '');
    if (await signIn(byId<HTMLInputElement>('username').value, password.value)) {
      password.value = '';
      await onSignedIn();
    } else {
      password.select();
    }
  };

  // Links handed over by a center admin.
  const hash = new URLSearchParams(location.hash.slice(1));
  const clearHash = () => history.replaceState(null, '', location.pathname + location.search);
  const invite = hash.get('invite');
  const reset = hash.get('reset');
  if (invite) showOnly('invite-card');
  if (reset) showOnly('reset-card');
  byId<HTMLFormElement>('invite-form').onsubmit = async (e) => {
    e.preventDefault();
    const username = byId<HTMLInputElement>('invite-username').value;
    const password = byId<HTMLInputElement>('invite-password').value;
    if (password !== byId<HTMLInputElement>('invite-confirm').value) return showError('invite-error', s().mismatch);
    const r = await post<AuthResponse<'POST /invitations/accept'>>('/api/auth/invitations/accept', { token: invite, username, password });
    if (r.status !== 201) return showError('invite-error', errorText(r.raw));
    clearHash();
    showOnly('login');
    if (await signIn(username, password)) await onSignedIn();
  };
  byId<HTMLFormElement>('reset-form').onsubmit = async (e) => {
    e.preventDefault();
    const password = byId<HTMLInputElement>('reset-password').value;
    if (password !== byId<HTMLInputElement>('reset-confirm').value) return showError('reset-error', s().mismatch);
    const r = await post<AuthResponse<'POST /password-reset'>>('/api/auth/password-reset', { token: reset, password });
    if (r.status !== 200 || !r.body) return showError('reset-error', errorText(r.raw));
    clearHash();
    showOnly('login');
    byId<HTMLInputElement>('username').value = r.body.user.username;
    showError('account-error', '');
    byId('account-note').textContent = s().resetDone;
    byId('password').focus();
  };

  // Change password (signed in with a session).
  const card = byId('password-card');
  byId('change-password').onclick = () => {
    card.hidden = false;
    byId('pw-current').focus();
  };
  byId('pw-cancel').onclick = () => {
    card.hidden = true;
    byId<HTMLFormElement>('password-form').reset();
    showError('pw-error', '');
  };
  byId<HTMLFormElement>('password-form').onsubmit = async (e) => {
    e.preventDefault();
    const newPassword = byId<HTMLInputElement>('pw-new').value;
    if (newPassword !== byId<HTMLInputElement>('pw-confirm').value) return showError('pw-error', s().mismatch);
    const r = await post<AuthResponse<'POST /password'>>('/api/auth/password', {
      currentPassword: byId<HTMLInputElement>('pw-current').value,
      newPassword,
    });
    if (r.status !== 200) return showError('pw-error', errorText(r.raw));
    byId<HTMLFormElement>('password-form').reset();
    showError('pw-error', '');
    card.hidden = true;
    byId('status').textContent = s().passwordChanged;
  };
}

/** A link shown once with a copy button (invitations, resets). */
export function linkBox(caption: string, link: string): HTMLElement {
  const input = el('input', { value: link, readOnly: true, class: 'grow', 'aria-label': caption });
  return el(
    'div',
    { class: 'card link-box' },
    el('p', {}, caption),
    el(
      'div',
      { class: 'row' },
      input,
      el(
        'button',
        {
          type: 'button',
          class: 'ghost',
          onclick: () => {
            input.select();
            void navigator.clipboard?.writeText(link);
          },
        },
        s().copy,
      ),
    ),
  );
}
