import { afterEach, describe, expect, it } from 'vitest';
import { AuthService } from '../../../src/auth/index.js';
import { accountStores, defaultCenterId, type AccountStores, type Store, type TrogiangStore } from '../../../src/store/index.js';
import { adapters, type Adapter } from './store-adapters.js';

const list = await adapters('acct');

/** A clock the test moves by hand. */
function testClock(start = '2026-12-01T08:00:00.000Z') {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    advance(ms: number) {
      t += ms;
    },
  };
}

const minute = 60_000;
const cheap = { N: 1024, r: 8, p: 1 };

describe.each(list.map((a) => [a.name, a] as const))('the account repositories on %s', (_name, adapter: Adapter) => {
  afterEach(async () => {
    await adapter.cleanup();
  });

  async function open(clock = testClock()): Promise<{ store: Store; accounts: AccountStores }> {
    const store = await adapter.open();
    return { store, accounts: accountStores((store as TrogiangStore).sql, clock.now) };
  }

  async function teacher(accounts: AccountStores, username: string, centerId = defaultCenterId) {
    const user = await accounts.users.create({ centerId, username, passwordHash: `hash-of-${username}`, role: 'teacher' });
    expect(user, username).toBeDefined();
    return user!;
  }

  it('starts with the default center and names new ones after their name, numbered when the slug is taken', async () => {
    const { accounts } = await open();
    expect((await accounts.centers.list()).map((c) => c.id)).toEqual([defaultCenterId]);
    expect((await accounts.centers.create('Trung tâm GDTX Đống Đa')).id).toBe('trung-tam-gdtx-dong-da');
    expect((await accounts.centers.create('Trung tâm GDTX Đống Đa')).id).toBe('trung-tam-gdtx-dong-da-2');
    expect((await accounts.centers.create('TRUNG TÂM gdtx đống đa!')).id).toBe('trung-tam-gdtx-dong-da-3');
    expect((await accounts.centers.create('!!!')).id).toBe('trung-tam');
    const created = await accounts.centers.get('trung-tam-gdtx-dong-da-2');
    expect(created).toMatchObject({ name: 'Trung tâm GDTX Đống Đa', status: 'active', createdAt: '2026-12-01T08:00:00.000Z' });
    expect(await accounts.centers.get('khong-co')).toBeUndefined();
  });

  it('suspends, resumes and renames a center; an unknown center is undefined and nothing changes', async () => {
    const { accounts } = await open();
    const center = await accounts.centers.create('Quận 5');
    expect(await accounts.centers.update(center.id, { status: 'suspended' })).toMatchObject({ name: 'Quận 5', status: 'suspended' });
    expect((await accounts.centers.get(center.id))?.status).toBe('suspended');
    expect(await accounts.centers.update(center.id, { name: 'Quận Năm', status: 'active' })).toMatchObject({
      name: 'Quận Năm',
      status: 'active',
    });
    expect(await accounts.centers.update('khong-co', { status: 'suspended' })).toBeUndefined();
    // Oldest first: the test's clock is older than the default center's real creation time.
    const later = await accounts.centers.create('Quận 6');
    expect((await accounts.centers.list()).map((c) => c.id)).toEqual([center.id, later.id, defaultCenterId]);
  });

  it('keeps usernames unique across every center: a taken one is undefined, the first account untouched', async () => {
    const { accounts } = await open();
    const other = await accounts.centers.create('Quận 1');
    const lan = await teacher(accounts, 'lan.nguyen');
    expect(
      await accounts.users.create({ centerId: other.id, username: 'lan.nguyen', passwordHash: 'x', role: 'center_admin' }),
    ).toBeUndefined();
    expect(await accounts.users.findForLogin('lan.nguyen')).toEqual({ user: lan, passwordHash: 'hash-of-lan.nguyen' });
    expect(await accounts.users.count()).toBe(1);
    // In a transaction the refusal does not spoil it: what follows still commits.
    await accounts.transaction(async (tx) => {
      expect(await tx.users.create({ centerId: other.id, username: 'lan.nguyen', passwordHash: 'x', role: 'teacher' })).toBeUndefined();
      await teacher(tx, 'mai.tran', other.id);
    });
    expect((await accounts.users.listOfCenter(other.id)).map((u) => u.username)).toEqual(['mai.tran']);
  });

  it('lists a center’s accounts in byte order of username, operators apart, and updates role, collections and lock', async () => {
    const { accounts } = await open();
    for (const name of ['ab.c', 'a-b', 'a_b', 'ab', 'a.b']) await teacher(accounts, name);
    await accounts.users.create({ centerId: null, username: 'van.hanh', passwordHash: 'h', role: 'operator' });
    expect((await accounts.users.listOfCenter(defaultCenterId)).map((u) => u.username)).toEqual(['a-b', 'a.b', 'a_b', 'ab', 'ab.c']);
    expect((await accounts.users.listOfCenter(null)).map((u) => u.username)).toEqual(['van.hanh']);
    const ab = (await accounts.users.findForLogin('ab'))!.user;
    const changed = await accounts.users.update(ab.id, { role: 'center_admin', collections: ['toan', 'van'], disabled: true });
    expect(changed).toMatchObject({ role: 'center_admin', collections: ['toan', 'van'], disabled: true });
    expect(await accounts.users.update(ab.id, { collections: null, disabled: false })).toMatchObject({
      collections: null,
      disabled: false,
    });
    expect(await accounts.users.setPasswordHash(ab.id, 'new-hash')).toBe(true);
    expect(await accounts.users.passwordHashOf(ab.id)).toBe('new-hash');
    expect(await accounts.users.update('khong-co', { disabled: true })).toBeUndefined();
    expect(await accounts.users.setPasswordHash('khong-co', 'x')).toBe(false);
  });

  it('finds a session with its account and center, touches it, and forgets it when expired, idle, revoked or its account is deleted', async () => {
    const clock = testClock();
    const { accounts } = await open(clock);
    const center = await accounts.centers.create('Quận 3');
    const user = await teacher(accounts, 'hoa.le', center.id);
    const inTwelveHours = new Date(clock.now().getTime() + 12 * 60 * minute);
    await accounts.sessions.create('h1', user.id, center.id, inTwelveHours);
    await accounts.sessions.create('h2', user.id, center.id, new Date(clock.now().getTime() + 30 * minute));
    expect(await accounts.sessions.find('h1')).toEqual({
      idHash: 'h1',
      userId: user.id,
      username: 'hoa.le',
      role: 'teacher',
      collections: null,
      userDisabled: false,
      centerId: center.id,
      centerStatus: 'active',
      createdAt: '2026-12-01T08:00:00.000Z',
      expiresAt: inTwelveHours.toISOString(),
      lastSeenAt: '2026-12-01T08:00:00.000Z',
    });
    await accounts.centers.update(center.id, { status: 'suspended' });
    await accounts.users.update(user.id, { disabled: true });
    expect(await accounts.sessions.find('h1')).toMatchObject({ centerStatus: 'suspended', userDisabled: true });
    expect(await accounts.sessions.countOfUser(user.id)).toBe(2);

    clock.advance(45 * minute);
    await accounts.sessions.touch('h1');
    expect((await accounts.sessions.find('h1'))?.lastSeenAt).toBe('2026-12-01T08:45:00.000Z');
    // h2 is past its absolute expiry; h1 was seen after the idle limit.
    expect(await accounts.sessions.deleteExpired(new Date(clock.now().getTime() - 2 * 60 * minute))).toBe(1);
    expect(await accounts.sessions.find('h2')).toBeUndefined();
    clock.advance(2 * 60 * minute);
    expect(await accounts.sessions.deleteExpired(new Date(clock.now().getTime() - 2 * 60 * minute))).toBe(1);
    expect(await accounts.sessions.find('h1')).toBeUndefined();

    await accounts.sessions.create('h3', user.id, center.id, inTwelveHours);
    await accounts.sessions.create('h4', user.id, center.id, inTwelveHours);
    expect(await accounts.sessions.delete('h3')).toBe(true);
    expect(await accounts.sessions.delete('h3')).toBe(false);
    await accounts.sessions.create('h5', user.id, center.id, inTwelveHours);
    expect(await accounts.sessions.deleteOfUser(user.id)).toBe(2);
    await accounts.sessions.create('h6', user.id, center.id, inTwelveHours);
    expect(await accounts.users.delete(user.id)).toBe(true);
    expect(await accounts.sessions.find('h6')).toBeUndefined();
  });

  it('uses a link once, only of its kind and before it expires; a rolled-back use leaves it usable', async () => {
    const clock = testClock();
    const { accounts } = await open(clock);
    const expiresAt = new Date(clock.now().getTime() + 60 * minute).toISOString();
    const invite = {
      kind: 'invite' as const,
      centerId: defaultCenterId,
      userId: null,
      role: 'teacher' as const,
      collections: ['toan'],
      createdBy: 'lan',
      expiresAt,
    };
    await accounts.links.create('t1', invite);
    expect(await accounts.links.consume('t1', 'reset')).toBeUndefined();
    await expect(
      accounts.transaction(async (tx) => {
        expect(await tx.links.consume('t1', 'invite')).toBeDefined();
        throw new Error('username taken');
      }),
    ).rejects.toThrow('username taken');
    expect(await accounts.links.consume('t1', 'invite')).toEqual({ ...invite, createdAt: '2026-12-01T08:00:00.000Z' });
    expect(await accounts.links.consume('t1', 'invite')).toBeUndefined();
    await accounts.links.create('t2', invite);
    clock.advance(61 * minute);
    expect(await accounts.links.consume('t2', 'invite')).toBeUndefined();
    expect(await accounts.links.deleteStale(clock.now())).toBe(2);
  });

  it('counts failed logins in a window from the first failure, every concurrent failure included', async () => {
    const clock = testClock();
    const { accounts } = await open(clock);
    const attempts = accounts.loginAttempts;
    const since = () => new Date(clock.now().getTime() - 15 * minute);
    await Promise.all(Array.from({ length: 7 }, () => attempts.fail('user:lan', clock.now(), since())));
    expect(await attempts.get('user:lan')).toEqual({ failures: 7, windowStart: '2026-12-01T08:00:00.000Z' });
    clock.advance(10 * minute);
    expect(await attempts.fail('user:lan', clock.now(), since())).toEqual({ failures: 8, windowStart: '2026-12-01T08:00:00.000Z' });
    // The window is over: a new one starts at this failure.
    clock.advance(6 * minute);
    expect(await attempts.fail('user:lan', clock.now(), since())).toEqual({ failures: 1, windowStart: '2026-12-01T08:16:00.000Z' });
    await attempts.undoOne('user:lan');
    await attempts.undoOne('user:lan');
    expect((await attempts.get('user:lan'))?.failures).toBe(0);
    await attempts.fail('ip:10.0.0.1', clock.now(), since());
    await attempts.clear('ip:10.0.0.1');
    expect(await attempts.get('ip:10.0.0.1')).toBeUndefined();
    clock.advance(16 * minute);
    expect(await attempts.deleteStale(since())).toBe(1);
  });

  it('appends audit entries and lists them newest first, filtered by center, action and dates, page by page', async () => {
    const clock = testClock('2026-12-01T23:59:00.000Z');
    const { accounts } = await open(clock);
    const entry = (centerId: string | null, action: string, target: string) => ({
      centerId,
      actorId: null,
      actor: 'ADMIN_TOKEN',
      action,
      target,
      details: { n: target },
      ip: '10.0.0.1',
    });
    const first = await accounts.audit.append(entry('a', 'document.add', '1'));
    expect(first).toMatchObject({ at: '2026-12-01T23:59:00.000Z', details: { n: '1' } });
    for (let i = 2; i <= 7; i++) {
      clock.advance(minute);
      await accounts.audit.append(entry(i % 2 ? 'a' : 'b', i % 3 ? 'document.add' : 'user.create', String(i)));
    }
    const ids = (await accounts.audit.list({ limit: 100 })).entries.map((e) => Number(e.target));
    expect(ids).toEqual([7, 6, 5, 4, 3, 2, 1]);
    const page1 = await accounts.audit.list({ centerId: 'a', limit: 2 });
    expect(page1.total).toBe(4);
    expect(page1.entries.map((e) => e.target)).toEqual(['7', '5']);
    const page2 = await accounts.audit.list({ centerId: 'a', limit: 2, before: page1.nextBefore! });
    expect(page2.entries.map((e) => e.target)).toEqual(['3', '1']);
    expect(page2.nextBefore).toBeNull();
    expect((await accounts.audit.list({ action: 'user.create', limit: 10 })).entries.map((e) => e.target)).toEqual(['6', '3']);
    // A bare day as `to` is the whole day; `from` a time.
    expect((await accounts.audit.list({ to: '2026-12-01', limit: 10 })).entries.map((e) => e.target)).toEqual(['1']);
    expect((await accounts.audit.list({ from: '2026-12-02T00:04:00.000Z', limit: 10 })).total).toBe(2);
    expect((await accounts.audit.list({ centerId: 'b', from: '2026-12-02', to: '2026-12-02', limit: 10 })).total).toBe(3);
  });

  it('locks a name after five failed logins on one replica, for every replica, and shares sessions between them', async () => {
    const clock = testClock();
    const { store } = await open(clock);
    const options = { scrypt: cheap, now: clock.now };
    const one = new AuthService(accountStores((store as TrogiangStore).sql, clock.now), options);
    const other = new AuthService(accountStores(((await adapter.reopen(store)) as TrogiangStore).sql, clock.now), options);
    await one.accounts.createUser({ actor: { kind: 'token' }, ip: null }, defaultCenterId, {
      username: 'lan.admin',
      password: 'mat-khau-rat-dai-1',
      role: 'center_admin',
    });
    const session = await one.login('lan.admin', 'mat-khau-rat-dai-1', '10.0.0.1');
    expect(await other.authenticate(session.sessionToken)).toMatchObject({ kind: 'user', username: 'lan.admin' });
    expect(await other.logout(session.sessionToken, '10.0.0.2')).toBe(true);
    expect(await one.authenticate(session.sessionToken)).toBeUndefined();

    for (let i = 0; i < 5; i++) {
      const auth = i % 2 ? one : other;
      await expect(auth.login('lan.admin', 'sai-mat-khau', `10.0.1.${i}`)).rejects.toMatchObject({ code: 'invalid_credentials' });
    }
    await expect(one.login('lan.admin', 'mat-khau-rat-dai-1', '10.0.2.1')).rejects.toMatchObject({ code: 'throttled' });
    await expect(other.login('lan.admin', 'mat-khau-rat-dai-1', '10.0.2.2')).rejects.toMatchObject({ code: 'throttled' });
    clock.advance(15 * minute + 1000);
    expect((await other.login('lan.admin', 'mat-khau-rat-dai-1', '10.0.2.3')).user.username).toBe('lan.admin');
    const actions = (await one.stores.audit.list({ limit: 20 })).entries.map((e) => e.action);
    expect(actions.filter((a) => a === 'auth.login_failed')).toHaveLength(5);
    expect(actions).toEqual(expect.arrayContaining(['user.create', 'auth.login', 'auth.logout']));
  });
});
