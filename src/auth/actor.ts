import type { UserRecord, UserRole } from '../store/index.js';

/**
 * Who makes a request to the admin API: the operator's bearer `ADMIN_TOKEN` (scripts, the first
 * start), or an account through its session cookie.
 */
export type Actor =
  | { kind: 'token' }
  | {
      kind: 'user';
      userId: string;
      username: string;
      role: UserRole;
      /** null for an operator account. */
      centerId: string | null;
      collections: string[] | null;
      /** The SHA-256 of the session id (to end this session). */
      sessionHash: string;
    };

/** The operator: the bearer token or an operator account. */
export const isOperator = (actor: Actor): boolean => actor.kind === 'token' || actor.role === 'operator';

/** May this actor manage the accounts of `centerId` (the operator, or that center's admin)? */
export const canManageCenter = (actor: Actor, centerId: string): boolean =>
  isOperator(actor) || (actor.kind === 'user' && actor.role === 'center_admin' && actor.centerId === centerId);

/** The name written in the audit log. */
export const actorName = (actor: Actor): string => (actor.kind === 'token' ? 'ADMIN_TOKEN' : actor.username);

/** May this actor change documents of `collection` (a teacher limited to some collections may not change the others)? */
export const mayChangeCollection = (actor: Actor, collection: string): boolean =>
  actor.kind === 'token' || actor.role !== 'teacher' || actor.collections === null || actor.collections.includes(collection);

/** An account as the actor of what it does outside a session (logging in, accepting a link). */
export const userActor = (user: UserRecord): Actor => ({
  kind: 'user',
  userId: user.id,
  username: user.username,
  role: user.role,
  centerId: user.centerId,
  collections: user.collections,
  sessionHash: '',
});
