import type Database from 'better-sqlite3';
import { LearnerConversationStore } from '../store/index.js';
import { courseKey, learnerOwner, readLaunchSession, type LaunchSession } from './launch-session.js';
import { LtiPlatformStore } from './platform-store.js';
import { ToolKeys } from './tool-keys.js';
import { jwksCache, type JwksResolver } from './verify-launch.js';

/** A learner known to the API (from a launch session or a signed user token): whose conversations, which collections. */
export interface LearnerIdentity {
  /** Owner key of their conversations. */
  owner: string;
  /** The course key (LTI), for the teacher's log; null outside a course. */
  course: string | null;
  /** The collections they may search; never empty (a course without collections has no session). */
  collections: string[];
  teacher: boolean;
  session?: LaunchSession;
}

/** The LTI parts over one SQLite database: platforms, the tool's keys, learners' conversations, platform JWKS. */
export interface LtiService {
  platforms: LtiPlatformStore;
  keys: ToolKeys;
  conversations: LearnerConversationStore;
  jwks: (url: string) => JwksResolver;
  /** The learner of a launch session token; undefined when the token is bad, expired or the course has no collections. */
  identityOf(token: string): Promise<LearnerIdentity | undefined>;
}

const services = new WeakMap<Database.Database, LtiService>();

/** The LTI service of a database, made once (the JWKS cache and imported keys live in it). */
export function ltiServiceFor(db: Database.Database): LtiService {
  let service = services.get(db);
  if (!service) {
    const platforms = new LtiPlatformStore(db);
    const keys = new ToolKeys(db);
    service = {
      platforms,
      keys,
      conversations: new LearnerConversationStore(db),
      jwks: jwksCache(),
      async identityOf(token) {
        const session = await readLaunchSession(keys, token);
        if (!session) return undefined;
        const collections = platforms.course(session.platformId, session.contextId)?.collections;
        if (!collections?.length) return undefined;
        return { owner: learnerOwner(session), course: courseKey(session), collections, teacher: session.teacher, session };
      },
    };
    services.set(db, service);
  }
  return service;
}
