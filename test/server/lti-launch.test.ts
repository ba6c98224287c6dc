/**
 * LTI 1.3 through the real service: a simulated platform on loopback (its own RSA keys, its JWKS
 * over HTTP, id_tokens signed with jose) registers, logs in, launches as a Learner and as an
 * Instructor, and is refused for each kind of bad token. Deep linking answers with a JWT that
 * verifies against the tool's /lti/jwks; a learner's history follows them to a second launch and
 * is never shown to another learner.
 */
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAt, ltiClaim, postLaunch, startPlatform, type SimulatedPlatform } from '../support/lti-platform.js';
import { startService, type RunningService } from '../support/start-service.js';

let svc: RunningService;
let platform: SimulatedPlatform;
let collection: string;

/** A full launch: login at the tool, then the id_token (built by `build` from the redirect's nonce) posted with the state. */
async function launch(
  build: (nonce: string) => JWTPayload = (nonce) => platform.claims(nonce, { sub: 'learner-1', toolUrl: `${svc.baseURL}/lti/launch` }),
  sign: (payload: JWTPayload) => Promise<string> = (p) => platform.sign(p),
): Promise<{ response: Response; html: string; state: string; idToken: string }> {
  const login = await loginAt(svc.baseURL, platform);
  expect(login.status).toBe(302);
  const state = login.location!.searchParams.get('state')!;
  const idToken = await sign(build(login.location!.searchParams.get('nonce')!));
  const response = await postLaunch(svc.baseURL, { id_token: idToken, state });
  return { response, html: await response.text(), state, idToken };
}

/** The learner token the chat page carries (its config JSON). */
const tokenOf = (html: string): string => {
  const config = JSON.parse(/<script type="application\/json" id="tg-config">([\s\S]*?)<\/script>/.exec(html)![1]!);
  return config.lti.token as string;
};

const ask = async (token: string, message: string, conversationId?: string) =>
  fetch(`${svc.baseURL}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', 'x-learner-token': token },
    body: JSON.stringify({ message, ...(conversationId ? { conversationId } : {}) }),
  });

const history = (token: string, path = '') =>
  fetch(`${svc.baseURL}/api/learner/conversations${path}`, { headers: { 'x-learner-token': token } });

beforeAll(async () => {
  [svc, platform] = await Promise.all([startService({ RATE_LIMIT_PER_MINUTE: '1000' }), startPlatform()]);
  const made = await svc.admin('/lti/platforms', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(platform.registration),
  });
  expect(made.status).toBe(201);
  collection = (await (await svc.admin('/collections')).json()).collections[0].id;
  // A second collection the course will not use.
  await svc.admin('/collections', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id: 'khac', name: 'Khác' }),
  });
}, 120_000);

afterAll(async () => {
  await platform?.close();
  await svc?.close();
});

describe('platform registration', () => {
  it('lists the platform with the values to paste into Moodle', async () => {
    const body = await (await svc.admin('/lti/platforms')).json();
    expect(body.platforms).toEqual([expect.objectContaining({ issuer: platform.url, clientId: platform.clientId, deploymentIds: ['1'] })]);
    expect(body.tool).toEqual(
      expect.objectContaining({
        toolUrl: `${svc.baseURL}/lti/launch`,
        loginUrl: `${svc.baseURL}/lti/login`,
        publicKeysetUrl: `${svc.baseURL}/lti/jwks`,
      }),
    );
  });

  it("fills in Moodle's standard paths from a Moodle base URL", async () => {
    const r = await svc.admin('/lti/platforms', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ moodleUrl: 'https://lms.example.edu.vn/', clientId: 'abc', deploymentIds: ['7'] }),
    });
    expect(r.status).toBe(201);
    const { platform: p } = await r.json();
    expect(p).toMatchObject({
      issuer: 'https://lms.example.edu.vn',
      authUrl: 'https://lms.example.edu.vn/mod/lti/auth.php',
      tokenUrl: 'https://lms.example.edu.vn/mod/lti/token.php',
      jwksUrl: 'https://lms.example.edu.vn/mod/lti/certs.php',
    });
    expect((await svc.admin(`/lti/platforms/${p.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await svc.admin(`/lti/platforms/${p.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('refuses a registration without an issuer (400 naming the field), a duplicate (409), and no token (401)', async () => {
    const bad = await svc.admin('/lti/platforms', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientId: 'x', deploymentIds: ['1'] }),
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.field).toBe('issuer');
    const again = await svc.admin('/lti/platforms', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(platform.registration),
    });
    expect(again.status).toBe(409);
    const anonymous = await fetch(`${svc.baseURL}/api/admin/lti/platforms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(platform.registration),
    });
    expect(anonymous.status).toBe(401);
  });
});

describe('tool keys', () => {
  it('publishes public RSA keys only', async () => {
    const { keys } = await (await fetch(`${svc.baseURL}/lti/jwks`)).json();
    expect(keys.length).toBeGreaterThanOrEqual(1);
    for (const k of keys) {
      expect(k).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
      expect(k.kid).toBeTruthy();
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(k).not.toHaveProperty(secret);
    }
  });
});

describe('login initiation', () => {
  it("redirects to the platform's authorisation URL with the OIDC parameters", async () => {
    const { status, location } = await loginAt(svc.baseURL, platform);
    expect(status).toBe(302);
    expect(location!.origin + location!.pathname).toBe(platform.registration.authUrl);
    const q = Object.fromEntries(location!.searchParams);
    expect(q).toMatchObject({
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: platform.clientId,
      redirect_uri: `${svc.baseURL}/lti/launch`,
      login_hint: 'user-hint',
      lti_message_hint: 'msg-hint-42',
    });
    expect(q.state!.split('.')).toHaveLength(3);
    expect(q.nonce!.length).toBeGreaterThanOrEqual(16);
  });

  it('works as a form POST too', async () => {
    const r = await fetch(`${svc.baseURL}/lti/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        iss: platform.url,
        login_hint: 'u',
        target_link_uri: `${svc.baseURL}/lti/launch`,
        client_id: platform.clientId,
      }),
      redirect: 'manual',
    });
    expect(r.status).toBe(302);
  });

  it('refuses an unknown issuer or client with a 400 page in both languages', async () => {
    for (const extra of [{ iss: 'https://other.example' }, { client_id: 'nobody' }] as Array<Record<string, string>>) {
      const { status, body } = await loginAt(svc.baseURL, platform, extra);
      expect(status).toBe(400);
      expect(body).toContain('chưa được đăng ký');
      expect(body).toContain('not registered');
    }
  });
});

describe('launch', () => {
  it("an Instructor's first launch chooses the course's collections, then opens the chat", async () => {
    const { response, html } = await launch((nonce) =>
      platform.claims(nonce, { sub: 'teacher-1', teacher: true, toolUrl: `${svc.baseURL}/lti/launch` }),
    );
    expect(response.status).toBe(200);
    expect(html).toContain(`value="${collection}"`);
    const token = /name="token" value="([^"]+)"/.exec(html)![1]!;
    const none = await fetch(`${svc.baseURL}/lti/course`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }),
    });
    expect(none.status).toBe(400);
    const saved = await fetch(`${svc.baseURL}/lti/course`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, collections: collection }),
    });
    expect(saved.status).toBe(200);
    const page = await saved.text();
    expect(page).toContain('id="tg-config"');
    expect(saved.headers.get('content-security-policy')).toContain(`frame-ancestors ${platform.url}`);
    // A later launch goes straight to the chat.
    const again = await launch((nonce) =>
      platform.claims(nonce, { sub: 'teacher-1', teacher: true, toolUrl: `${svc.baseURL}/lti/launch` }),
    );
    expect(again.html).toContain('id="tg-config"');
    expect(JSON.parse(/id="tg-config">([\s\S]*?)<\/script>/.exec(again.html)![1]!).lti.teacher).toBe(true);
  });

  it("a Learner's launch opens the chat, which answers from the course's collection only", async () => {
    const { response, html } = await launch();
    expect(response.status).toBe(200);
    const token = tokenOf(html);
    const r = await ask(token, 'Học phí lớp tin học cơ bản là bao nhiêu?');
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(body.answer).toContain('450.000');
    const other = await fetch(`${svc.baseURL}/api/search?q=h%E1%BB%8Dc%20ph%C3%AD&collection=khac`, {
      headers: { 'x-learner-token': token },
    });
    // Outside the course's collections: the same 404 as a collection of another center (docs/centers.md).
    expect(other.status).toBe(404);
    const forged = await ask(`${token.slice(0, -4)}AAAA`, 'Học phí?');
    expect(forged.status).toBe(401);
  });

  const refusals: Array<[string, number, string, (nonce: string) => JWTPayload, ((p: JWTPayload) => Promise<string>)?]> = [
    [
      'a wrong signature',
      401,
      'bad_signature',
      (n) => platform.claims(n, { sub: 'x', toolUrl: '' }),
      (p) => platform.sign(p, { key: platform.strangerKey.privateKey }),
    ],
    [
      'an unknown key id',
      401,
      'unknown_key',
      (n) => platform.claims(n, { sub: 'x', toolUrl: '' }),
      (p) => platform.sign(p, { kid: 'rotated-away' }),
    ],
    [
      'an expired token',
      401,
      'expired',
      (n) => platform.claims(n, { sub: 'x', toolUrl: '' }),
      (p) => platform.sign(p, { iat: Math.floor(Date.now() / 1000) - 3600, expiresIn: 600 }),
    ],
    ['a wrong audience', 401, 'wrong_audience', (n) => ({ ...platform.claims(n, { sub: 'x', toolUrl: '' }), aud: 'another-tool' })],
    [
      'several audiences without this azp',
      401,
      'wrong_audience',
      (n) => ({ ...platform.claims(n, { sub: 'x', toolUrl: '' }), aud: [platform.clientId, 'other'], azp: 'other' }),
    ],
    [
      'an unregistered deployment',
      403,
      'unknown_deployment',
      (n) => ({ ...platform.claims(n, { sub: 'x', toolUrl: '' }), [ltiClaim.deploymentId]: '99' }),
    ],
    [
      'a missing LTI version',
      400,
      'bad_lti_claim',
      (n) => ({ ...platform.claims(n, { sub: 'x', toolUrl: '' }), [ltiClaim.version]: undefined }),
    ],
    ['a wrong LTI version', 400, 'bad_lti_claim', (n) => ({ ...platform.claims(n, { sub: 'x', toolUrl: '' }), [ltiClaim.version]: '1.1' })],
    [
      'a wrong message type',
      400,
      'bad_lti_claim',
      (n) => ({ ...platform.claims(n, { sub: 'x', toolUrl: '' }), [ltiClaim.messageType]: 'LtiSubmissionReviewRequest' }),
    ],
    [
      'a missing resource link',
      400,
      'bad_lti_claim',
      (n) => ({ ...platform.claims(n, { sub: 'x', toolUrl: '' }), [ltiClaim.resourceLink]: undefined }),
    ],
    ['another nonce than the login', 400, 'state_mismatch', () => platform.claims('not-the-nonce', { sub: 'x', toolUrl: '' })],
  ];
  for (const [name, status, code, build, sign] of refusals) {
    it(`refuses ${name} (${status} ${code})`, async () => {
      const { response, html } = await launch(build, sign);
      expect(response.status).toBe(status);
      expect(html).toContain(`code: ${code}`);
      expect(html).toContain('Không mở được trợ giảng');
    });
  }

  it("opens the chat in English when the platform's locale is English", async () => {
    const { html } = await launch((n) => ({
      ...platform.claims(n, { sub: 'learner-en', toolUrl: '' }),
      'https://purl.imsglobal.org/spec/lti/claim/launch_presentation': { locale: 'en', document_target: 'iframe' },
    }));
    expect(JSON.parse(/id="tg-config">([\s\S]*?)<\/script>/.exec(html)![1]!).lang).toBe('en');
    expect(html).toContain('<html lang="en">');
  });

  it('answers a form that is too large or unreadable with a 4xx page, never a 500', async () => {
    const big = await postLaunch(svc.baseURL, { id_token: 'x'.repeat(100_000), state: 'y' });
    expect(big.status).toBe(413);
    expect(await big.text()).toContain('Không mở được trợ giảng');
    const broken = await fetch(`${svc.baseURL}/lti/launch`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=zzz' },
      body: '--zzz\r\nbroken',
    });
    expect(broken.status).toBeGreaterThanOrEqual(400);
    expect(broken.status).toBeLessThan(500);
    const empty = await fetch(`${svc.baseURL}/lti/launch`, { method: 'POST' });
    expect(empty.status).toBe(400);
  });

  it('refuses a replayed launch (the nonce is used once)', async () => {
    const first = await launch();
    expect(first.response.status).toBe(200);
    const replay = await postLaunch(svc.baseURL, { id_token: first.idToken, state: first.state });
    expect(replay.status).toBe(401);
    expect(await replay.text()).toContain('code: replayed_nonce');
  });

  it('refuses a state that does not match: altered, or from another login', async () => {
    const login = await loginAt(svc.baseURL, platform);
    const nonce = login.location!.searchParams.get('nonce')!;
    const idToken = await platform.sign(platform.claims(nonce, { sub: 'x', toolUrl: '' }));
    const other = (await loginAt(svc.baseURL, platform)).location!.searchParams.get('state')!;
    for (const state of [`${login.location!.searchParams.get('state')!}x`, other, 'not-a-state']) {
      const r = await postLaunch(svc.baseURL, { id_token: idToken, state });
      expect(r.status).toBe(400);
      expect(await r.text()).toContain('code: state_mismatch');
    }
    const missing = await postLaunch(svc.baseURL, { state: other });
    expect(missing.status).toBe(400);
  });
});

describe('deep linking', () => {
  it('answers an Instructor with an LtiDeepLinkingResponse that verifies against /lti/jwks', async () => {
    const returnUrl = `${platform.url}/mod/lti/contentitem_return.php?course=3`;
    const { response, html } = await launch((nonce) => ({
      ...platform.claims(nonce, { sub: 'teacher-1', teacher: true, toolUrl: '' }),
      [ltiClaim.messageType]: 'LtiDeepLinkingRequest',
      [ltiClaim.resourceLink]: undefined,
      [ltiClaim.deepLinkingSettings]: { deep_link_return_url: returnUrl, accept_types: ['ltiResourceLink'], data: 'opaque-42' },
    }));
    expect(response.status).toBe(200);
    expect(html).toContain(`action="${returnUrl.replace('&', '&amp;')}"`);
    const jwt = /name="JWT" value="([^"]+)"/.exec(html)![1]!;
    const { payload } = await jwtVerify(jwt, createRemoteJWKSet(new URL(`${svc.baseURL}/lti/jwks`)), {
      issuer: platform.clientId,
      audience: platform.url,
      algorithms: ['RS256'],
    });
    expect(decodeProtectedHeader(jwt).kid).toBeTruthy();
    expect(payload['https://purl.imsglobal.org/spec/lti/claim/message_type']).toBe('LtiDeepLinkingResponse');
    expect(payload['https://purl.imsglobal.org/spec/lti/claim/version']).toBe('1.3.0');
    expect(payload['https://purl.imsglobal.org/spec/lti/claim/deployment_id']).toBe('1');
    expect(payload['https://purl.imsglobal.org/spec/lti-dl/claim/data']).toBe('opaque-42');
    expect(payload['https://purl.imsglobal.org/spec/lti-dl/claim/content_items']).toEqual([
      expect.objectContaining({ type: 'ltiResourceLink', url: `${svc.baseURL}/lti/launch` }),
    ]);
  });
});

describe("learners' own history", () => {
  it('follows a learner to a second launch, is never shown to another learner, and can be deleted', async () => {
    const first = tokenOf((await launch((n) => platform.claims(n, { sub: 'learner-h', toolUrl: '' }))).html);
    const answered = await (await ask(first, 'Thư viện mở cửa lúc mấy giờ?')).json();
    // Another device: a new launch, a new token.
    const second = tokenOf((await launch((n) => platform.claims(n, { sub: 'learner-h', toolUrl: '' }))).html);
    expect(second).not.toBe(first);
    const listed = (await (await history(second)).json()).conversations;
    expect(listed).toEqual([expect.objectContaining({ id: answered.conversationId, title: 'Thư viện mở cửa lúc mấy giờ?', messages: 1 })]);
    const messages = (await (await history(second, `/${answered.conversationId}`)).json()).messages;
    expect(messages[0]).toMatchObject({ question: 'Thư viện mở cửa lúc mấy giờ?', answerable: true });
    // The same learner may continue it.
    expect((await ask(second, 'Còn thứ Bảy thì sao?', answered.conversationId)).status).toBe(200);

    const stranger = tokenOf((await launch((n) => platform.claims(n, { sub: 'learner-other', toolUrl: '' }))).html);
    expect((await (await history(stranger)).json()).conversations).toEqual([]);
    expect((await history(stranger, `/${answered.conversationId}`)).status).toBe(404);
    expect((await ask(stranger, 'Học phí?', answered.conversationId)).status).toBe(404);
    // Nor anonymously.
    const anonymous = await fetch(`${svc.baseURL}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ message: 'Học phí?', conversationId: answered.conversationId }),
    });
    expect(anonymous.status).toBe(404);

    const deleted = await fetch(`${svc.baseURL}/api/learner/conversations`, { method: 'DELETE', headers: { 'x-learner-token': second } });
    expect((await deleted.json()).deleted).toBe(1);
    expect((await (await history(first)).json()).conversations).toEqual([]);
  });

  it("shows the course's questions to its Instructor, and never to a Learner", async () => {
    const learner = tokenOf((await launch((n) => platform.claims(n, { sub: 'learner-log', toolUrl: '' }))).html);
    const declined = await (await ask(learner, 'Giá vé máy bay đi Đà Nẵng là bao nhiêu?')).json();
    expect(declined.answerable).toBe(false);
    const teacher = tokenOf((await launch((n) => platform.claims(n, { sub: 'teacher-1', teacher: true, toolUrl: '' }))).html);
    const post = (token: string, only: string) =>
      fetch(`${svc.baseURL}/lti/course/log`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token, only }),
      });
    const log = await post(teacher, 'unanswered');
    expect(log.status).toBe(200);
    expect(await log.text()).toContain('Giá vé máy bay đi Đà Nẵng');
    const refused = await post(learner, 'all');
    expect(refused.status).toBe(403);
  });
});

describe('key rotation', () => {
  it('publishes the new key first and keeps the old one, so earlier tokens still verify', async () => {
    const before = await launch();
    const token = tokenOf(before.html);
    const { keys: old } = await (await fetch(`${svc.baseURL}/lti/jwks`)).json();
    const rotated = await (await svc.admin('/lti/keys/rotate', { method: 'POST' })).json();
    const { keys } = await (await fetch(`${svc.baseURL}/lti/jwks`)).json();
    expect(keys[0].kid).toBe(rotated.kid);
    expect(keys.map((k: { kid: string }) => k.kid)).toEqual(expect.arrayContaining(old.map((k: { kid: string }) => k.kid)));
    expect((await ask(token, 'Học phí?')).status).toBe(200);
    const after = await launch();
    expect(decodeProtectedHeader(tokenOf(after.html)).kid).toBe(rotated.kid);
    expect(svc.logs.join('')).not.toMatch(/"d":"|private_jwk/);
  });
});
