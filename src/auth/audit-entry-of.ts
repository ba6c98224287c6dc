import type { NewAuditEntry } from '../store/index.js';
import { actorName, type Actor } from './actor.js';

/** Where an action came from, for the audit log. */
export interface ActionSource {
  actor: Actor;
  ip: string | null;
}

/** The audit entry of an action (appended by the caller, inside the transaction that makes the change). */
export function auditEntryOf(
  source: ActionSource,
  centerId: string | null,
  action: string,
  target: string | null,
  details: Record<string, unknown> = {},
): NewAuditEntry {
  return {
    centerId,
    actorId: source.actor.kind === 'user' ? source.actor.userId : null,
    actor: actorName(source.actor),
    action,
    target,
    details,
    ip: source.ip,
  };
}
