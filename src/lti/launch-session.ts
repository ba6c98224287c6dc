import type { ToolKeys } from './tool-keys.js';

/** How long a launch session lasts (seconds): a lesson; a new launch from the course makes a new one. */
export const launchSessionSeconds = 4 * 3600;

const sessionAudience = 'trogiang:lti-session';

/** Who is in the course: the platform, the course's context id, the learner's `sub`, and whether they teach it. */
export interface LaunchSession {
  platformId: string;
  contextId: string;
  sub: string;
  teacher: boolean;
  /** The chat's language, from the platform's locale; default Vietnamese. */
  lang?: 'vi' | 'en';
}

/**
 * The token the chat page sends on its API calls (`x-learner-token`), signed with the tool's key:
 * no cookie, so it works inside an LMS's iframe.
 */
export function signLaunchSession(keys: ToolKeys, s: LaunchSession): Promise<string> {
  return keys.sign(
    { pid: s.platformId, ctx: s.contextId, sub: s.sub, teacher: s.teacher, lang: s.lang ?? 'vi', jti: crypto.randomUUID() },
    { audience: sessionAudience, expiresIn: launchSessionSeconds },
  );
}

/** The session a token carries; undefined when it is not ours, altered or expired. */
export async function readLaunchSession(keys: ToolKeys, token: string): Promise<LaunchSession | undefined> {
  try {
    const p = await keys.verifyOwn(token, sessionAudience);
    if (typeof p.pid !== 'string' || typeof p.ctx !== 'string' || typeof p.sub !== 'string') return undefined;
    return { platformId: p.pid, contextId: p.ctx, sub: p.sub, teacher: p.teacher === true, lang: p.lang === 'en' ? 'en' : 'vi' };
  } catch {
    return undefined;
  }
}

/** Whose a conversation is, and which course's (the keys of `learner_conversations`). */
export const learnerOwner = (s: LaunchSession): string => `lti:${s.platformId}:${s.contextId}:${s.sub}`;
export const courseKey = (s: Pick<LaunchSession, 'platformId' | 'contextId'>): string => `lti:${s.platformId}:${s.contextId}`;
