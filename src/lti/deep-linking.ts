import type { ToolKeys } from './tool-keys.js';
import { claim } from './lti-claims.js';

/**
 * The `LtiDeepLinkingResponse` a teacher's deep-linking launch returns: one LTI resource link to
 * the assistant, signed with the tool's key (issuer: the client id; audience: the platform).
 */
export function deepLinkingResponse(
  keys: ToolKeys,
  request: { clientId: string; issuer: string; deploymentId: string; data?: string; launchUrl: string; title: string; text: string },
): Promise<string> {
  const payload = {
    nonce: crypto.randomUUID(),
    [claim.messageType]: 'LtiDeepLinkingResponse',
    [claim.version]: '1.3.0',
    [claim.deploymentId]: request.deploymentId,
    [claim.contentItems]: [{ type: 'ltiResourceLink', title: request.title, text: request.text, url: request.launchUrl }],
    ...(request.data ? { [claim.deepLinkData]: request.data } : {}),
  };
  return keys.sign(payload, { issuer: request.clientId, audience: request.issuer, expiresIn: 600 });
}
