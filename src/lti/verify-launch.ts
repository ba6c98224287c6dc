import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import { claim, deepLinkingRequest, isTeachingRole, resourceLinkRequest } from './lti-claims.js';
import { LtiError } from './lti-error.js';
import type { LtiPlatform, LtiPlatformStore } from './platform-store.js';
import type { LoginState } from './login-state.js';

/** Clock skew allowed on `exp` and `iat` (seconds): a platform's clock may be a little off. */
export const launchClockSkewSeconds = 60;

/** What a verified launch tells the tool. Names and e-mails are not kept: `sub` identifies the learner. */
export interface VerifiedLaunch {
  platform: LtiPlatform;
  messageType: typeof resourceLinkRequest | typeof deepLinkingRequest;
  deploymentId: string;
  sub: string;
  teacher: boolean;
  /** The course's context id (the resource link id when the platform sends no context). */
  contextId: string;
  contextTitle: string;
  /** Deep linking: where to post the response, and the platform's opaque `data` to echo. */
  deepLinking?: { returnUrl: string; data?: string };
  /** English when the platform's locale is English (Moodle sends `launch_presentation.locale`), else Vietnamese. */
  lang: 'vi' | 'en';
}

/** The platform's JWKS resolvers, one per JWKS URL, so keys are fetched once and cached (10 min). */
export type JwksResolver = ReturnType<typeof createRemoteJWKSet>;
export function jwksCache(): (url: string) => JwksResolver {
  const cache = new Map<string, JwksResolver>();
  return (url) => {
    let set = cache.get(url);
    if (!set) {
      set = createRemoteJWKSet(new URL(url), { cacheMaxAge: 600_000, cooldownDuration: 30_000, timeoutDuration: 5_000 });
      cache.set(url, set);
    }
    return set;
  };
}

/** jose's error codes as refusals; anything else from the key fetch means the platform could not be reached. */
function refusalOf(error: unknown): LtiError {
  const e = error as { code?: string; claim?: string; message?: string };
  switch (e.code) {
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return new LtiError('bad_signature');
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return new LtiError('unknown_key');
    case 'ERR_JWT_EXPIRED':
      return new LtiError('expired');
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return e.claim === 'aud' ? new LtiError('wrong_audience') : new LtiError('invalid_token', e.message);
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return new LtiError('invalid_token', e.message);
    default:
      return new LtiError('platform_unreachable', e.message);
  }
}

const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/**
 * Verifies a launch: the platform named by the state, the id_token's RS256 signature against the
 * platform's JWKS, `iss`, `aud` / `azp`, `exp` / `iat` (with `launchClockSkewSeconds`), the nonce
 * (the state's, used once), a registered deployment, LTI version 1.3.0 and a known message type.
 */
export async function verifyLaunch(
  idToken: string,
  state: LoginState,
  deps: { platforms: LtiPlatformStore; jwks: (url: string) => JwksResolver; now?: () => Date },
): Promise<VerifiedLaunch> {
  const platform = await deps.platforms.get(state.platformId);
  if (!platform) throw new LtiError('state_mismatch', 'the platform of this login is no longer registered');
  let unverified: JWTPayload;
  try {
    unverified = decodeJwt(idToken);
  } catch {
    throw new LtiError('invalid_token', 'id_token is not a JWT');
  }
  if (unverified.iss !== platform.issuer) throw new LtiError('state_mismatch', 'the token comes from another issuer than the login');

  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, deps.jwks(platform.jwksUrl), {
      issuer: platform.issuer,
      audience: platform.clientId,
      algorithms: ['RS256'],
      clockTolerance: launchClockSkewSeconds,
      requiredClaims: ['iat', 'exp', 'sub', 'nonce'],
      currentDate: deps.now?.(),
    }));
  } catch (error) {
    throw refusalOf(error);
  }
  const now = (deps.now?.() ?? new Date()).getTime() / 1000;
  if (typeof payload.iat !== 'number' || payload.iat > now + launchClockSkewSeconds)
    throw new LtiError('invalid_token', 'iat is in the future');
  // With several audiences the authorised party must be this tool; when present it must be anyway.
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if ((audiences.length > 1 || payload.azp !== undefined) && payload.azp !== platform.clientId)
    throw new LtiError('wrong_audience', 'azp is not this tool');
  if (payload.nonce !== state.nonce) throw new LtiError('state_mismatch', 'the nonce is not the one of this login');
  if (!(await deps.platforms.useNonce(state.nonce))) throw new LtiError('replayed_nonce');

  const deploymentId = payload[claim.deploymentId];
  if (!isString(deploymentId)) throw new LtiError('bad_lti_claim', 'deployment_id is missing');
  if (!platform.deploymentIds.includes(deploymentId))
    throw new LtiError('unknown_deployment', `deployment "${deploymentId}" is not registered`);
  if (payload[claim.version] !== '1.3.0') throw new LtiError('bad_lti_claim', 'version is not 1.3.0');
  const messageType = payload[claim.messageType];
  if (messageType !== resourceLinkRequest && messageType !== deepLinkingRequest)
    throw new LtiError('bad_lti_claim', 'unknown message_type');
  const roles = payload[claim.roles];
  if (!Array.isArray(roles) || !roles.every(isString)) throw new LtiError('bad_lti_claim', 'roles is missing');
  if (!isString(payload.sub)) throw new LtiError('bad_lti_claim', 'sub is missing');

  const context = payload[claim.context] as { id?: unknown; title?: unknown } | undefined;
  const resourceLink = payload[claim.resourceLink] as { id?: unknown } | undefined;
  let deepLinking: VerifiedLaunch['deepLinking'];
  if (messageType === resourceLinkRequest) {
    if (!isString(resourceLink?.id)) throw new LtiError('bad_lti_claim', 'resource_link.id is missing');
  } else {
    const settings = payload[claim.deepLinkingSettings] as { deep_link_return_url?: unknown; data?: unknown } | undefined;
    if (!isString(settings?.deep_link_return_url)) throw new LtiError('bad_lti_claim', 'deep_link_return_url is missing');
    deepLinking = { returnUrl: settings.deep_link_return_url, ...(isString(settings.data) ? { data: settings.data } : {}) };
  }
  const contextId = isString(context?.id) ? context.id : isString(resourceLink?.id) ? `link:${resourceLink.id}` : undefined;
  if (!contextId) throw new LtiError('bad_lti_claim', 'context.id is missing');
  const presentation = payload[claim.launchPresentation] as { locale?: unknown } | undefined;
  const locale = typeof presentation?.locale === 'string' ? presentation.locale : typeof payload.locale === 'string' ? payload.locale : '';
  return {
    platform,
    lang: /^en\b/i.test(locale) ? 'en' : 'vi',
    messageType,
    deploymentId,
    sub: payload.sub,
    teacher: isTeachingRole(roles),
    contextId,
    contextTitle: typeof context?.title === 'string' ? context.title.slice(0, 200) : '',
    ...(deepLinking ? { deepLinking } : {}),
  };
}
