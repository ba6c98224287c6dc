export { deepLinkingResponse } from './deep-linking.js';
export {
  launchSessionSeconds,
  signLaunchSession,
  readLaunchSession,
  courseKey,
  learnerOwner,
  type LaunchSession,
} from './launch-session.js';
export { claim, deepLinkingRequest, isTeachingRole, resourceLinkRequest } from './lti-claims.js';
export { centerCollections } from './lti-center.js';
export { LtiError, ltiRefusals, type LtiRefusalCode } from './lti-error.js';
export { ltiServiceFor, type LearnerIdentity, type LtiService } from './lti-service.js';
export { loginRedirect, type LoginRequest } from './login-initiation.js';
export { loginStateSeconds, readLoginState, signLoginState, type LoginState } from './login-state.js';
export { moodlePaths, platformInputSchema, type PlatformFields, type PlatformInput } from './platform-input.js';
export { LtiPlatformStore, type LtiCourse, type LtiPlatform } from './platform-store.js';
export { retiredKeyKeepMs, ToolKeys } from './tool-keys.js';
export { launchClockSkewSeconds, verifyLaunch, type VerifiedLaunch } from './verify-launch.js';
export { isUserToken, maxUserTokenSeconds, UserTokenSecrets, verifyUserToken } from './user-token.js';
