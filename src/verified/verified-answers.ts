import type { VerifiedHit } from '../answer/index.js';
import type { Engine } from '../engine/index.js';
import { DocumentValidityStore, VerifiedAnswerStore, type TrogiangStore } from '../store/index.js';
import { matcherDepsOf } from './matcher-deps.js';
import { defaultMatchSettings, VerifiedMatcher, type MatchSettings } from './verified-matcher.js';
import { todayOf } from './validity.js';

export interface VerifiedAnswersOptions {
  /** The clock validity dates are read against (tests move it). */
  now?: () => Date;
  settings?: MatchSettings;
}

/**
 * Verified answers and validity dates over one engine: the stores, a matcher per center rebuilt
 * when its answers or the materials change, and what learners' answers leave out today.
 */
export class VerifiedAnswers {
  readonly answers: VerifiedAnswerStore;
  readonly validity: DocumentValidityStore;
  readonly now: () => Date;
  private readonly settings: MatchSettings;
  private readonly matchers = new Map<string, { key: string; matcher: Promise<VerifiedMatcher> }>();

  constructor(
    private readonly engine: Engine,
    options: VerifiedAnswersOptions = {},
  ) {
    const store: TrogiangStore = engine.store;
    this.now = options.now ?? (() => new Date());
    this.answers = new VerifiedAnswerStore(store.sql, this.now);
    this.validity = new DocumentValidityStore(store.sql);
    this.settings = options.settings ?? defaultMatchSettings;
  }

  today(): string {
    return todayOf(this.now());
  }

  /** The center's matcher, rebuilt after a change of its answers or of the materials (their IDF). */
  private async matcherOf(centerId: string): Promise<VerifiedMatcher> {
    // From the store, not this process: an answer edited through another replica counts too.
    const key = `${await this.answers.stamp(centerId)}:${await this.engine.store.generation()}`;
    const cached = this.matchers.get(centerId);
    if (cached?.key === key) return cached.matcher;
    const matcher = this.answers
      .list(centerId)
      .then((answers) => VerifiedMatcher.build(answers, matcherDepsOf(this.engine), this.settings));
    this.matchers.set(centerId, { key, matcher });
    return matcher;
  }

  /** The center's verified answer to `question` today, in `collections`, or null. */
  async match(centerId: string, question: string, collections: readonly string[] | null): Promise<VerifiedHit | null> {
    const found = await (await this.matcherOf(centerId)).match(question, { today: this.today(), collections });
    if (!found) return null;
    const a = found.answer;
    const doc = a.documentId ? await this.engine.store.getDocument(a.documentId) : undefined;
    return {
      id: a.id,
      answer: a.answer,
      document: doc ? { id: doc.id, title: doc.title, page: a.page } : null,
      validFrom: a.validFrom,
      validUntil: a.validUntil,
      score: found.score,
    };
  }

  /** Chunks learners' answers leave out today (expired, not yet valid, replaced documents). */
  excludedChunks(): Promise<Set<number>> {
    return this.validity.excludedChunkSeqs(this.today());
  }
}

const perEngine = new WeakMap<Engine, VerifiedAnswers>();

/** The engine's `VerifiedAnswers`, made once (the routes and the chat share its matchers). */
export function verifiedAnswersFor(engine: Engine, options: VerifiedAnswersOptions = {}): VerifiedAnswers {
  let service = perEngine.get(engine);
  if (!service) {
    service = new VerifiedAnswers(engine, options);
    perEngine.set(engine, service);
  }
  return service;
}
