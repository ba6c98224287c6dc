import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAccountsService, sessionCookie, sqliteOf, type AccountsService } from './accounts-service.js';

/**
 * Teacher accounts through real HTTP on loopback, a real SQLite file and a clock the test moves.
 * Password hashes use a low scrypt cost here for speed (the default cost is pinned in
 * password-hash.test.ts and default-cost.test.ts); everything else is as in production.
 */
let svc: AccountsService;
let clock = Date.parse('2026-12-07T08:00:00.000Z');
const hour = 3600_000;
let ipCounter = 0;
/** A fresh client address per use (TRUST_PROXY is on), so one test's failures do not throttle another. */
const newIp = () => `203.0.113.${++ipCounter}`;

beforeAll(async () => {
  svc = await startAccountsService(
    { now: () => new Date(clock), scrypt: { N: 1024, r: 8, p: 1 }, throttle: { windowMs: 15 * 60_000, maxPerAccount: 3, maxPerIp: 6 } },
    { TRUST_PROXY: 'true' },
  );
});
afterAll(() => svc.close());

const password = 'mat-khau-rat-dai-1';

function login(username: string, pass: string, extra: Record<string, string> = {}): Promise<Response> {
  return fetch(`${svc.baseURL}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': newIp(), ...extra },
    body: JSON.stringify({ username, password: pass }),
  });
}

/** Logs in and returns the cookie (`trogiang_session=…`). */
async function loginCookie(username: string, pass = password): Promise<string> {
  const res = await login(username, pass);
  expect(res.status, await res.clone().text()).toBe(200);
  return sessionCookie(res)!;
}

/** A request as the admin page sends it: the cookie, its own Origin, X-Requested-With. */
function asPage(cookie: string, path: string, method = 'GET', body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${svc.baseURL}${path}`, {
    method,
    headers: {
      cookie,
      origin: svc.baseURL,
      'x-requested-with': 'XMLHttpRequest',
      'x-forwarded-for': newIp(),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function createUser(center: string, username: string, role: 'center_admin' | 'teacher', collections?: string[]) {
  const res = await svc.operator(`/api/admin/centers/${center}/users`, 'POST', {
    username,
    password,
    role,
    ...(collections ? { collections } : {}),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()).user as { id: string; username: string };
}

const collectionIds = async () => (await svc.deps.engine.store.collections.listCollections()).map((c) => c.id);

describe('accounts over HTTP', () => {
  beforeAll(async () => {
    await createUser('default', 'lan.admin', 'center_admin');
    await createUser('default', 'minh.gv', 'teacher', ['tin-hoc']);
  });

  it('logs in with a session cookie: HttpOnly, SameSite=Strict, expiring; the cookie opens the admin API', async () => {
    const res = await login('Lan.Admin', password);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.user).toMatchObject({ username: 'lan.admin', role: 'center_admin', centerId: 'default' });
    expect(body.user.passwordHash).toBeUndefined();
    const set = res.headers.getSetCookie().find((c) => c.startsWith('trogiang_session='))!;
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Strict/);
    expect(set).toMatch(/Max-Age=43200/);
    expect(set).not.toMatch(/Secure/); // plain HTTP on loopback
    const cookie = sessionCookie(res)!;
    expect(cookie.split('=')[1]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Only the id's hash is stored.
    const stored = sqliteOf(svc).prepare('SELECT id_hash FROM sessions').all() as Array<{ id_hash: string }>;
    expect(stored.some((s) => s.id_hash === cookie.split('=')[1])).toBe(false);
    expect((await asPage(cookie, '/api/admin/documents')).status).toBe(200);
    expect((await (await asPage(cookie, '/api/auth/me')).json()).user.username).toBe('lan.admin');
  });

  it('marks the cookie Secure and __Host- when the request came over HTTPS through the trusted proxy', async () => {
    const res = await login('lan.admin', password, { 'x-forwarded-proto': 'https' });
    const set = res.headers.getSetCookie()[0]!;
    expect(set).toMatch(/^__Host-trogiang_session=/);
    expect(set).toMatch(/Secure/);
    expect(set).toMatch(/Path=\//);
    const cookie = sessionCookie(res)!;
    expect(cookie).toMatch(/^__Host-trogiang_session=/);
    expect((await asPage(cookie, '/api/auth/me')).status).toBe(200);
  });

  it('refuses /me, /password and the account routes without a session or token (401)', async () => {
    expect((await fetch(`${svc.baseURL}/api/auth/me`)).status).toBe(401);
    expect(
      (await fetch(`${svc.baseURL}/api/auth/password`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }))
        .status,
    ).toBe(401);
    for (const path of ['/api/admin/centers', '/api/admin/centers/default/users', '/api/admin/audit', '/api/admin/audit.csv']) {
      expect((await fetch(`${svc.baseURL}${path}`)).status, path).toBe(401);
      expect(
        (await fetch(`${svc.baseURL}${path}`, { headers: { cookie: 'trogiang_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } }))
          .status,
        path,
      ).toBe(401);
    }
    expect(
      (
        await fetch(`${svc.baseURL}/api/admin/centers`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"name":"x"}',
        })
      ).status,
    ).toBe(401);
  });

  it('answers an unknown user and a wrong password with the same 401 body', async () => {
    const wrong = await login('lan.admin', 'not-the-password');
    const unknown = await login('khong.co.ai', 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const [a, b] = [await wrong.json(), await unknown.json()];
    expect(a).toEqual(b);
    expect(a.error.code).toBe('unauthorized');
    expect(a.error.messageVi).toBe('Sai tên đăng nhập hoặc mật khẩu.');
    expect(sessionCookie(wrong)).toBeUndefined();
  });

  describe('CSRF', () => {
    let cookie: string;
    beforeAll(async () => {
      cookie = await loginCookie('lan.admin');
    });
    const create = (id: string, headers: Record<string, string | undefined>) =>
      fetch(`${svc.baseURL}/api/admin/collections`, {
        method: 'POST',
        headers: Object.fromEntries(
          Object.entries({ cookie, 'content-type': 'application/json', ...headers }).filter(([, v]) => v !== undefined),
        ) as Record<string, string>,
        body: JSON.stringify({ id, name: id }),
      });

    it('refuses a cookie-authenticated change from another Origin with 403, and changes nothing', async () => {
      const res = await create('tu-trang-khac', { origin: 'https://evil.example', 'x-requested-with': 'XMLHttpRequest' });
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe('csrf_refused');
      expect(await collectionIds()).not.toContain('tu-trang-khac');
      // A deletion too: the collection made below by the page survives a cross-site DELETE.
      expect((await asPage(cookie, '/api/admin/collections', 'POST', { id: 'con-lai', name: 'Còn lại' })).status).toBe(201);
      const del = await asPage(cookie, '/api/admin/collections/con-lai', 'DELETE', undefined, { origin: 'http://127.0.0.1.evil.example' });
      expect(del.status).toBe(403);
      expect(await collectionIds()).toContain('con-lai');
    });

    it('refuses a same-origin change without X-Requested-With, and one with no Origin at all', async () => {
      const noHeader = await create('thieu-header', { origin: svc.baseURL });
      expect(noHeader.status).toBe(403);
      expect((await noHeader.json()).error.code).toBe('csrf_refused');
      const noOrigin = await create('thieu-origin', { 'x-requested-with': 'XMLHttpRequest' });
      expect(noOrigin.status).toBe(403);
      const nullOrigin = await create('origin-null', { origin: 'null', 'x-requested-with': 'XMLHttpRequest' });
      expect(nullOrigin.status).toBe(403);
      expect(await collectionIds()).not.toContain('thieu-header');
      expect(await collectionIds()).not.toContain('thieu-origin');
      expect(await collectionIds()).not.toContain('origin-null');
    });

    it('accepts the change from its own Origin with the header (and a Referer when Origin is absent)', async () => {
      expect((await create('cung-trang', { origin: svc.baseURL, 'x-requested-with': 'XMLHttpRequest' })).status).toBe(201);
      expect((await create('theo-referer', { referer: `${svc.baseURL}/admin`, 'x-requested-with': 'XMLHttpRequest' })).status).toBe(201);
      expect(await collectionIds()).toEqual(expect.arrayContaining(['cung-trang', 'theo-referer']));
    });

    it('behind the trusted HTTPS proxy, accepts the https Origin of the forwarded host and still refuses others', async () => {
      const host = new URL(svc.baseURL).host;
      const proxied = (id: string, origin: string) =>
        create(id, {
          origin,
          'x-requested-with': 'XMLHttpRequest',
          'x-forwarded-proto': 'https',
          'x-forwarded-host': 'trogiang.so-gd.example',
        });
      expect((await proxied('qua-proxy', 'https://trogiang.so-gd.example')).status).toBe(201);
      expect((await proxied('qua-proxy-2', `https://${host}.evil.example`)).status).toBe(403);
      expect((await proxied('qua-proxy-3', 'http://trogiang.so-gd.example')).status).toBe(403);
      expect(await collectionIds()).toContain('qua-proxy');
      expect(await collectionIds()).not.toContain('qua-proxy-2');
      expect(await collectionIds()).not.toContain('qua-proxy-3');
    });

    it('keeps the bearer token working from anywhere (a script), and reads with a cookie need no header', async () => {
      const res = await fetch(`${svc.baseURL}/api/admin/collections`, {
        method: 'POST',
        headers: { authorization: 'Bearer operator-token-0123456789', 'content-type': 'application/json', origin: 'https://evil.example' },
        body: JSON.stringify({ id: 'tu-script', name: 'Script' }),
      });
      expect(res.status).toBe(201);
      expect((await fetch(`${svc.baseURL}/api/admin/collections`, { headers: { cookie } })).status).toBe(200);
    });

    it('refuses a logout from another site (the session stays) and a login posted from another site', async () => {
      const res = await fetch(`${svc.baseURL}/api/auth/logout`, {
        method: 'POST',
        headers: { cookie, origin: 'https://evil.example', 'x-requested-with': 'x' },
      });
      expect(res.status).toBe(403);
      expect((await asPage(cookie, '/api/auth/me')).status).toBe(200);
      const cross = await login('lan.admin', password, { origin: 'https://evil.example' });
      expect(cross.status).toBe(403);
      expect(sessionCookie(cross)).toBeUndefined();
    });
  });

  it('rotates the session id at login: a cookie planted before is not the one after, and stops working', async () => {
    const planted = 'trogiang_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    const res = await login('lan.admin', password, { cookie: planted });
    const after = sessionCookie(res)!;
    expect(after).not.toBe(planted);
    expect((await asPage(planted, '/api/auth/me')).status).toBe(401);
    // An attacker's real session planted in the victim's browser: ended when the victim logs in.
    const attackers = await loginCookie('minh.gv');
    const victims = sessionCookie(await login('lan.admin', password, { cookie: attackers }))!;
    expect(victims).not.toBe(attackers);
    expect((await asPage(attackers, '/api/auth/me')).status).toBe(401);
    expect((await (await asPage(victims, '/api/auth/me')).json()).user.username).toBe('lan.admin');
  });

  it('ends a session at logout: the old cookie is refused everywhere after', async () => {
    const cookie = await loginCookie('lan.admin');
    const out = await asPage(cookie, '/api/auth/logout', 'POST');
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie().join()).toMatch(/trogiang_session=;.*Max-Age=0/);
    const me = await asPage(cookie, '/api/auth/me');
    expect(me.status).toBe(401);
    expect((await me.json()).error.reason).toBe('session_expired');
    expect((await asPage(cookie, '/api/admin/documents')).status).toBe(401);
  });

  it('expires a session 12 hours after login however active, and after 2 idle hours', async () => {
    const idle = await loginCookie('lan.admin');
    const active = await loginCookie('lan.admin');
    clock += 1.5 * hour;
    expect((await asPage(active, '/api/auth/me')).status).toBe(200);
    clock += 1 * hour; // idle is now 2.5 h idle; active 1 h since its last request
    expect((await asPage(idle, '/api/auth/me')).status).toBe(401);
    expect((await asPage(active, '/api/auth/me')).status).toBe(200);
    for (let h = 0; h < 9; h++) {
      clock += hour;
      expect((await asPage(active, '/api/auth/me')).status, `hour ${h}`).toBe(200);
    }
    clock += hour; // 12.5 h after login
    expect((await asPage(active, '/api/auth/me')).status).toBe(401);
  });

  describe('login throttling', () => {
    it('locks an account name after 3 failures with 429 and Retry-After, even for the right password, until the window ends', async () => {
      await createUser('default', 'bi.khoa', 'teacher');
      for (let i = 0; i < 3; i++) expect((await login('bi.khoa', `sai-${i}-mat-khau`)).status).toBe(401);
      const locked = await login('bi.khoa', password);
      expect(locked.status).toBe(429);
      const retry = Number(locked.headers.get('retry-after'));
      expect(retry).toBeGreaterThan(0);
      expect(retry).toBeLessThanOrEqual(15 * 60);
      const body = await locked.json();
      expect(body.error).toMatchObject({ code: 'rate_limited', reason: 'throttled', retryAfterSeconds: retry });
      expect(body.error.messageVi).toMatch(/thử lại sau \d+ giây/);
      // Unknown names lock the same way: the lock does not tell which names exist.
      for (let i = 0; i < 3; i++) expect((await login('khong.ton.tai', `sai-${i}-mat-khau`)).status).toBe(401);
      expect((await login('khong.ton.tai', 'sai-mat-khau')).status).toBe(429);
      clock += retry * 1000;
      expect((await login('bi.khoa', password)).status).toBe(200);
    });

    it('limits failures per address across names, leaving other addresses alone', async () => {
      const ip = newIp();
      for (let i = 0; i < 6; i++) expect((await login(`ten-${i}`, 'sai-mat-khau', { 'x-forwarded-for': ip })).status).toBe(401);
      const res = await login('lan.admin', password, { 'x-forwarded-for': ip });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await login('lan.admin', password)).status).toBe(200);
    });
  });

  describe('roles', () => {
    it('lets a teacher read and upload to its collections, but not create users, collections, site keys or read the audit log', async () => {
      const cookie = await loginCookie('minh.gv');
      expect((await asPage(cookie, '/api/admin/documents')).status).toBe(200);
      const user = await asPage(cookie, '/api/admin/centers/default/users', 'POST', { username: 'ke.moi', password, role: 'center_admin' });
      expect(user.status).toBe(403);
      expect(await svc.deps.auth!.stores.users.findForLogin('ke.moi')).toBeUndefined();
      expect((await asPage(cookie, '/api/admin/collections', 'POST', { id: 'gv-tao', name: 'x' })).status).toBe(403);
      expect((await asPage(cookie, '/api/admin/site-keys', 'POST', { title: 'x' })).status).toBe(403);
      // LMS registrations and the tool's keys are a center admin's too (docs/lti.md).
      const platform = {
        issuer: 'https://moodle.example',
        clientId: 'c1',
        deploymentIds: ['1'],
        authUrl: 'https://moodle.example/mod/lti/auth.php',
        tokenUrl: 'https://moodle.example/mod/lti/token.php',
        jwksUrl: 'https://moodle.example/mod/lti/certs.php',
      };
      expect((await asPage(cookie, '/api/admin/lti/platforms', 'POST', platform)).status).toBe(403);
      expect((await asPage(cookie, '/api/admin/lti/keys/rotate', 'POST')).status).toBe(403);
      // Spelt so the router still matches it: the policy sees the same decoded path.
      expect((await asPage(cookie, '/api/admin/site%2Dkeys', 'POST', { title: 'x' })).status).toBe(403);
      expect((await asPage(cookie, '/api/admin/x/../collections', 'POST', { id: 'gv-tao', name: 'x' })).status).toBe(403);
      expect(await svc.deps.engine.store.siteKeys.list()).toEqual([]);
      expect((await asPage(cookie, '/api/admin/audit')).status).toBe(403);
      expect((await asPage(cookie, '/api/admin/centers', 'POST', { name: 'x' })).status).toBe(403);
      const upload = (collection: string) => {
        const form = new FormData();
        form.append('files', new Blob(['# Bài 1\n\nHàm SUM cộng các ô trong một vùng của bảng tính.']), 'bai-1.md');
        form.append('collection', collection);
        return fetch(`${svc.baseURL}/api/admin/documents`, {
          method: 'POST',
          body: form,
          headers: { cookie, origin: svc.baseURL, 'x-requested-with': 'XMLHttpRequest' },
        });
      };
      const other = await upload('toan');
      expect(other.status).toBe(403);
      expect((await other.json()).error.reason).toBe('collection');
      expect(await svc.deps.engine.store.listDocuments('toan')).toEqual([]);
      expect((await upload('tin-hoc')).status).toBe(200);
      expect((await svc.deps.engine.store.listDocuments('tin-hoc')).length).toBe(1);
      // A document of another collection, put there with the token: the teacher may not delete or re-index it.
      const form = new FormData();
      form.append('files', new Blob(['# Toán\n\nBài tập phân số.']), 'toan.md');
      form.append('collection', 'toan');
      const otherDoc = (
        await (
          await fetch(`${svc.baseURL}/api/admin/documents`, {
            method: 'POST',
            body: form,
            headers: { authorization: 'Bearer operator-token-0123456789' },
          })
        ).json()
      ).results[0].documentId;
      expect((await asPage(cookie, `/api/admin/documents/${otherDoc}`, 'DELETE')).status).toBe(403);
      expect((await asPage(cookie, `/api/admin/documents/${otherDoc}/reindex`, 'POST')).status).toBe(403);
      expect(await svc.deps.engine.store.getDocument(otherDoc)).toBeDefined();
      const own = (await svc.deps.engine.store.listDocuments('tin-hoc'))[0]!.id;
      expect((await asPage(cookie, `/api/admin/documents/${own}`, 'DELETE')).status).toBe(200);
    });

    it("keeps another center's admin out of this center's accounts (404) and shows it only its own center's documents", async () => {
      const created = await (await svc.operator('/api/admin/centers', 'POST', { name: 'Trung tâm Quận 3' })).json();
      expect(created.id).toBe('trung-tam-quan-3');
      await createUser(created.id, 'hoa.q3', 'center_admin');
      const cookie = await loginCookie('hoa.q3');
      expect((await asPage(cookie, '/api/admin/centers/default/users')).status).toBe(404);
      expect(
        (await asPage(cookie, '/api/admin/centers/default/users', 'POST', { username: 'lan.gia', password, role: 'teacher' })).status,
      ).toBe(404);
      const docs = await asPage(cookie, '/api/admin/documents');
      expect(docs.status).toBe(200);
      expect((await docs.json()).documents).toEqual([]);
      expect((await svc.deps.engine.store.listDocuments()).length).toBeGreaterThan(0);
      // Its own center: it creates a teacher there.
      expect(
        (await asPage(cookie, `/api/admin/centers/${created.id}/users`, 'POST', { username: 'gv.q3', password, role: 'teacher' })).status,
      ).toBe(201);
      expect((await (await asPage(cookie, '/api/admin/centers')).json()).centers.map((c: { id: string }) => c.id)).toEqual([created.id]);
      // Not on itself: the center would be left without an admin.
      const self = (await (await asPage(cookie, '/api/auth/me')).json()).user.id;
      expect((await asPage(cookie, `/api/admin/centers/${created.id}/users/${self}`, 'PATCH', { disabled: true })).status).toBe(403);
      expect((await asPage(cookie, `/api/admin/centers/${created.id}/users/${self}`, 'PATCH', { role: 'teacher' })).status).toBe(403);
      expect((await asPage(cookie, `/api/admin/centers/${created.id}/users/${self}`, 'DELETE')).status).toBe(403);
      expect((await asPage(cookie, '/api/auth/me')).status).toBe(200);
    });
  });

  it('locks an account: its sessions end, and its login answers exactly like a wrong password', async () => {
    const user = await createUser('default', 'se.bi.khoa', 'teacher');
    const cookie = await loginCookie('se.bi.khoa');
    expect((await svc.operator(`/api/admin/centers/default/users/${user.id}`, 'PATCH', { disabled: true })).status).toBe(200);
    expect((await asPage(cookie, '/api/auth/me')).status).toBe(401);
    const locked = await login('se.bi.khoa', password);
    expect(locked.status).toBe(401);
    expect(await locked.json()).toEqual(await (await login('se.bi.khoa', 'sai-mat-khau-nhe')).json());
    expect((await svc.operator(`/api/admin/centers/default/users/${user.id}`, 'PATCH', { disabled: false })).status).toBe(200);
    expect((await login('se.bi.khoa', password)).status).toBe(200);
  });

  it('suspends a center: its sessions stop at once, its users cannot log in; resumed, they can', async () => {
    const center = await (await svc.operator('/api/admin/centers', 'POST', { name: 'Trung tâm tạm ngừng' })).json();
    await createUser(center.id, 'an.tn', 'center_admin');
    const cookie = await loginCookie('an.tn');
    const own = await asPage(cookie, '/api/admin/centers/' + center.id, 'PATCH', { status: 'suspended' });
    expect(own.status).toBe(403); // only the operator suspends
    expect((await svc.operator(`/api/admin/centers/${center.id}`, 'PATCH', { status: 'suspended' })).status).toBe(200);
    expect((await asPage(cookie, '/api/auth/me')).status).toBe(401);
    const refused = await login('an.tn', password);
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.reason).toBe('center_suspended');
    expect(sessionCookie(refused)).toBeUndefined();
    expect((await svc.operator(`/api/admin/centers/${center.id}`, 'PATCH', { status: 'active' })).status).toBe(200);
    expect((await login('an.tn', password)).status).toBe(200);
    const list = (await (await svc.operator('/api/admin/centers')).json()).centers;
    expect(list.find((c: { id: string }) => c.id === 'default')).toMatchObject({ status: 'active' });
  });

  it('makes operator accounts (the operator only): they manage every center without the ADMIN_TOKEN', async () => {
    const teacher = await loginCookie('minh.gv');
    expect((await asPage(teacher, '/api/admin/operators', 'POST', { username: 'khong.duoc', password })).status).toBe(403);
    expect((await svc.operator('/api/admin/operators', 'POST', { username: 'so.gd', password })).status).toBe(201);
    const op = await loginCookie('so.gd');
    expect((await (await asPage(op, '/api/auth/me')).json()).user).toMatchObject({ role: 'operator', centerId: null });
    const made = await asPage(op, '/api/admin/centers', 'POST', { name: 'Trung tâm do Sở tạo' });
    expect(made.status).toBe(201);
    expect(
      (
        await asPage(op, `/api/admin/centers/${(await made.json()).id}/users`, 'POST', {
          username: 'gv.so',
          password,
          role: 'center_admin',
        })
      ).status,
    ).toBe(201);
  });

  it('changes a password: the old one and every other session stop working', async () => {
    await createUser('default', 'doi.mk', 'teacher');
    const first = await loginCookie('doi.mk');
    const second = await loginCookie('doi.mk');
    const wrong = await asPage(first, '/api/auth/password', 'POST', {
      currentPassword: 'khong-dung-dau',
      newPassword: 'mat-khau-moi-dai-2',
    });
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).error.field).toBe('currentPassword');
    const short = await asPage(first, '/api/auth/password', 'POST', { currentPassword: password, newPassword: 'ngan' });
    expect(short.status).toBe(400);
    expect((await short.json()).error.messageVi).toMatch(/ít nhất 10 ký tự/);
    const ok = await asPage(first, '/api/auth/password', 'POST', { currentPassword: password, newPassword: 'mat-khau-moi-dai-2' });
    expect(ok.status).toBe(200);
    const renewed = sessionCookie(ok)!;
    expect(renewed).not.toBe(first);
    expect((await asPage(first, '/api/auth/me')).status).toBe(401);
    expect((await asPage(second, '/api/auth/me')).status).toBe(401);
    expect((await asPage(renewed, '/api/auth/me')).status).toBe(200);
    expect((await login('doi.mk', password)).status).toBe(401);
    expect((await login('doi.mk', 'mat-khau-moi-dai-2')).status).toBe(200);
  });

  it('invitation links: single use, expiring, the link token only in the URL fragment', async () => {
    const admin = await loginCookie('lan.admin');
    const made = await asPage(admin, '/api/admin/centers/default/invitations', 'POST', { role: 'teacher', collections: ['tin-hoc'] });
    expect(made.status).toBe(201);
    const { link } = await made.json();
    expect(link).toMatch(new RegExp(`^${svc.baseURL}/admin#invite=[A-Za-z0-9_-]{43}$`));
    const token = link.split('#invite=')[1];
    const accept = (username: string) =>
      fetch(`${svc.baseURL}/api/auth/invitations/accept`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, username, password }),
      });
    expect((await accept('lan.admin')).status).toBe(409); // taken: the link stays usable
    const ok = await accept('moi.den');
    expect(ok.status).toBe(201);
    expect((await ok.json()).user).toMatchObject({ username: 'moi.den', role: 'teacher', centerId: 'default', collections: ['tin-hoc'] });
    const again = await accept('moi.den.2');
    expect(again.status).toBe(400);
    expect((await again.json()).error.reason).toBe('link_invalid');
    const late = (await (await asPage(admin, '/api/admin/centers/default/invitations', 'POST', { role: 'teacher' })).json()).link.split(
      '#invite=',
    )[1];
    clock += 8 * 24 * hour;
    const expired = await fetch(`${svc.baseURL}/api/auth/invitations/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: late, username: 'qua.han', password }),
    });
    expect(expired.status).toBe(400);
    expect(await svc.deps.auth!.stores.users.findForLogin('qua.han')).toBeUndefined();
  });

  it('password reset links: set a new password once, and end the sessions of the account', async () => {
    const teacher = await createUser('default', 'quen.mk', 'teacher');
    const session = await loginCookie('quen.mk');
    const admin = await loginCookie('lan.admin');
    const made = await asPage(admin, `/api/admin/centers/default/users/${teacher.id}/reset-link`, 'POST');
    expect(made.status).toBe(201);
    const token = (await made.json()).link.split('#reset=')[1];
    const reset = () =>
      fetch(`${svc.baseURL}/api/auth/password-reset`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, password: 'mat-khau-sau-reset' }),
      });
    expect((await reset()).status).toBe(200);
    expect((await reset()).status).toBe(400);
    expect((await asPage(session, '/api/auth/me')).status).toBe(401);
    expect((await login('quen.mk', 'mat-khau-sau-reset')).status).toBe(200);
  });

  describe('audit log', () => {
    it('records uploads, replacements, re-indexing, deletions, collection, site key, user and center changes and logins', async () => {
      const admin = await loginCookie('lan.admin');
      const upload = (text: string) => {
        const form = new FormData();
        form.append('files', new Blob([text]), 'nhat-ky.md');
        form.append('collection', 'nhat-ky');
        return fetch(`${svc.baseURL}/api/admin/documents`, {
          method: 'POST',
          body: form,
          headers: { cookie: admin, origin: svc.baseURL, 'x-requested-with': 'XMLHttpRequest' },
        });
      };
      const first = (await (await upload('# Nhật ký\n\nBản thứ nhất của tài liệu.')).json()).results[0];
      await upload('# Nhật ký\n\nBản thứ hai của tài liệu, đã sửa.');
      expect((await asPage(admin, `/api/admin/documents/${first.documentId}/reindex`, 'POST')).status).toBe(200);
      expect((await asPage(admin, `/api/admin/documents/${first.documentId}`, 'DELETE')).status).toBe(200);
      const key = (await (await asPage(admin, '/api/admin/site-keys', 'POST', { title: 'Lớp tối' })).json()).siteKey.key;
      await asPage(admin, `/api/admin/site-keys/${key}`, 'PATCH', { title: 'Lớp tối 2' });
      await asPage(admin, `/api/admin/site-keys/${key}`, 'DELETE');
      await asPage(admin, '/api/admin/collections/nhat-ky', 'PATCH', { name: 'Nhật ký' });
      await asPage(admin, '/api/admin/collections/nhat-ky', 'DELETE');
      await svc.operator('/api/admin/reindex', 'POST');

      const { entries } = await (await asPage(admin, '/api/admin/audit?limit=500')).json();
      const actions = entries.map((e: { action: string }) => e.action);
      for (const action of [
        'document.add',
        'document.replace',
        'document.reindex',
        'document.delete',
        'site_key.create',
        'site_key.update',
        'site_key.delete',
        'collection.create',
        'collection.rename',
        'collection.delete',
        'document.reindex_all',
        'user.create',
        'auth.login',
        'auth.login_failed',
        'auth.logout',
        'user.password_change',
        'user.invite',
        'user.accept_invitation',
        'user.reset_link',
        'user.password_reset',
      ]) {
        expect(actions, action).toContain(action);
      }
      const del = entries.find((e: { action: string }) => e.action === 'document.delete');
      expect(del).toMatchObject({
        actor: 'lan.admin',
        centerId: 'default',
        target: first.documentId,
        details: { fileName: 'nhat-ky.md', collection: 'nhat-ky' },
      });
      expect(entries.find((e: { action: string }) => e.action === 'document.reindex_all').actor).toBe('ADMIN_TOKEN');
      // Newest first; only this center's entries (the other centers' creation is the operator's view).
      expect(entries[0].id).toBeGreaterThan(entries[1].id);
      expect(entries.every((e: { centerId: string }) => e.centerId === 'default')).toBe(true);
      const all = (await (await svc.operator('/api/admin/audit?limit=500')).json()).entries;
      expect(all.map((e: { action: string }) => e.action)).toEqual(
        expect.arrayContaining(['center.create', 'center.suspend', 'center.resume']),
      );
    });

    it('pages newest first with a cursor', async () => {
      const admin = await loginCookie('lan.admin');
      const page1 = await (await asPage(admin, '/api/admin/audit?limit=5')).json();
      expect(page1.entries).toHaveLength(5);
      expect(page1.total).toBeGreaterThan(10);
      const page2 = await (await asPage(admin, `/api/admin/audit?limit=5&before=${page1.nextBefore}`)).json();
      expect(page2.entries[0].id).toBeLessThan(page1.entries[4].id);
      const logins = await (await asPage(admin, '/api/admin/audit?action=auth.login&limit=500')).json();
      expect(logins.entries.every((e: { action: string }) => e.action === 'auth.login')).toBe(true);
      expect(logins.total).toBe(logins.entries.length);
    });

    it('exports CSV with formula-looking cells escaped (an address a proxy forwarded as =HYPERLINK(…))', async () => {
      await login('lan.admin', 'sai-mat-khau-nhe', { 'x-forwarded-for': '=HYPERLINK("http://evil.example","x")' });
      const admin = await loginCookie('lan.admin');
      const res = await asPage(admin, '/api/admin/audit.csv');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="nhat-ky-\d{4}-\d{2}-\d{2}\.csv"/);
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM Excel needs for UTF-8
      const text = new TextDecoder().decode(bytes); // drops the BOM
      expect(text.startsWith('at,center,actor,action,target,details,ip\r\n')).toBe(true);
      const rows = text.split('\r\n');
      const injected = rows.find((r) => r.includes('HYPERLINK'))!;
      expect(injected).toContain(`"'=HYPERLINK(""http://evil.example""`);
      expect(rows.some((r) => /^\S+,default,lan\.admin,auth\.login,lan\.admin,\{\},/.test(r))).toBe(true);
      expect((await asPage(await loginCookie('minh.gv'), '/api/admin/audit.csv')).status).toBe(403);
    });
  });
});
