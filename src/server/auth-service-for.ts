import { AuthService, type AuthOptions } from '../auth/index.js';
import { accountStores, SqliteStore, type TrogiangStore } from '../store/index.js';

/** The account service over the engine's store (its SQLite connection: one transaction covers both). */
export function authServiceFor(store: TrogiangStore, options: Partial<AuthOptions> = {}): AuthService {
  if (!(store instanceof SqliteStore)) throw new Error('teacher accounts need the SQLite store');
  return new AuthService(accountStores(store.db, options.now), options);
}
