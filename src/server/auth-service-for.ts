import { AuthService, type AuthOptions } from '../auth/index.js';
import { accountStores, type TrogiangStore } from '../store/index.js';

/**
 * The account service over the engine's store: its one `SqlDb` (SQLite's connection, or the
 * PostgreSQL pool every replica shares, so a session opened on one replica works on all).
 */
export function authServiceFor(store: TrogiangStore, options: Partial<AuthOptions> = {}): AuthService {
  return new AuthService(accountStores(store.sql, options.now), options);
}
