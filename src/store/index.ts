export type {
  ChunkChange,
  ChunkDelta,
  ChunkRecord,
  Clock,
  DocumentRecord,
  NewChunk,
  RemovedChunk,
  Store,
  StoredChunk,
  TrogiangStore,
} from './store-types.js';
export { allChunks } from './store-types.js';
export { SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
export { openSqliteStore, sqliteFileName } from './open-sqlite-store.js';
export { openStore, redactedDatabaseUrl } from './open-store.js';
export { PostgresStore, type PostgresStoreOptions } from './postgres/index.js';
export { corpusIngestDue, firstStartSetting, markCorpusIngest } from './first-start.js';
export { blobPartBytes, SqlBlobStore, type BlobKind, type BlobStore } from './blob-parts.js';
export { isBusy, isDiskFull, isStoreError, StoreError, storeErrorCodes, type StoreErrorCode, type StoreIssue } from './store-error.js';
export {
  normalizeQuestion,
  SqlConversationStore,
  type ConversationRecord,
  type ConversationStore,
  type DayStats,
  type FeedbackRecord,
  type LoggedAnswerMode,
  type LoggedCitation,
  type LoggedMessage,
  type MessageRecord,
  type NewMessage,
  type QuestionsFilter,
  type Rating,
  type RetrievalScore,
  type Stats,
} from './conversation-store.js';
export {
  generateSiteKey,
  isOriginAllowed,
  normalizeOrigin,
  originOfAddress,
  siteKeyInputSchema,
  siteKeyPatchSchema,
  SqlSiteKeyStore,
  type AddressProblem,
  type SiteKey,
  type SiteKeyInput,
  type SiteKeyPatch,
  type SiteKeyStore,
} from './site-key-store.js';
export {
  collectionIdSchema,
  collectionNameSchema,
  SqlCollectionStore,
  type CollectionRecord,
  type CollectionStore,
} from './collection-store.js';
export {
  collectionMetadataPatchSchema,
  collectionMetadataSchema,
  defaultCollectionMetadata,
  licenceCodes,
  SqlCollectionMetadataStore,
  type CollectionMetadata,
  type CollectionMetadataPatch,
  type CollectionMetadataStore,
  type LicenceCode,
} from './collection-metadata.js';
export { accountStores, type AccountStores } from './account-stores.js';
export { defaultCenterId, slugOf, CenterStore, type CenterRecord, type CenterStatus } from './center-store.js';
export { UserStore, type NewUser, type UserRecord, type UserRole } from './user-store.js';
export { SessionStore, type SessionRecord } from './session-store.js';
export { UserLinkStore, type UserLinkRecord } from './user-link-store.js';
export { LoginAttemptStore, type LoginAttemptRecord } from './login-attempt-store.js';
export { AuditStore, type AuditEntry, type AuditFilter, type NewAuditEntry } from './audit-store.js';
export {
  centerOfCollection,
  collectionIdIn,
  collectionIdShape,
  collectionSlugShape,
  resolveCollectionId,
  slugOfCollection,
} from './collection-ids.js';
export { SqlSharingStore, type CatalogueEntry, type CollectionOrigin, type SharingStore } from './sharing-store.js';
export { isOwnCollection, isVisibleToCenter, learnerCollections, noCollection } from './visible-collections.js';
export { VerifiedAnswerStore, type VerifiedAnswer, type VerifiedAnswerInput } from './verified-answer-store.js';
export { DocumentValidityStore, type DocumentValidity, type DocumentValidityPatch } from './document-validity-store.js';
export {
  LearnerConversationStore,
  type CourseLogRow,
  type LearnerConversation,
  type LearnerMessage,
} from './learner-conversation-store.js';
export {
  followerStaleAfterMs,
  SqlFollowerStore,
  type FollowerRecord,
  type FollowerStore,
  type SqlFollowerStoreOptions,
} from './follower-store.js';
export { isStoreUnavailable } from './store-unavailable.js';
export { ChangeListener, listenForChanges, type ChangeListenerOptions } from './postgres/index.js';
