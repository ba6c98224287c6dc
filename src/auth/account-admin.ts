import type { AccountStores, CenterRecord, CenterStatus, Clock, UserRecord } from '../store/index.js';
import { actorName, canManageCenter, isOperator, userActor, type Actor } from './actor.js';
import { auditEntryOf, type ActionSource } from './audit-entry-of.js';
import { AuthError, forbidden, linkInvalid, userNotFound, usernameTaken } from './auth-error.js';
import { hashSecret, newSecret } from './secret-token.js';

export type { ActionSource } from './audit-entry-of.js';

/** What account management needs of the account service. */
export interface AccountAdminContext {
  stores: AccountStores;
  /** Hashes a new password (in the service's hash slots; never inside a transaction). */
  hash(password: string): Promise<string>;
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
 * in its own center) and recorded in the audit log in the same transaction. Passwords are hashed
 * before a transaction begins: its body awaits nothing but its own statements.
 */
export class AccountAdmin {
  constructor(private readonly context: AccountAdminContext) {}

  private get stores(): AccountStores {
    return this.context.stores;
  }

  // ---- centers ----

  private async center(id: string): Promise<CenterRecord> {
    const center = await this.stores.centers.get(id);
    if (!center) throw new AuthError('center_not_found', 'no such center', 'Không có trung tâm này.');
    return center;
  }

  /** The centers an actor may see: all for the operator, its own for an account. */
  async listCenters(actor: Actor): Promise<CenterRecord[]> {
    if (isOperator(actor)) return this.stores.centers.list();
    return actor.kind === 'user' && actor.centerId ? [await this.center(actor.centerId)] : [];
  }

  async createCenter(source: ActionSource, name: string): Promise<CenterRecord> {
    if (!isOperator(source.actor)) throw forbidden();
    return this.stores.transaction(async (tx) => {
      const center = await tx.centers.create(name);
      await tx.audit.append(auditEntryOf(source, center.id, 'center.create', center.id, { name }));
      return center;
    });
  }

  /** Renames, suspends or resumes a center (the operator only). A suspended center's sessions stop working at once. */
  async updateCenter(source: ActionSource, id: string, patch: { name?: string; status?: CenterStatus }): Promise<CenterRecord> {
    if (!isOperator(source.actor)) throw forbidden();
    await this.center(id);
    return this.stores.transaction(async (tx) => {
      const center = (await tx.centers.update(id, patch))!;
      const action = patch.status === 'suspended' ? 'center.suspend' : patch.status === 'active' ? 'center.resume' : 'center.update';
      await tx.audit.append(auditEntryOf(source, id, action, id, patch));
      return center;
    });
  }

  // ---- accounts ----

  private async manageable(actor: Actor, centerId: string): Promise<CenterRecord> {
    // Another center's admin gets "not found", not "forbidden": ids of other centers stay unconfirmed.
    if (!canManageCenter(actor, centerId)) {
      if (actor.kind === 'user' && actor.centerId === centerId) throw forbidden();
      throw new AuthError('center_not_found', 'no such center', 'Không có trung tâm này.');
    }
    return this.center(centerId);
  }

  async listUsers(actor: Actor, centerId: string): Promise<UserRecord[]> {
    await this.manageable(actor, centerId);
    return this.stores.users.listOfCenter(centerId);
  }

  async createUser(
    source: ActionSource,
    centerId: string,
    input: { username: string; password: string; role: 'center_admin' | 'teacher'; collections?: string[] | null },
  ): Promise<UserRecord> {
    await this.manageable(source.actor, centerId);
    const passwordHash = await this.context.hash(input.password);
    return this.stores.transaction(async (tx) => {
      const user = await tx.users.create({
        centerId,
        username: input.username,
        passwordHash,
        role: input.role,
        collections: input.role === 'teacher' ? (input.collections ?? null) : null,
      });
      if (!user) throw usernameTaken();
      await tx.audit.append(
        auditEntryOf(source, centerId, 'user.create', user.username, { role: user.role, collections: user.collections }),
      );
      return user;
    });
  }

  /** An operator account (no center): the operator's work without sharing the ADMIN_TOKEN. The operator only. */
  async createOperator(source: ActionSource, input: { username: string; password: string }): Promise<UserRecord> {
    if (!isOperator(source.actor)) throw forbidden();
    const passwordHash = await this.context.hash(input.password);
    return this.stores.transaction(async (tx) => {
      const user = await tx.users.create({ centerId: null, username: input.username, passwordHash, role: 'operator' });
      if (!user) throw usernameTaken();
      await tx.audit.append(auditEntryOf(source, null, 'user.create', user.username, { role: 'operator' }));
      return user;
    });
  }

  private async userOfCenter(centerId: string, userId: string): Promise<UserRecord> {
    const user = await this.stores.users.get(userId);
    if (!user || user.centerId !== centerId) throw userNotFound();
    return user;
  }

  async updateUser(
    source: ActionSource,
    centerId: string,
    userId: string,
    patch: { role?: 'center_admin' | 'teacher'; collections?: string[] | null; disabled?: boolean },
  ): Promise<UserRecord> {
    await this.manageable(source.actor, centerId);
    const before = await this.userOfCenter(centerId, userId);
    if (isSelf(source.actor, userId) && (patch.disabled === true || (patch.role !== undefined && patch.role !== before.role)))
      throw notOnSelf();
    return this.stores.transaction(async (tx) => {
      const user = await tx.users.update(userId, patch);
      // Removed meanwhile (another request, another replica): nothing to change.
      if (!user) throw userNotFound();
      if (user.disabled) await tx.sessions.deleteOfUser(userId);
      await tx.audit.append(auditEntryOf(source, centerId, 'user.update', before.username, patch));
      return user;
    });
  }

  async deleteUser(source: ActionSource, centerId: string, userId: string): Promise<void> {
    await this.manageable(source.actor, centerId);
    const user = await this.userOfCenter(centerId, userId);
    if (isSelf(source.actor, userId)) throw notOnSelf();
    await this.stores.transaction(async (tx) => {
      await tx.users.delete(userId);
      await tx.audit.append(auditEntryOf(source, centerId, 'user.delete', user.username));
    });
  }

  /** An invitation link's token (shown once): whoever opens it chooses a username and password in `centerId`. */
  async createInvitation(
    source: ActionSource,
    centerId: string,
    input: { role: 'center_admin' | 'teacher'; collections?: string[] | null },
  ): Promise<{ token: string; expiresAt: Date }> {
    await this.manageable(source.actor, centerId);
    const token = newSecret();
    const expiresAt = new Date(this.context.now().getTime() + this.context.inviteTtlMs);
    await this.stores.transaction(async (tx) => {
      await tx.links.create(hashSecret(token), {
        kind: 'invite',
        centerId,
        userId: null,
        role: input.role,
        collections: input.role === 'teacher' ? (input.collections ?? null) : null,
        createdBy: actorName(source.actor),
        expiresAt: expiresAt.toISOString(),
      });
      await tx.audit.append(auditEntryOf(source, centerId, 'user.invite', null, { role: input.role, expiresAt: expiresAt.toISOString() }));
    });
    return { token, expiresAt };
  }

  /** Accepts an invitation: makes the account. `link_invalid` when used, expired or unknown; `username_taken` leaves it usable. */
  async acceptInvitation(token: string, username: string, password: string, ip: string | null): Promise<UserRecord> {
    const passwordHash = await this.context.hash(password);
    return this.stores.transaction(async (tx) => {
      const link = await tx.links.consume(hashSecret(token), 'invite');
      if (!link) throw linkInvalid();
      const user = await tx.users.create({
        centerId: link.centerId,
        username,
        passwordHash,
        role: link.role!,
        collections: link.collections,
      });
      if (!user) throw usernameTaken(); // rolls back: the link stays usable
      await tx.audit.append(
        auditEntryOf({ actor: userActor(user), ip }, link.centerId, 'user.accept_invitation', user.username, {
          invitedBy: link.createdBy,
          role: user.role,
        }),
      );
      return user;
    });
  }

  /** A password reset link's token for one account of the center (shown once). */
  async createResetLink(
    source: ActionSource,
    centerId: string,
    userId: string,
  ): Promise<{ token: string; expiresAt: Date; username: string }> {
    await this.manageable(source.actor, centerId);
    const user = await this.userOfCenter(centerId, userId);
    const token = newSecret();
    const expiresAt = new Date(this.context.now().getTime() + this.context.resetTtlMs);
    await this.stores.transaction(async (tx) => {
      await tx.links.create(hashSecret(token), {
        kind: 'reset',
        centerId,
        userId,
        role: null,
        collections: null,
        createdBy: actorName(source.actor),
        expiresAt: expiresAt.toISOString(),
      });
      await tx.audit.append(auditEntryOf(source, centerId, 'user.reset_link', user.username, { expiresAt: expiresAt.toISOString() }));
    });
    return { token, expiresAt, username: user.username };
  }

  /** Sets a new password through a reset link and ends the account's sessions. */
  async resetPassword(token: string, password: string, ip: string | null): Promise<UserRecord> {
    const passwordHash = await this.context.hash(password);
    return this.stores.transaction(async (tx) => {
      const link = await tx.links.consume(hashSecret(token), 'reset');
      const user = link?.userId ? await tx.users.get(link.userId) : undefined;
      if (!link || !user) throw linkInvalid();
      await tx.users.setPasswordHash(user.id, passwordHash);
      await tx.sessions.deleteOfUser(user.id);
      await tx.loginAttempts.clear(`user:${user.username}`);
      await tx.audit.append(
        auditEntryOf({ actor: userActor(user), ip }, link.centerId, 'user.password_reset', user.username, { linkBy: link.createdBy }),
      );
      return user;
    });
  }
}
