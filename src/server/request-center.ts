import type { Context, MiddlewareHandler } from 'hono';
import { isOperator, type Actor } from '../auth/index.js';
import { defaultCenterId } from '../store/index.js';
import { AppError } from './app-error.js';

declare module 'hono' {
  interface ContextVariableMap {
    /** The center an admin request acts for (set by `actingCenter`). */
    centerId: string;
  }
}

/** A center's status by id (undefined: no such center), as the store reads it (`store.sharing.centerStatus`). */
export type CenterStatusLookup = (centerId: string) => Promise<string | undefined> | string | undefined;

/** The header with which the operator picks the center an admin request acts for. */
export const centerHeader = 'x-center';

/**
 * Which center an admin request acts for. An account of a center: its own, always (naming another
 * in `X-Center` is refused with 403, never silently ignored). The operator (bearer token or an
 * operator account): the center named by `X-Center`, else the default center; an unknown center
 * is a 404. `centerStatus` looks a center up (undefined: no such center).
 */
export async function actingCenterOf(actor: Actor, asked: string | undefined, centerStatus: CenterStatusLookup): Promise<string> {
  const wanted = asked?.trim() || undefined;
  if (!isOperator(actor)) {
    const own = actor.kind === 'user' ? (actor.centerId ?? defaultCenterId) : defaultCenterId;
    if (wanted !== undefined && wanted !== own) {
      throw new AppError('forbidden', 'your account acts only for its own center', {
        reason: 'center',
        messageVi: 'Tài khoản của bạn chỉ làm việc cho trung tâm của mình.',
      });
    }
    return own;
  }
  if (wanted === undefined) return defaultCenterId;
  if ((await centerStatus(wanted)) === undefined) {
    throw new AppError('not_found', `no center "${wanted}" (${centerHeader} header)`, {
      reason: 'center_not_found',
      messageVi: `Không có trung tâm "${wanted}".`,
    });
  }
  return wanted;
}

/** Sets the request's `centerId` from its actor (after `adminAuth`). */
export function actingCenter(centerStatus: CenterStatusLookup): MiddlewareHandler {
  return async (c, next) => {
    const actor = c.get('actor');
    if (actor) c.set('centerId', await actingCenterOf(actor, c.req.header(centerHeader), centerStatus));
    await next();
  };
}

/** The center an admin request acts for (the default one outside `actingCenter`). */
export const requestCenter = (c: Context): string => c.get('centerId') ?? defaultCenterId;

/** The center a learner request is for: its site key's, or the default center for the server's own pages (no key). */
export const learnerCenterOf = (siteKey: { centerId: string } | null | undefined): string => siteKey?.centerId ?? defaultCenterId;
