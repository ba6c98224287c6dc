import { LtiError } from './lti-error.js';
import { newNonce, loginStateSeconds, signLoginState } from './login-state.js';
import type { LtiPlatformStore } from './platform-store.js';
import type { ToolKeys } from './tool-keys.js';

/** The parameters of an OIDC third-party login initiation (GET query or POST form). */
export interface LoginRequest {
  iss?: string;
  login_hint?: string;
  target_link_uri?: string;
  lti_message_hint?: string;
  client_id?: string;
  lti_deployment_id?: string;
}

/**
 * Answers a login initiation with the platform's authorisation URL to redirect to: an OIDC
 * implicit-flow request (`id_token`, `form_post`, `prompt=none`) with a signed state and a nonce
 * stored for the launch. An unknown issuer or client id is refused (`unknown_platform`).
 */
export async function loginRedirect(
  request: LoginRequest,
  deps: { platforms: LtiPlatformStore; keys: ToolKeys; redirectUri: string; now?: () => Date },
): Promise<string> {
  if (!request.iss || !request.login_hint) throw new LtiError('bad_request', 'iss and login_hint are required');
  const candidates = (await deps.platforms.byIssuer(request.iss)).filter((p) => !request.client_id || p.clientId === request.client_id);
  // Without a client id the issuer must name one registration.
  if (candidates.length !== 1)
    throw new LtiError('unknown_platform', `issuer ${request.iss}${request.client_id ? `, client ${request.client_id}` : ''}`);
  const platform = candidates[0]!;
  const nonce = newNonce();
  await deps.platforms.addNonce(nonce, new Date((deps.now?.() ?? new Date()).getTime() + loginStateSeconds * 1000));
  const state = await signLoginState(deps.keys, { platformId: platform.id, nonce });
  const url = new URL(platform.authUrl);
  const params: Record<string, string> = {
    scope: 'openid',
    response_type: 'id_token',
    response_mode: 'form_post',
    prompt: 'none',
    client_id: platform.clientId,
    redirect_uri: deps.redirectUri,
    login_hint: request.login_hint,
    state,
    nonce,
  };
  if (request.lti_message_hint) params.lti_message_hint = request.lti_message_hint;
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}
