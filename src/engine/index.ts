export {
  Engine,
  ReadOnlyEngineError,
  type EngineOptions,
  type FollowerEngineOptions,
  type ListenForChanges,
  type ReplicaEngineOptions,
  type IngestItem,
  type IngestOutcome,
} from './engine.js';
export { IndexSet, type LoadedIndexSet } from './index-set.js';
export { Ingestor } from './ingestor.js';
export { engineErrorCodes, type EngineErrorCode, type IngestFailureCode } from './engine-errors.js';
export { documentId, contentHash } from './document-id.js';
export { collectFiles } from './collect-files.js';
export { checkConsistency } from './check-consistency.js';
export { backupDataFolder, restoreDataFolder } from './backup.js';
export {
  acquireDataFolderLock,
  acquireFollowerLock,
  liveFollowers,
  dataFolderHolder,
  dataFolderInUseExitCode,
  DataFolderInUse,
  DataFolderLock,
  type LockHolder,
} from './data-folder-lock.js';
export { IndexFollower, type FollowerLag } from './index-follower.js';
export { followerRegistryOf, trimForReplicas, type FollowerRegistry } from './follower-registry.js';
