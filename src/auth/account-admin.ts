import type { AccountStores, CenterRecord, CenterStatus, Clock, UserRecord } from '../store/index.js';
import { actorName, canManageCenter, isOperator, userActor, type Actor } from './actor.js';
import { AuthError, forbidden, linkInvalid, userNotFound, usernameTaken } from './auth-error.js';
import { hashSecret, newSecret } from './secret-token.js';

/** Where an action came from, for the audit log. */
export interface ActionSource {
  actor: Actor;
  ip: string | null;
}

/** What account management needs of the account service. */
export interface AccountAdminContext {
  stores: AccountStores;
  /** Hashes a new password (in the service's hash slots). */
  hash(password: string): Promise<string>;
  record(source: ActionSource, centerId: string | null, action: string, target: string | null, details?: Record<string, unknown>): void;
  now: Clock;
  inviteTtlMs: number;
  resetTtlMs: number;
}

const isSelf = (actor: Actor, userId: string) => actor.kind === 'user' && actor.userId === userId;
// A center admin locking, demoting or deleting itself could leave the center with no admin.
const notOnSelf = () =>
  new AuthError(
    'forbidden',
    'you cannot lock, demote or delete your own account: ask another admin or the operator',
    'Bạn không thể khoá, hạ quyền hoặc xoá chính tài khoản của mình: hãy nhờ quản trị viên khác hoặc đơn vị vận hành.',
  );

/**
 * Centers and their accounts: create, suspend, add, change, remove accounts, invitation and
 * reset links. Each change is checked against the actor (the operator everywhere, a center admin
 * in its own center) and recorded in the audit log in the same transaction.
 */
export class AccountAdmin {
  constructor(private readonly context: AccountAdminContext) {}

  // ---- centers ----

  private center(id: string): CenterRecord {
    const center = this.context.stores.centers.get(id);
    if (!center) throw new AuthError('center_not_found', 'no such center', 'Không có trung tâm này.');
    return center;
  }

  /** The centers an actor may see: all for the operator, its own for an account. */
  listCenters(actor: Actor): CenterRecord[] {
    if (isOperator(actor)) return this.context.stores.centers.list();
    return actor.kind === 'user' && actor.centerId ? [this.center(actor.centerId)] : [];
  }

  createCenter(source: ActionSource, name: string): CenterRecord {
    if (!isOperator(source.actor)) throw forbidden();
    return this.context.stores.db.transaction(() => {
      const center = this.context.stores.centers.create(name);
      this.context.record(source, center.id, 'center.create', center.id, { name });
      return center;
    })();
  }

  /** Renames, suspends or resumes a center (the operator only). A suspended center's sessions stop working at once. */
  updateCenter(source: ActionSource, id: string, patch: { name?: string; status?: CenterStatus }): CenterRecord {
    if (!isOperator(source.actor)) throw forbidden();
    this.center(id);
    return this.context.stores.db.transaction(() => {
      const center = this.context.stores.centers.update(id, patch)!;
      this.context.record(
        source,
        id,
        patch.status === 'suspended' ? 'center.suspend' : patch.status === 'active' ? 'center.resume' : 'center.update',
        id,
        patch,
      );
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
    return this.context.stores.users.listOfCenter(centerId);
  }

  async createUser(
    source: ActionSource,
    centerId: string,
    input: { username: string; password: string; role: 'center_admin' | 'teacher'; collections?: string[] | null },
  ): Promise<UserRecord> {
    this.manageable(source.actor, centerId);
    const passwordHash = await this.context.hash(input.password);
    return this.context.stores.db.transaction(() => {
      const user = this.context.stores.users.create({
        centerId,
        username: input.username,
        passwordHash,
        role: input.role,
        collections: input.role === 'teacher' ? (input.collections ?? null) : null,
      });
      if (!user) throw usernameTaken();
      this.context.record(source, centerId, 'user.create', user.username, { role: user.role, collections: user.collections });
      return user;
    })();
  }

  /** An operator account (no center): the operator's work without sharing the ADMIN_TOKEN. The operator only. */
  async createOperator(source: ActionSource, input: { username: string; password: string }): Promise<UserRecord> {
    if (!isOperator(source.actor)) throw forbidden();
    const passwordHash = await this.context.hash(input.password);
    return this.context.stores.db.transaction(() => {
      const user = this.context.stores.users.create({ centerId: null, username: input.username, passwordHash, role: 'operator' });
      if (!user) throw usernameTaken();
      this.context.record(source, null, 'user.create', user.username, { role: 'operator' });
      return user;
    })();
  }

  private userOfCenter(centerId: string, userId: string): UserRecord {
    const user = this.context.stores.users.get(userId);
    if (!user || user.centerId !== centerId) throw userNotFound();
    return user;
  }

  updateUser(
    source: ActionSource,
    centerId: string,
    userId: string,
    patch: { role?: 'center_admin' | 'teacher'; collections?: string[] | null; disabled?: boolean },
  ): UserRecord {
    this.manageable(source.actor, centerId);
    const before = this.userOfCenter(centerId, userId);
    if (isSelf(source.actor, userId) && (patch.disabled === true || (patch.role !== undefined && patch.role !== before.role)))
      throw notOnSelf();
    return this.context.stores.db.transaction(() => {
      const user = this.context.stores.users.update(userId, patch)!;
      if (user.disabled) this.context.stores.sessions.deleteOfUser(userId);
      this.context.record(source, centerId, 'user.update', before.username, patch);
      return user;
    })();
  }

  deleteUser(source: ActionSource, centerId: string, userId: string): void {
    this.manageable(source.actor, centerId);
    const user = this.userOfCenter(centerId, userId);
    if (isSelf(source.actor, userId)) throw notOnSelf();
    this.context.stores.db.transaction(() => {
      this.context.stores.users.delete(userId);
      this.context.record(source, centerId, 'user.delete', user.username);
    })();
  }

  /** An invitation link's token (shown once): whoever opens it chooses a username and password in `centerId`. */
  createInvitation(
    source: ActionSource,
    centerId: string,
    input: { role: 'center_admin' | 'teacher'; collections?: string[] | null },
  ): { token: string; expiresAt: Date } {
    this.manageable(source.actor, centerId);
    const token = newSecret();
    const expiresAt = new Date(this.context.now().getTime() + this.context.inviteTtlMs);
    this.context.stores.db.transaction(() => {
      this.context.stores.links.create(hashSecret(token), {
        kind: 'invite',
        centerId,
        userId: null,
        role: input.role,
        collections: input.role === 'teacher' ? (input.collections ?? null) : null,
        createdBy: actorName(source.actor),
        expiresAt: expiresAt.toISOString(),
      });
      this.context.record(source, centerId, 'user.invite', null, { role: input.role, expiresAt: expiresAt.toISOString() });
    })();
    return { token, expiresAt };
  }

  /** Accepts an invitation: makes the account. `link_invalid` when used, expired or unknown; `username_taken` leaves it usable. */
  async acceptInvitation(token: string, username: string, password: string, ip: string | null): Promise<UserRecord> {
    const passwordHash = await this.context.hash(password);
    return this.context.stores.db.transaction(() => {
      const link = this.context.stores.links.consume(hashSecret(token), 'invite');
      if (!link) throw linkInvalid();
      const user = this.context.stores.users.create({
        centerId: link.centerId,
        username,
        passwordHash,
        role: link.role!,
        collections: link.collections,
      });
      if (!user) throw usernameTaken(); // rolls back: the link stays usable
      this.context.record({ actor: userActor(user), ip }, link.centerId, 'user.accept_invitation', user.username, {
        invitedBy: link.createdBy,
        role: user.role,
      });
      return user;
    })();
  }

  /** A password reset link's token for one account of the center (shown once). */
  createResetLink(source: ActionSource, centerId: string, userId: string): { token: string; expiresAt: Date; username: string } {
    this.manageable(source.actor, centerId);
    const user = this.userOfCenter(centerId, userId);
    const token = newSecret();
    const expiresAt = new Date(this.context.now().getTime() + this.context.resetTtlMs);
    this.context.stores.db.transaction(() => {
      this.context.stores.links.create(hashSecret(token), {
        kind: 'reset',
        centerId,
        userId,
        role: null,
        collections: null,
        createdBy: actorName(source.actor),
        expiresAt: expiresAt.toISOString(),
      });
      this.context.record(source, centerId, 'user.reset_link', user.username, { expiresAt: expiresAt.toISOString() });
    })();
    return { token, expiresAt, username: user.username };
  }

  /** Sets a new password through a reset link and ends the account's sessions. */
  async resetPassword(token: string, password: string, ip: string | null): Promise<UserRecord> {
    const passwordHash = await this.context.hash(password);
    return this.context.stores.db.transaction(() => {
      const link = this.context.stores.links.consume(hashSecret(token), 'reset');
      const user = link?.userId ? this.context.stores.users.get(link.userId) : undefined;
      if (!link || !user) throw linkInvalid();
      this.context.stores.users.setPasswordHash(user.id, passwordHash);
      this.context.stores.sessions.deleteOfUser(user.id);
      this.context.stores.loginAttempts.clear(`user:${user.username}`);
      this.context.record({ actor: userActor(user), ip }, link.centerId, 'user.password_reset', user.username, { linkBy: link.createdBy });
      return user;
    })();
  }
}
