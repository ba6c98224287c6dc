import { randomBytes } from 'node:crypto';
import { LtiError } from './lti-error.js';
import type { ToolKeys } from './tool-keys.js';

/** How long a login may take from the redirect to the launch (seconds). */
export const loginStateSeconds = 600;

const stateAudience = 'trogiang:lti-state';

/** What the state carries from the login to the launch: which platform, and the nonce sent. */
export interface LoginState {
  platformId: string;
  nonce: string;
}

/** A new random nonce (stored by the caller, used once by the launch). */
export const newNonce = (): string => randomBytes(18).toString('base64url');

/**
 * The `state` of a login: a short-lived JWT signed with the tool's key, so the launch can check it
 * without a cookie (browsers block third-party cookies in an LMS's iframe).
 */
export function signLoginState(keys: ToolKeys, state: LoginState): Promise<string> {
  return keys.sign({ pid: state.platformId, nonce: state.nonce }, { audience: stateAudience, expiresIn: loginStateSeconds });
}

/** The login a state was made for; `state_mismatch` when it is not ours, altered or expired. */
export async function readLoginState(keys: ToolKeys, token: string): Promise<LoginState> {
  try {
    const payload = await keys.verifyOwn(token, stateAudience);
    if (typeof payload.pid !== 'string' || typeof payload.nonce !== 'string') throw new Error('incomplete state');
    return { platformId: payload.pid, nonce: payload.nonce };
  } catch (error) {
    throw new LtiError('state_mismatch', (error as Error).message);
  }
}
