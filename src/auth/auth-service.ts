import type { AccountStores, CenterRecord, CenterStatus, Clock, UserRecord } from '../store/index.js';
import { actorName, canManageCenter, isOperator, type Actor } from './actor.js';
import { AuthError } from './auth-error.js';
import { defaultLoginThrottle, LoginThrottle, type LoginThrottleOptions } from './login-throttle.js';
import { defaultScryptParams, hashPassword, needsRehash, verifyPassword, type ScryptParams } from './password-hash.js';
import { hashSecret, newSecret } from './secret-token.js';

export interface AuthOptions {
  /** A session ends this long after login, however active (default 12 hours: a working day). */
  sessionTtlMs: number;
  /** …or after this long without a request (default 2 hours). */
  idleTimeoutMs: number;
  /** An invitation link works this long (default 7 days). */
  inviteTtlMs: number;
  /** A password reset link works this long (default 24 hours). */
  resetTtlMs: number;
  scrypt: ScryptParams;
  throttle: LoginThrottleOptions;
  /** Password hashes computed at once (32 MiB each at the default cost); more wait their turn. */
  maxConcurrentHashes: number;
  now: Clock;
}

export const defaultAuthOptions: Readonly<AuthOptions> = Object.freeze({
  sessionTtlMs: 12 * 3600_000,
  idleTimeoutMs: 2 * 3600_000,
  inviteTtlMs: 7 * 24 * 3600_000,
  resetTtlMs: 24 * 3600_000,
  scrypt: defaultScryptParams,
  throttle: defaultLoginThrottle,
  maxConcurrentHashes: 2,
  now: () => new Date(),
});

/** Where an action came from, for the audit log. */
export interface ActionSource {
  actor: Actor;
  ip: string | null;
}

export interface LoginResult {
  /** The session id for the cookie; only its hash is stored. */
  sessionToken: string;
  user: UserRecord;
  center: CenterRecord | null;
  expiresAt: Date;
}

const invalidCredentials = () =>
  new AuthError('invalid_credentials', 'wrong username or password', 'Sai tên đăng nhập hoặc mật khẩu.');
const forbidden = () => new AuthError('forbidden', 'your account may not do this', 'Tài khoản của bạn không được làm việc này.');
const userNotFound = () => new AuthError('user_not_found', 'no such account in this center', 'Không có tài khoản này trong trung tâm.');
const usernameTaken = () => new AuthError('username_taken', 'this username is taken', 'Tên đăng nhập này đã có người dùng.');
const linkInvalid = () =>
  new AuthError('link_invalid', 'this link is not valid: it was used already, has expired, or was mistyped', 'Liên kết không hợp lệ: đã được dùng, đã hết hạn hoặc bị chép sai.');

/** An account as the actor of what it does outside a session (logging in, accepting a link). */
const userActor = (user: UserRecord): Actor => ({
  kind: 'user', userId: user.id, username: user.username, role: user.role, centerId: user.centerId, collections: user.collections, sessionHash: '',
});

/**
 * Accounts, sessions and links over the account stores: logins (throttled, with the same answer
 * for an unknown name and a wrong password), sessions (rotated at login, expiring), password
 * changes, invitations and resets, centers, and the audit log of each change.
 */
export class AuthService {
  readonly options: AuthOptions;
  private readonly throttle: LoginThrottle;
  private dummyHash: Promise<string> | undefined;
  private hashing = 0;
  private readonly waiting: Array<() => void> = [];
  private lastSweep = 0;

  constructor(
    readonly stores: AccountStores,
    options: Partial<AuthOptions> = {},
  ) {
    this.options = { ...defaultAuthOptions, ...options };
    this.throttle = new LoginThrottle(stores.loginAttempts, this.options.now, this.options.throttle);
  }

  private now(): Date {
    return this.options.now();
  }

  /** Runs a password hash when a slot is free, so a burst of logins cannot take all the memory. */
  private async inHashSlot<T>(work: () => Promise<T>): Promise<T> {
    if (this.hashing >= this.options.maxConcurrentHashes) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.hashing++;
    try {
      return await work();
    } finally {
      this.hashing--;
      this.waiting.shift()?.();
    }
  }

  hash(password: string): Promise<string> {
    return this.inHashSlot(() => hashPassword(password, this.options.scrypt));
  }

  private verify(password: string, stored: string): Promise<boolean> {
    return this.inHashSlot(() => verifyPassword(password, stored));
  }

  /** Records an action in the audit log. */
  record(source: ActionSource, centerId: string | null, action: string, target: string | null, details: Record<string, unknown> = {}): void {
    this.stores.audit.append({
      centerId,
      actorId: source.actor.kind === 'user' ? source.actor.userId : null,
      actor: actorName(source.actor),
      action,
      target,
      details,
      ip: source.ip,
    });
  }

  private sweep(): void {
    const now = this.now();
    if (now.getTime() - this.lastSweep < 60_000) return;
    this.lastSweep = now.getTime();
    this.stores.sessions.deleteExpired(new Date(now.getTime() - this.options.idleTimeoutMs));
    this.stores.links.deleteStale(new Date(now.getTime() - 30 * 24 * 3600_000));
    this.throttle.sweep();
  }

  /**
   * Logs in. An unknown name, a wrong password and a disabled account all give the same
   * `invalid_credentials`, after a password hash of the same cost (a dummy one for an unknown
   * name). `throttled` before any check when the name or the address failed too often.
   * `previousSessionToken` (a cookie the browser already had) is ended: the new session always
   * has a new id.
   */
  async login(usernameInput: string, password: string, ip: string, previousSessionToken?: string): Promise<LoginResult> {
    const username = usernameInput.normalize('NFKC').trim().toLowerCase();
    const wait = this.throttle.retryAfter(username, ip);
    if (wait > 0) {
      throw new AuthError('throttled', `too many failed logins: try again in ${wait} s`, `Đăng nhập sai quá nhiều lần: hãy thử lại sau ${wait} giây.`, wait);
    }
    this.throttle.begin(username, ip);
    const found = this.stores.users.findForLogin(username);
    this.dummyHash ??= hashPassword(newSecret(), this.options.scrypt);
    const ok = await this.verify(password, found?.passwordHash ?? (await this.dummyHash));
    if (!found || !ok || found.user.disabled) {
      if (found) this.stores.audit.append({ centerId: found.user.centerId, actorId: found.user.id, actor: found.user.username, action: 'auth.login_failed', target: found.user.username, details: {}, ip });
      throw invalidCredentials();
    }
    const { user } = found;
    this.throttle.succeeded(username, ip);
    const center = user.centerId === null ? null : this.stores.centers.get(user.centerId) ?? null;
    if (center?.status === 'suspended') {
      throw new AuthError('center_suspended', 'this center is suspended: ask the operator of the service', 'Trung tâm này đang bị tạm ngừng: hãy liên hệ đơn vị vận hành.');
    }
    // A cost raised since this password was set: store it again at the new cost.
    if (needsRehash(found.passwordHash, this.options.scrypt)) this.stores.users.setPasswordHash(user.id, await this.hash(password));
    this.sweep();
    if (previousSessionToken) this.stores.sessions.delete(hashSecret(previousSessionToken));
    const sessionToken = newSecret();
    const expiresAt = new Date(this.now().getTime() + this.options.sessionTtlMs);
    this.stores.sessions.create(hashSecret(sessionToken), user.id, user.centerId, expiresAt);
    this.record({ actor: userActor(user), ip }, user.centerId, 'auth.login', user.username);
    return { sessionToken, user, center, expiresAt };
  }

  /**
   * The account behind a session cookie, or undefined when the session is unknown, expired
   * (absolute or idle), its account disabled or its center suspended. Records activity at most
   * once a minute (a write per request would be wasted).
   */
  authenticate(sessionToken: string): Actor | undefined {
    const idHash = hashSecret(sessionToken);
    const s = this.stores.sessions.find(idHash);
    if (!s) return undefined;
    const now = this.now().getTime();
    const expired = Date.parse(s.expiresAt) <= now || Date.parse(s.lastSeenAt) + this.options.idleTimeoutMs <= now;
    if (expired || s.userDisabled) {
      this.stores.sessions.delete(idHash);
      return undefined;
    }
    if (s.centerStatus === 'suspended') return undefined;
    if (now - Date.parse(s.lastSeenAt) >= 60_000) this.stores.sessions.touch(idHash);
    return { kind: 'user', userId: s.userId, username: s.username, role: s.role, centerId: s.centerId, collections: s.collections, sessionHash: idHash };
  }

  /** Ends a session (logout); true when there was one. */
  logout(sessionToken: string, ip: string | null): boolean {
    const actor = this.authenticate(sessionToken);
    const ended = this.stores.sessions.delete(hashSecret(sessionToken));
    if (actor?.kind === 'user') this.record({ actor, ip }, actor.centerId, 'auth.logout', actor.username);
    return ended;
  }

  /**
   * Changes the caller's password after checking the current one, ends every session of the
   * account (a stolen cookie stops working) and opens a new one for the caller.
   */
  async changePassword(source: ActionSource, currentPassword: string, newPassword: string): Promise<{ sessionToken: string; expiresAt: Date }> {
    const actor = source.actor;
    if (actor.kind !== 'user') throw forbidden();
    const stored = this.stores.users.passwordHashOf(actor.userId);
    if (!stored || !(await this.verify(currentPassword, stored))) {
      throw new AuthError('wrong_password', 'the current password is wrong', 'Mật khẩu hiện tại không đúng.');
    }
    const hash = await this.hash(newPassword);
    const sessionToken = newSecret();
    const expiresAt = new Date(this.now().getTime() + this.options.sessionTtlMs);
    this.stores.db.transaction(() => {
      this.stores.users.setPasswordHash(actor.userId, hash);
      this.stores.sessions.deleteOfUser(actor.userId);
      this.stores.sessions.create(hashSecret(sessionToken), actor.userId, actor.centerId, expiresAt);
      this.record(source, actor.centerId, 'user.password_change', actor.username);
    })();
    return { sessionToken, expiresAt };
  }

  // ---- centers ----

  private center(id: string): CenterRecord {
    const center = this.stores.centers.get(id);
    if (!center) throw new AuthError('center_not_found', 'no such center', 'Không có trung tâm này.');
    return center;
  }

  /** The centers an actor may see: all for the operator, its own for an account. */
  listCenters(actor: Actor): CenterRecord[] {
    if (isOperator(actor)) return this.stores.centers.list();
    return actor.kind === 'user' && actor.centerId ? [this.center(actor.centerId)] : [];
  }

  createCenter(source: ActionSource, name: string): CenterRecord {
    if (!isOperator(source.actor)) throw forbidden();
    return this.stores.db.transaction(() => {
      const center = this.stores.centers.create(name);
      this.record(source, center.id, 'center.create', center.id, { name });
      return center;
    })();
  }

  /** Renames, suspends or resumes a center (the operator only). A suspended center's sessions stop working at once. */
  updateCenter(source: ActionSource, id: string, patch: { name?: string; status?: CenterStatus }): CenterRecord {
    if (!isOperator(source.actor)) throw forbidden();
    this.center(id);
    return this.stores.db.transaction(() => {
      const center = this.stores.centers.update(id, patch)!;
      this.record(source, id, patch.status === 'suspended' ? 'center.suspend' : patch.status === 'active' ? 'center.resume' : 'center.update', id, patch);
      return center;
    })();
  }

  // ---- accounts ----

  private manageable(actor: Actor, centerId: string): CenterRecord {
    // Another center's admin gets "not found", not "forbidden": ids of other centers stay unconfirmed.
    if (!canManageCenter(actor, centerId)) {
      if (actor.kind === 'user' && actor.centerId === centerId) throw forbidden();
      throw new AuthError('center_not_found', 'no such center', 'Không có trung tâm này.');
    }
    return this.center(centerId);
  }

  listUsers(actor: Actor, centerId: string): UserRecord[] {
    this.manageable(actor, centerId);
    return this.stores.users.listOfCenter(centerId);
  }

  async createUser(
    source: ActionSource,
    centerId: string,
    input: { username: string; password: string; role: 'center_admin' | 'teacher'; collections?: string[] | null },
  ): Promise<UserRecord> {
    this.manageable(source.actor, centerId);
    const passwordHash = await this.hash(input.password);
    return this.stores.db.transaction(() => {
      const user = this.stores.users.create({ centerId, username: input.username, passwordHash, role: input.role, collections: input.role === 'teacher' ? input.collections ?? null : null });
      if (!user) throw usernameTaken();
      this.record(source, centerId, 'user.create', user.username, { role: user.role, collections: user.collections });
      return user;
    })();
  }

  /** An operator account (no center): the operator's work without sharing the ADMIN_TOKEN. The operator only. */
  async createOperator(source: ActionSource, input: { username: string; password: string }): Promise<UserRecord> {
    if (!isOperator(source.actor)) throw forbidden();
    const passwordHash = await this.hash(input.password);
    return this.stores.db.transaction(() => {
      const user = this.stores.users.create({ centerId: null, username: input.username, passwordHash, role: 'operator' });
      if (!user) throw usernameTaken();
      this.record(source, null, 'user.create', user.username, { role: 'operator' });
      return user;
    })();
  }

  private userOfCenter(centerId: string, userId: string): UserRecord {
    const user = this.stores.users.get(userId);
    if (!user || user.centerId !== centerId) throw userNotFound();
    return user;
  }

  updateUser(source: ActionSource, centerId: string, userId: string, patch: { role?: 'center_admin' | 'teacher'; collections?: string[] | null; disabled?: boolean }): UserRecord {
    this.manageable(source.actor, centerId);
    const before = this.userOfCenter(centerId, userId);
    return this.stores.db.transaction(() => {
      const user = this.stores.users.update(userId, patch)!;
      if (user.disabled) this.stores.sessions.deleteOfUser(userId);
      this.record(source, centerId, 'user.update', before.username, patch);
      return user;
    })();
  }

  deleteUser(source: ActionSource, centerId: string, userId: string): void {
    this.manageable(source.actor, centerId);
    const user = this.userOfCenter(centerId, userId);
    this.stores.db.transaction(() => {
      this.stores.users.delete(userId);
      this.record(source, centerId, 'user.delete', user.username);
    })();
  }

  /** An invitation link's token (shown once): whoever opens it chooses a username and password in `centerId`. */
  createInvitation(source: ActionSource, centerId: string, input: { role: 'center_admin' | 'teacher'; collections?: string[] | null }): { token: string; expiresAt: Date } {
    this.manageable(source.actor, centerId);
    const token = newSecret();
    const expiresAt = new Date(this.now().getTime() + this.options.inviteTtlMs);
    this.stores.db.transaction(() => {
      this.stores.links.create(hashSecret(token), {
        kind: 'invite', centerId, userId: null, role: input.role, collections: input.role === 'teacher' ? input.collections ?? null : null,
        createdBy: actorName(source.actor), expiresAt: expiresAt.toISOString(),
      });
      this.record(source, centerId, 'user.invite', null, { role: input.role, expiresAt: expiresAt.toISOString() });
    })();
    return { token, expiresAt };
  }

  /** Accepts an invitation: makes the account. `link_invalid` when used, expired or unknown; `username_taken` leaves it usable. */
  async acceptInvitation(token: string, username: string, password: string, ip: string | null): Promise<UserRecord> {
    const passwordHash = await this.hash(password);
    return this.stores.db.transaction(() => {
      const link = this.stores.links.consume(hashSecret(token), 'invite');
      if (!link) throw linkInvalid();
      const user = this.stores.users.create({ centerId: link.centerId, username, passwordHash, role: link.role!, collections: link.collections });
      if (!user) throw usernameTaken(); // rolls back: the link stays usable
      this.record({ actor: userActor(user), ip }, link.centerId, 'user.accept_invitation', user.username, { invitedBy: link.createdBy, role: user.role });
      return user;
    })();
  }

  /** A password reset link's token for one account of the center (shown once). */
  createResetLink(source: ActionSource, centerId: string, userId: string): { token: string; expiresAt: Date; username: string } {
    this.manageable(source.actor, centerId);
    const user = this.userOfCenter(centerId, userId);
    const token = newSecret();
    const expiresAt = new Date(this.now().getTime() + this.options.resetTtlMs);
    this.stores.db.transaction(() => {
      this.stores.links.create(hashSecret(token), { kind: 'reset', centerId, userId, role: null, collections: null, createdBy: actorName(source.actor), expiresAt: expiresAt.toISOString() });
      this.record(source, centerId, 'user.reset_link', user.username, { expiresAt: expiresAt.toISOString() });
    })();
    return { token, expiresAt, username: user.username };
  }

  /** Sets a new password through a reset link and ends the account's sessions. */
  async resetPassword(token: string, password: string, ip: string | null): Promise<UserRecord> {
    const passwordHash = await this.hash(password);
    return this.stores.db.transaction(() => {
      const link = this.stores.links.consume(hashSecret(token), 'reset');
      const user = link?.userId ? this.stores.users.get(link.userId) : undefined;
      if (!link || !user) throw linkInvalid();
      this.stores.users.setPasswordHash(user.id, passwordHash);
      this.stores.sessions.deleteOfUser(user.id);
      this.stores.loginAttempts.clear(`user:${user.username}`);
      this.record({ actor: userActor(user), ip }, link.centerId, 'user.password_reset', user.username, { linkBy: link.createdBy });
      return user;
    })();
  }
}
