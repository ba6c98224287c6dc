import type { SqlDb } from '../store/sql/index.js';
import { courseKey, learnerOwner, readLaunchSession, type LaunchSession } from './launch-session.js';
import { LtiPlatformStore } from './platform-store.js';
import { ToolKeys } from './tool-keys.js';
import { isUserToken, UserTokenSecrets, verifyUserToken } from './user-token.js';
import { jwksCache, type JwksResolver } from './verify-launch.js';

/** A learner known to the API (from a launch session or a signed user token): whose conversations, which collections. */
export interface LearnerIdentity {
  /** Owner key of their conversations. */
  owner: string;
  /** The course key (LTI), for the teacher's log; null outside a course. */
  course: string | null;
  /** The collections they may search (a course's: never empty); empty for a site key's user: all of the site's. */
  collections: string[];
  /** The center of the launch's platform; null for a site key's user (the key's center). */
  centerId: string | null;
  teacher: boolean;
  session?: LaunchSession;
}

/** The LTI parts over one database (SQLite or PostgreSQL): platforms, the tool's keys, platform JWKS (learners' conversations: `store.learnerConversations`). */
export interface LtiService {
  platforms: LtiPlatformStore;
  keys: ToolKeys;
  jwks: (url: string) => JwksResolver;
  userTokenSecrets: UserTokenSecrets;
  /**
   * The learner of a token: a launch session (RS256, the tool's key), or with a site key a host
   * page's user token (HS256, the key's secret). Undefined when the token is bad or expired, or the
   * course has no collections.
   */
  identityOf(token: string, siteKey?: { key: string; collections: string[] } | null): Promise<LearnerIdentity | undefined>;
}

const services = new WeakMap<SqlDb, LtiService>();

/** The LTI service of a store's `SqlDb`, made once per process (the JWKS cache and imported keys live in it). */
export function ltiServiceFor(sql: SqlDb): LtiService {
  let service = services.get(sql);
  if (!service) {
    const platforms = new LtiPlatformStore(sql);
    const keys = new ToolKeys(sql);
    const secrets = new UserTokenSecrets(sql);
    service = {
      platforms,
      keys,
      jwks: jwksCache(),
      userTokenSecrets: secrets,
      async identityOf(token, siteKey) {
        if (isUserToken(token)) {
          const secret = siteKey ? await secrets.get(siteKey.key) : undefined;
          const sub = secret && siteKey ? await verifyUserToken(token, siteKey.key, secret) : undefined;
          return sub && siteKey
            ? { owner: `site:${siteKey.key}:${sub}`, course: null, collections: siteKey.collections, centerId: null, teacher: false }
            : undefined;
        }
        const session = await readLaunchSession(keys, token);
        if (!session) return undefined;
        const collections = (await platforms.course(session.platformId, session.contextId))?.collections;
        const platform = await platforms.get(session.platformId);
        if (!collections?.length || !platform) return undefined;
        return {
          owner: learnerOwner(session),
          course: courseKey(session),
          collections,
          centerId: platform.centerId,
          teacher: session.teacher,
          session,
        };
      },
    };
    services.set(sql, service);
  }
  return service;
}
