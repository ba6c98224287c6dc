export { actorName, canManageCenter, isOperator, mayChangeCollection, userActor, type Actor } from './actor.js';
export { AuthError, type AuthErrorCode } from './auth-error.js';
export { AccountAdmin, type AccountAdminContext } from './account-admin.js';
export { auditEntryOf, type ActionSource } from './audit-entry-of.js';
export { AuthService, defaultAuthOptions, type AuthOptions, type LoginResult } from './auth-service.js';
export {
  centerNameSchema,
  centerRoleSchema,
  collectionLimitSchema,
  loginPasswordSchema,
  minPasswordLength,
  newPasswordSchema,
  usernameSchema,
} from './account-input.js';
export { defaultLoginThrottle, LoginThrottle, type LoginThrottleOptions } from './login-throttle.js';
export { defaultScryptParams, hashPassword, needsRehash, parsePasswordHash, verifyPassword, type ScryptParams } from './password-hash.js';
export { hashSecret, newSecret } from './secret-token.js';
