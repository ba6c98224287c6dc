import type { Context, ContextVariableMap } from 'hono';
import type { Actor, AuthService } from '../auth/index.js';
import { defaultCenterId } from '../store/index.js';

declare module 'hono' {
  interface ContextVariableMap {
    /** Who makes an admin request (set by `adminAuth`). */
    actor: Actor;
    /** Records an action of this request in the audit log (set by `adminAuth`). */
    auditAction: (action: string, target: string | null, details?: Record<string, unknown>) => void;
  }
}

/** The actor of an admin request; undefined outside `adminAuth`. */
export const requestActor = (c: Context): Actor | undefined => c.get('actor');

/**
 * Records an action on the center's data (documents, collections, site keys, sharing) in the
 * audit log of the center the request acts for; a no-op where no `adminAuth` ran.
 */
export function audit(c: Context, action: string, target: string | null, details: Record<string, unknown> = {}): void {
  c.get('auditAction')?.(action, target, details);
}

/** A request's `auditAction`, and `written()`: settles when every entry it was given is stored (or reported). */
export type RequestAudit = ContextVariableMap['auditAction'] & { written(): Promise<void> };

/**
 * The `auditAction` of a request: its actor and address, in the actor's center (the default one
 * for the operator). Entries are written in the order given. A failed write (a full disk) is
 * logged, not thrown: the change it records has already been made, and answering with an error
 * would tell the teacher it had not.
 */
export function auditActionFor(
  auth: AuthService,
  actor: Actor,
  ip: string | null,
  warn: (error: unknown, action: string) => void,
  /** The center the request acts for, once known (the operator's `X-Center`; see request-center.ts). */
  actingCenter: () => string | undefined = () => undefined,
): RequestAudit {
  const ownCenter = actor.kind === 'user' && actor.centerId !== null ? actor.centerId : defaultCenterId;
  let last: Promise<void> = Promise.resolve();
  const record = (action: string, target: string | null, details: Record<string, unknown> = {}) => {
    const centerId = actingCenter() ?? ownCenter;
    last = last.then(async () => {
      try {
        await auth.record({ actor, ip }, centerId, action, target, details);
      } catch (error) {
        warn(error, action);
      }
    });
  };
  return Object.assign(record, { written: () => last });
}
