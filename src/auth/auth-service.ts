import type { AccountStores, CenterRecord, Clock, UserRecord } from '../store/index.js';
import { AccountAdmin } from './account-admin.js';
import { userActor, type Actor } from './actor.js';
import { auditEntryOf, type ActionSource } from './audit-entry-of.js';
import { AuthError, forbidden, invalidCredentials } from './auth-error.js';
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
  /** Hashes waiting for a slot; past this, 429 `throttled` at once (a flood of logins from many addresses). */
  maxQueuedHashes: number;
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
  maxQueuedHashes: 64,
  now: () => new Date(),
});

export interface LoginResult {
  /** The session id for the cookie; only its hash is stored. */
  sessionToken: string;
  user: UserRecord;
  center: CenterRecord | null;
  expiresAt: Date;
}

const busy = () =>
  new AuthError(
    'throttled',
    'the server is busy checking passwords: try again in a few seconds',
    'Máy chủ đang bận kiểm tra mật khẩu: hãy thử lại sau vài giây.',
    5,
  );

/**
 * Sign-in over the account stores: logins (throttled, with the same answer for an unknown name
 * and a wrong password), sessions (rotated at login, expiring), password changes, and the audit
 * log; `accounts` manages centers, accounts and links.
 */
export class AuthService {
  readonly options: AuthOptions;
  private readonly throttle: LoginThrottle;
  private dummyHash: Promise<string> | undefined;
  private hashing = 0;
  private readonly waiting: Array<() => void> = [];
  private lastSweep = 0;
  /** Centers, accounts and links. */
  readonly accounts: AccountAdmin;

  constructor(
    readonly stores: AccountStores,
    options: Partial<AuthOptions> = {},
  ) {
    this.options = { ...defaultAuthOptions, ...options };
    this.throttle = new LoginThrottle(stores.loginAttempts, this.options.now, this.options.throttle);
    this.accounts = new AccountAdmin({
      stores,
      hash: (password) => this.hash(password),
      now: this.options.now,
      inviteTtlMs: this.options.inviteTtlMs,
      resetTtlMs: this.options.resetTtlMs,
    });
  }

  private now(): Date {
    return this.options.now();
  }

  /** Runs a password hash when a slot is free, so a burst of logins cannot take all the memory. */
  private async inHashSlot<T>(work: () => Promise<T>): Promise<T> {
    if (this.hashing >= this.options.maxConcurrentHashes) {
      if (this.hashQueueFull()) throw busy();
      // The finishing hash hands its slot over: `hashing` already counts this one.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.hashing++;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.hashing--;
    }
  }

  private hashQueueFull(): boolean {
    return this.hashing >= this.options.maxConcurrentHashes && this.waiting.length >= this.options.maxQueuedHashes;
  }

  hash(password: string): Promise<string> {
    return this.inHashSlot(() => hashPassword(password, this.options.scrypt));
  }

  private verify(password: string, stored: string): Promise<boolean> {
    return this.inHashSlot(() => verifyPassword(password, stored));
  }

  /** Records an action in the audit log (outside a transaction; inside one, append `auditEntryOf` to its `tx.audit`). */
  async record(
    source: ActionSource,
    centerId: string | null,
    action: string,
    target: string | null,
    details: Record<string, unknown> = {},
  ): Promise<void> {
    await this.stores.audit.append(auditEntryOf(source, centerId, action, target, details));
  }

  private async sweep(): Promise<void> {
    const now = this.now();
    if (now.getTime() - this.lastSweep < 60_000) return;
    this.lastSweep = now.getTime();
    await this.stores.sessions.deleteExpired(new Date(now.getTime() - this.options.idleTimeoutMs));
    await this.stores.links.deleteStale(new Date(now.getTime() - 30 * 24 * 3600_000));
    await this.throttle.sweep();
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
    const wait = await this.throttle.retryAfter(username, ip);
    if (wait > 0) {
      throw new AuthError(
        'throttled',
        `too many failed logins: try again in ${wait} s`,
        `Đăng nhập sai quá nhiều lần: hãy thử lại sau ${wait} giây.`,
        wait,
      );
    }
    // Refused before counting: a busy server is no failed attempt of this name.
    if (this.hashQueueFull()) throw busy();
    await this.throttle.begin(username, ip);
    const found = await this.stores.users.findForLogin(username);
    this.dummyHash ??= hashPassword(newSecret(), this.options.scrypt);
    const ok = await this.verify(password, found?.passwordHash ?? (await this.dummyHash));
    if (!found || !ok || found.user.disabled) {
      if (found)
        await this.stores.audit.append({
          centerId: found.user.centerId,
          actorId: found.user.id,
          actor: found.user.username,
          action: 'auth.login_failed',
          target: found.user.username,
          details: {},
          ip,
        });
      throw invalidCredentials();
    }
    const { user } = found;
    await this.throttle.succeeded(username, ip);
    const center = user.centerId === null ? null : ((await this.stores.centers.get(user.centerId)) ?? null);
    if (center?.status === 'suspended') {
      throw new AuthError(
        'center_suspended',
        'this center is suspended: ask the operator of the service',
        'Trung tâm này đang bị tạm ngừng: hãy liên hệ đơn vị vận hành.',
      );
    }
    // A cost raised since this password was set: store it again at the new cost.
    if (needsRehash(found.passwordHash, this.options.scrypt)) await this.stores.users.setPasswordHash(user.id, await this.hash(password));
    await this.sweep();
    if (previousSessionToken) await this.stores.sessions.delete(hashSecret(previousSessionToken));
    const sessionToken = newSecret();
    const expiresAt = new Date(this.now().getTime() + this.options.sessionTtlMs);
    await this.stores.sessions.create(hashSecret(sessionToken), user.id, user.centerId, expiresAt);
    await this.record({ actor: userActor(user), ip }, user.centerId, 'auth.login', user.username);
    return { sessionToken, user, center, expiresAt };
  }

  /**
   * The account behind a session cookie, or undefined when the session is unknown, expired
   * (absolute or idle), its account disabled or its center suspended. Records activity at most
   * once a minute (a write per request would be wasted).
   */
  async authenticate(sessionToken: string): Promise<Actor | undefined> {
    const idHash = hashSecret(sessionToken);
    const s = await this.stores.sessions.find(idHash);
    if (!s) return undefined;
    const now = this.now().getTime();
    const expired = Date.parse(s.expiresAt) <= now || Date.parse(s.lastSeenAt) + this.options.idleTimeoutMs <= now;
    if (expired || s.userDisabled) {
      await this.stores.sessions.delete(idHash);
      return undefined;
    }
    if (s.centerStatus === 'suspended') return undefined;
    if (now - Date.parse(s.lastSeenAt) >= 60_000) await this.stores.sessions.touch(idHash);
    return {
      kind: 'user',
      userId: s.userId,
      username: s.username,
      role: s.role,
      centerId: s.centerId,
      collections: s.collections,
      sessionHash: idHash,
    };
  }

  /** Ends a session (logout); true when there was one. */
  async logout(sessionToken: string, ip: string | null): Promise<boolean> {
    const actor = await this.authenticate(sessionToken);
    const ended = await this.stores.sessions.delete(hashSecret(sessionToken));
    if (actor?.kind === 'user') await this.record({ actor, ip }, actor.centerId, 'auth.logout', actor.username);
    return ended;
  }

  /**
   * Changes the caller's password after checking the current one, ends every session of the
   * account (a stolen cookie stops working) and opens a new one for the caller.
   */
  async changePassword(
    source: ActionSource,
    currentPassword: string,
    newPassword: string,
  ): Promise<{ sessionToken: string; expiresAt: Date }> {
    const actor = source.actor;
    if (actor.kind !== 'user') throw forbidden();
    const stored = await this.stores.users.passwordHashOf(actor.userId);
    if (!stored || !(await this.verify(currentPassword, stored))) {
      throw new AuthError('wrong_password', 'the current password is wrong', 'Mật khẩu hiện tại không đúng.');
    }
    const hash = await this.hash(newPassword);
    const sessionToken = newSecret();
    const expiresAt = new Date(this.now().getTime() + this.options.sessionTtlMs);
    await this.stores.transaction(async (tx) => {
      await tx.users.setPasswordHash(actor.userId, hash);
      await tx.sessions.deleteOfUser(actor.userId);
      await tx.sessions.create(hashSecret(sessionToken), actor.userId, actor.centerId, expiresAt);
      await tx.audit.append(auditEntryOf(source, actor.centerId, 'user.password_change', actor.username));
    });
    return { sessionToken, expiresAt };
  }
}
