/**
 * The accounts tab (center admins and the operator): the center's accounts, a form to add one,
 * invitation links, reset links, lock and delete. The operator picks the center first, and
 * creates, suspends and resumes centers.
 */
import { accountStrings, type AccountStrings } from './account-i18n.js';
import { linkBox, me } from './account.js';
import {
  createCenter,
  createUser,
  deleteUser,
  invite,
  listCenters,
  listUsers,
  resetLink,
  setCenterStatus,
  setUserDisabled,
} from './api.js';
import { byId, currentLang, el, fill } from './dom.js';

const s = (): AccountStrings => accountStrings[currentLang()];
const roleName = (role: string) =>
  role === 'center_admin' ? s().roleCenterAdmin : role === 'teacher' ? s().roleTeacher : s().roleOperator;
const center = () => byId<HTMLSelectElement>('u-center').value;
const when = (iso: string) =>
  new Date(iso).toLocaleString(currentLang() === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'short', timeStyle: 'short' });
const collectionsOf = (text: string) =>
  text
    .split(/[,\s]+/)
    .map((c) => c.trim())
    .filter(Boolean);

async function loadCenters() {
  const select = byId<HTMLSelectElement>('u-center');
  const value = select.value || me?.user.centerId || '';
  const { centers } = await listCenters();
  select.textContent = '';
  select.append(...centers.map((c) => el('option', { value: c.id }, `${c.name} (${c.id})${c.status === 'suspended' ? ' ⏸' : ''}`)));
  if (centers.some((c) => c.id === value)) select.value = value;
  byId('u-center-row').hidden = centers.length < 2;
  // The operator's list of centers, with suspend / resume.
  const operator = me?.user.role === 'operator';
  byId('centers-card').hidden = !operator;
  if (!operator) return;
  byId('centers').replaceChildren(
    ...centers.map((c) =>
      el(
        'li',
        { class: 'row' },
        el('span', { class: 'grow' }, `${c.name} (${c.id})`),
        c.status === 'suspended' ? el('span', { class: 'badge bad' }, s().suspendedBadge) : null,
        el(
          'button',
          {
            type: 'button',
            class: 'ghost',
            onclick: async () => {
              const suspend = c.status !== 'suspended';
              if (suspend && !confirm(fill(s().confirmSuspend, { c: c.name }))) return;
              await setCenterStatus(c.id, suspend ? 'suspended' : 'active');
              await loadUsers();
            },
          },
          c.status === 'suspended' ? s().resume : s().suspend,
        ),
      ),
    ),
  );
}

/** Loads the accounts of the chosen center. */
export async function loadUsers(): Promise<void> {
  await loadCenters();
  byId('u-links').textContent = '';
  const { users } = await listUsers(center());
  const tbody = byId('users').querySelector('tbody')!;
  tbody.textContent = '';
  for (const u of users) {
    const act = (label: string, run: () => Promise<void>, cls = 'ghost') =>
      el(
        'button',
        { type: 'button', class: cls, onclick: () => void run().catch((e) => (byId('status').textContent = (e as Error).message)) },
        label,
      );
    tbody.append(
      el(
        'tr',
        {},
        el('td', {}, u.username, u.disabled ? el('span', { class: 'badge bad' }, ` ${s().disabled}`) : null),
        el('td', {}, roleName(u.role)),
        el('td', {}, u.collections ? u.collections.join(', ') : s().allCollections),
        el('td', { class: 'nowrap' }, when(u.createdAt)),
        el(
          'td',
          { class: 'actions' },
          act(s().resetLink, async () => {
            const r = await resetLink(center(), u.id);
            byId('u-links').replaceChildren(linkBox(fill(s().resetMade, { u: r.username, d: when(r.expiresAt) }), r.link));
          }),
          act(u.disabled ? s().enable : s().disable, async () => {
            await setUserDisabled(center(), u.id, !u.disabled);
            await loadUsers();
          }),
          act(
            s().remove,
            async () => {
              if (!confirm(fill(s().confirmRemove, { u: u.username }))) return;
              await deleteUser(center(), u.id);
              await loadUsers();
            },
            'ghost danger',
          ),
        ),
      ),
    );
  }
}

/** Wires the add-account form, the invitation button and the center picker. */
export function initUsersTab(fail: (e: unknown) => void): void {
  byId('u-center').onchange = () => void loadUsers().catch(fail);
  byId<HTMLFormElement>('c-form').onsubmit = async (e) => {
    e.preventDefault();
    try {
      const center = await createCenter(byId<HTMLInputElement>('c-name').value);
      byId<HTMLFormElement>('c-form').reset();
      byId<HTMLSelectElement>('u-center').value = '';
      await loadUsers();
      byId<HTMLSelectElement>('u-center').value = center.id;
      await loadUsers();
    } catch (error) {
      fail(error);
    }
  };
  byId<HTMLFormElement>('u-form').onsubmit = async (e) => {
    e.preventDefault();
    const role = byId<HTMLSelectElement>('u-role').value;
    const limit = collectionsOf(byId<HTMLInputElement>('u-collections').value);
    const username = byId<HTMLInputElement>('u-username').value;
    try {
      await createUser(center(), {
        username,
        password: byId<HTMLInputElement>('u-password').value,
        role,
        ...(role === 'teacher' && limit.length ? { collections: limit } : {}),
      });
      byId<HTMLFormElement>('u-form').reset();
      await loadUsers();
      byId('status').textContent = fill(s().userCreated, { u: username.trim().toLowerCase() });
    } catch (error) {
      fail(error);
    }
  };
  byId('u-invite').onclick = async () => {
    const role = byId<HTMLSelectElement>('u-role').value;
    const limit = collectionsOf(byId<HTMLInputElement>('u-collections').value);
    try {
      const r = await invite(center(), { role, ...(role === 'teacher' && limit.length ? { collections: limit } : {}) });
      byId('u-links').replaceChildren(linkBox(fill(s().inviteMade, { d: when(r.expiresAt) }), r.link));
    } catch (error) {
      fail(error);
    }
  };
}
