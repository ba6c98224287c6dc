/**
 * A simulated LTI 1.3 platform on loopback (a stand-in for Moodle): its own RSA keys, its JWKS
 * served over HTTP, and id_tokens signed with jose. It drives a tool's login and launch as
 * Moodle does: login initiation, the authorisation redirect, and a form post of the id_token.
 */
import { serve, type ServerType } from '@hono/node-server';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import type { AddressInfo } from 'node:net';
import { claim } from '../../src/lti/lti-claims.js';

/** The claim names, as the tool reads them. */
export const ltiClaim = claim;

export const roles = {
  learner: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
  instructor: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'],
};

type Key = Awaited<ReturnType<typeof generateKeyPair>>;

export interface SimulatedPlatform {
  url: string;
  clientId: string;
  deploymentId: string;
  /** The registration to POST to /api/admin/lti/platforms. */
  registration: { issuer: string; clientId: string; deploymentIds: string[]; authUrl: string; tokenUrl: string; jwksUrl: string };
  /** Signs an id_token with the platform's published key (or `key` / `kid` to test refusals). */
  sign(payload: JWTPayload, options?: { key?: CryptoKey; kid?: string; expiresIn?: number; iat?: number }): Promise<string>;
  /** Claims of a valid resource-link launch for `sub` in `course`. */
  claims(nonce: string, o: { sub: string; teacher?: boolean; course?: string; toolUrl: string }): JWTPayload;
  /** Pages the test serves on the platform's origin (path → HTML). */
  pages: Map<string, string>;
  /** A key the platform does not publish. */
  strangerKey: Key;
  /** Who the browser is signed in to the platform as: auth.php answers for them. */
  user: { sub: string; teacher: boolean; course: string };
  /** The HTML of Moodle's launch.php for the tool: an auto-submitting login initiation form. */
  launchPage(toolURL: string): string;
  close(): Promise<void>;
}

const autoPost = (action: string, fields: Record<string, string>) =>
  `<!doctype html><html><body><form id="f" method="post" action="${action}">${Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${k}" value="${v.replace(/"/g, '&quot;')}">`)
    .join('')}</form><script>document.getElementById('f').submit()</script></body></html>`;

/** `publicHost`: the host name in the platform's URLs (`localhost`, another origin than the tool's 127.0.0.1). */
export async function startPlatform(options: { hostname?: string; publicHost?: string } = {}): Promise<SimulatedPlatform> {
  const key = await generateKeyPair('RS256');
  const strangerKey = await generateKeyPair('RS256');
  const kid = 'platform-key-1';
  const jwks = { keys: [{ ...(await exportJWK(key.publicKey)), kid, alg: 'RS256', use: 'sig' }] };
  const pages = new Map<string, string>();
  const clientId = 'trogiang-client-1';
  const user = { sub: 'learner-1', teacher: false, course: 'course-3' };
  let platform: SimulatedPlatform;
  // Moodle's auth.php: the OIDC authorisation endpoint, answering with a form_post of the id_token.
  const authorise = async (q: URLSearchParams): Promise<Response> => {
    if (
      q.get('client_id') !== clientId ||
      q.get('response_mode') !== 'form_post' ||
      q.get('prompt') !== 'none' ||
      q.get('scope') !== 'openid'
    ) {
      return new Response('bad authorisation request', { status: 400 });
    }
    const token = await platform.sign(
      platform.claims(q.get('nonce')!, { sub: user.sub, teacher: user.teacher, course: user.course, toolUrl: q.get('redirect_uri')! }),
    );
    return new Response(autoPost(q.get('redirect_uri')!, { id_token: token, state: q.get('state')! }), {
      headers: { 'content-type': 'text/html; charset=utf-8' },
    });
  };
  const server: ServerType = await new Promise((resolve) => {
    const s = serve(
      {
        port: 0,
        hostname: options.hostname ?? '127.0.0.1',
        fetch: (req) => {
          const path = new URL(req.url).pathname;
          if (path === '/mod/lti/certs.php') return Response.json(jwks);
          if (path === '/mod/lti/auth.php') return authorise(new URL(req.url).searchParams);
          const page = pages.get(path);
          if (page) return new Response(page, { headers: { 'content-type': 'text/html; charset=utf-8' } });
          return new Response('not found', { status: 404 });
        },
      },
      () => resolve(s),
    );
  });
  const url = `http://${options.publicHost ?? options.hostname ?? '127.0.0.1'}:${(server.address() as AddressInfo).port}`;
  const deploymentId = '1';
  platform = {
    url,
    clientId,
    deploymentId,
    registration: {
      issuer: url,
      clientId,
      deploymentIds: [deploymentId],
      authUrl: `${url}/mod/lti/auth.php`,
      tokenUrl: `${url}/mod/lti/token.php`,
      jwksUrl: `${url}/mod/lti/certs.php`,
    },
    pages,
    strangerKey,
    user,
    launchPage: (toolURL) =>
      autoPost(`${toolURL}/lti/login`, {
        iss: url,
        login_hint: user.sub,
        target_link_uri: `${toolURL}/lti/launch`,
        lti_message_hint: '{"cmid":3,"launchid":"ltilaunch1"}',
        client_id: clientId,
        lti_deployment_id: deploymentId,
      }),
    sign: (payload, o = {}) => {
      const now = Math.floor(Date.now() / 1000);
      const iat = o.iat ?? now;
      return new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', kid: o.kid ?? kid, typ: 'JWT' })
        .setIssuedAt(iat)
        .setExpirationTime(iat + (o.expiresIn ?? 300))
        .sign(o.key ?? key.privateKey);
    },
    claims: (nonce, o) => ({
      iss: url,
      aud: clientId,
      sub: o.sub,
      nonce,
      [ltiClaim.messageType]: 'LtiResourceLinkRequest',
      [ltiClaim.version]: '1.3.0',
      [ltiClaim.deploymentId]: deploymentId,
      [ltiClaim.targetLinkUri]: o.toolUrl,
      [ltiClaim.resourceLink]: { id: 'rl-1', title: 'Trợ giảng' },
      [ltiClaim.roles]: o.teacher ? roles.instructor : roles.learner,
      [ltiClaim.context]: {
        id: o.course ?? 'course-3',
        title: 'Tin học cơ bản',
        type: ['http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering'],
      },
    }),
    close: () =>
      new Promise<void>((resolve) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
  return platform;
}

/** Runs a login initiation against the tool and returns the redirect's parameters (state, nonce…). */
export async function loginAt(
  toolURL: string,
  platform: SimulatedPlatform,
  extra: Record<string, string> = {},
): Promise<{ status: number; location: URL | null; body: string }> {
  const params = new URLSearchParams({
    iss: platform.url,
    login_hint: 'user-hint',
    target_link_uri: `${toolURL}/lti/launch`,
    lti_message_hint: 'msg-hint-42',
    client_id: platform.clientId,
    lti_deployment_id: platform.deploymentId,
    ...extra,
  });
  const r = await fetch(`${toolURL}/lti/login?${params}`, { redirect: 'manual' });
  const location = r.headers.get('location');
  return { status: r.status, location: location ? new URL(location) : null, body: await r.text() };
}

/** Posts an id_token and state to the tool's launch URL, as the platform's auto-submitting form does. */
export function postLaunch(toolURL: string, fields: Record<string, string>): Promise<Response> {
  return fetch(`${toolURL}/lti/launch`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
    redirect: 'manual',
  });
}
