/**
 * The LTI parts that need no platform: the registration schema (Moodle's standard paths), the
 * teaching roles, the tool key's rotation and how long a retired key stays published, the nonce
 * used once, and the login state's signature.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isTeachingRole } from '../../src/lti/lti-claims.js';
import { readLoginState, signLoginState } from '../../src/lti/login-state.js';
import { platformInputSchema } from '../../src/lti/platform-input.js';
import { LtiPlatformStore } from '../../src/lti/platform-store.js';
import { retiredKeyKeepMs, ToolKeys } from '../../src/lti/tool-keys.js';
import { SqliteStore } from '../../src/store/index.js';

const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});
/** A database with every migration applied the way the store applies them (its one SqlDb). */
const migrated = () => {
  const store = new SqliteStore(':memory:');
  stores.push(store);
  return store.sql;
};

describe('platformInputSchema', () => {
  it("fills the issuer and Moodle's three paths from a Moodle address; given fields win", () => {
    const parsed = platformInputSchema.parse({
      moodleUrl: 'https://lms.vn/moodle/',
      clientId: ' abc ',
      deploymentIds: ['1', '1', '2'],
      jwksUrl: 'https://keys.lms.vn/jwks',
    });
    expect(parsed).toEqual({
      issuer: 'https://lms.vn/moodle',
      clientId: 'abc',
      deploymentIds: ['1', '2'],
      authUrl: 'https://lms.vn/moodle/mod/lti/auth.php',
      tokenUrl: 'https://lms.vn/moodle/mod/lti/token.php',
      jwksUrl: 'https://keys.lms.vn/jwks',
    });
  });

  it('refuses a registration missing a URL, a deployment, or with a non-http address', () => {
    expect(platformInputSchema.safeParse({ issuer: 'https://a.vn', clientId: 'x', deploymentIds: ['1'] }).success).toBe(false);
    expect(platformInputSchema.safeParse({ moodleUrl: 'https://a.vn', clientId: 'x', deploymentIds: [] }).success).toBe(false);
    expect(platformInputSchema.safeParse({ moodleUrl: 'javascript:alert(1)', clientId: 'x', deploymentIds: ['1'] }).success).toBe(false);
  });
});

describe('isTeachingRole', () => {
  it('counts instructors and administrators, not learners or mentors', () => {
    expect(isTeachingRole(['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'])).toBe(true);
    expect(isTeachingRole(['http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator'])).toBe(true);
    expect(isTeachingRole(['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'])).toBe(false);
    expect(isTeachingRole(['http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor'])).toBe(false);
    expect(isTeachingRole([])).toBe(false);
  });
});

describe('ToolKeys', () => {
  it('keeps a retired key published for a while, then drops it; the private key is never in the JWKS', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const keys = new ToolKeys(migrated(), () => now);
    const first = (await keys.jwks()).keys[0]!.kid!;
    const second = await keys.rotate();
    expect((await keys.jwks()).keys.map((k) => k.kid)).toEqual([second, first]);
    now = new Date(now.getTime() + retiredKeyKeepMs + 1000);
    const { keys: later } = await keys.jwks();
    expect(later.map((k) => k.kid)).toEqual([second]);
    expect(JSON.stringify(later)).not.toMatch(/"(d|p|q|dp|dq|qi)":/);
  });

  it('makes one key when several first uses race', async () => {
    const keys = new ToolKeys(migrated());
    const sets = await Promise.all([keys.jwks(), keys.jwks(), keys.jwks()]);
    expect(new Set(sets.map((s) => s.keys.map((k) => k.kid).join()))).toEqual(new Set([sets[0]!.keys[0]!.kid]));
  });
});

describe('login state and nonces', () => {
  it('a state verifies only unaltered, and a nonce is used once and only before it expires', async () => {
    const db = migrated();
    let now = new Date('2026-01-01T00:00:00Z');
    const keys = new ToolKeys(db);
    const state = await signLoginState(keys, { platformId: 'p1', nonce: 'n1' });
    await expect(readLoginState(keys, state)).resolves.toEqual({ platformId: 'p1', nonce: 'n1' });
    // A changed character inside the signature (the last one may only carry padding bits).
    const i = state.length - 10;
    const altered = state.slice(0, i) + (state[i] === 'A' ? 'B' : 'A') + state.slice(i + 1);
    await expect(readLoginState(keys, altered)).rejects.toMatchObject({ code: 'state_mismatch' });

    const platforms = new LtiPlatformStore(db, () => now);
    await platforms.addNonce('once', new Date(now.getTime() + 60_000));
    await platforms.addNonce('late', new Date(now.getTime() + 60_000));
    expect(await platforms.useNonce('once')).toBe(true);
    expect(await platforms.useNonce('once')).toBe(false);
    now = new Date(now.getTime() + 61_000);
    expect(await platforms.useNonce('late')).toBe(false);
    expect(await platforms.useNonce('never-issued')).toBe(false);
  });
});
