import { domainToASCII } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  isOriginAllowed,
  isStoreError,
  normalizeOrigin,
  siteKeyInputSchema,
  siteKeyPatchSchema,
  StoreError,
  type SiteKeyInput,
} from '../../src/store/index.js';
import { openTempStore } from './store-helpers.js';

let t: ReturnType<typeof openTempStore>;
beforeEach(() => {
  t = openTempStore('trogiang-keys-');
});
afterEach(() => t.cleanup());

async function storeError(fn: () => Promise<unknown>): Promise<StoreError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof StoreError) return e;
    throw e;
  }
  throw new Error('expected a StoreError');
}

/** The dotted paths of the zod issues of an `invalid_input` error. */
async function issuePaths(fn: () => Promise<unknown>): Promise<string[]> {
  const e = await storeError(fn);
  expect(e.code).toBe('invalid_input');
  return e.issues.map((i) => i.path.join('.'));
}

describe('site keys', () => {
  it('creates a key with defaults and the tg_pub_ format', async () => {
    const k = await t.store.siteKeys.create({ title: '  Trung tâm GDTX Quận 1 ', allowedOrigins: ['HTTPS://LMS.Example.EDU.vn/'] });
    expect(k.key).toMatch(/^tg_pub_[A-Za-z0-9_-]{24}$/);
    expect(k).toEqual({
      key: k.key,
      title: 'Trung tâm GDTX Quận 1',
      allowedOrigins: ['https://lms.example.edu.vn'],
      collections: [],
      rateLimitPerMinute: 300,
      welcomeText: '',
      starterQuestions: [],
      color: null,
      lang: 'vi',
      createdAt: '2024-05-02T09:00:00.000Z',
      updatedAt: '2024-05-02T09:00:00.000Z',
      centerId: 'default',
    });
    expect(await t.store.siteKeys.get(k.key)).toEqual(k);
    const keys = new Set(await Promise.all(Array.from({ length: 20 }, async () => (await t.store.siteKeys.create({ title: 'x' })).key)));
    expect(keys.size).toBe(20);
  });

  it('lists, updates with a partial patch, and deletes', async () => {
    await t.store.collections.createCollection('tin-hoc', 'Tin học');
    const a = await t.store.siteKeys.create({
      title: 'A',
      allowedOrigins: ['http://localhost:8080'],
      collections: ['tin-hoc'],
      rateLimitPerMinute: 60,
      welcomeText: 'Xin chào!',
      starterQuestions: ['Học phí bao nhiêu?'],
      color: '#0A7',
      lang: 'en',
    });
    t.clock.now = new Date('2024-05-02T10:00:00.000Z');
    const b = await t.store.siteKeys.create({ title: 'B' });
    expect((await t.store.siteKeys.list()).map((k) => k.key)).toEqual([a.key, b.key]);

    t.clock.now = new Date('2024-05-03T00:00:00.000Z');
    const updated = await t.store.siteKeys.update(a.key, { title: 'A mới', color: null, collections: [] });
    expect(updated).toEqual({
      ...a,
      title: 'A mới',
      color: null,
      collections: [],
      updatedAt: '2024-05-03T00:00:00.000Z',
    });
    // Fields absent from the patch keep their values (no defaults applied to a patch).
    expect(updated.rateLimitPerMinute).toBe(60);
    expect(updated.lang).toBe('en');
    expect(await t.store.siteKeys.get(a.key)).toEqual(updated);
    expect((await t.store.siteKeys.update(a.key, { rateLimitPerMinute: 5 })).rateLimitPerMinute).toBe(5);

    expect(await t.store.siteKeys.delete(a.key)).toBe(true);
    expect(await t.store.siteKeys.delete(a.key)).toBe(false);
    expect(await t.store.siteKeys.get(a.key)).toBeUndefined();
    expect((await t.store.siteKeys.list()).map((k) => k.key)).toEqual([b.key]);
  });

  it('update of an unknown key is site_key_not_found', async () => {
    const e = await storeError(() => t.store.siteKeys.update('tg_pub_nope', { title: 'x' }));
    expect(e.code).toBe('site_key_not_found');
    expect(e.details).toEqual({ key: 'tg_pub_nope' });
  });

  it('rejects collections that do not exist', async () => {
    const e = await storeError(() => t.store.siteKeys.create({ title: 'x', collections: ['ghost', 'ghost2'] }));
    expect(e.code).toBe('collection_not_found');
    expect(e.details).toEqual({ ids: ['ghost', 'ghost2'] });
    const k = await t.store.siteKeys.create({ title: 'x' });
    expect((await storeError(() => t.store.siteKeys.update(k.key, { collections: ['ghost'] }))).code).toBe('collection_not_found');
  });

  it('names the field in validation errors', async () => {
    const create = (input: Partial<SiteKeyInput>) => () => t.store.siteKeys.create({ title: 'ok', ...input } as SiteKeyInput);
    expect(await issuePaths(create({ title: '   ' }))).toEqual(['title']);
    expect(await issuePaths(create({ title: 'x'.repeat(121) }))).toEqual(['title']);
    // A page address keeps its origin (issue 14); an address without a scheme is still refused.
    expect(await issuePaths(create({ allowedOrigins: ['https://ok.vn', 'lms.vn/moodle'] }))).toEqual(['allowedOrigins.1']);
    expect(await issuePaths(create({ allowedOrigins: Array.from({ length: 21 }, (_, i) => `https://s${i}.vn`) }))).toEqual([
      'allowedOrigins',
    ]);
    expect(await issuePaths(create({ collections: ['Bad Id'] }))).toEqual(['collections.0']);
    expect(await issuePaths(create({ rateLimitPerMinute: 0 }))).toEqual(['rateLimitPerMinute']);
    expect(await issuePaths(create({ rateLimitPerMinute: 6001 }))).toEqual(['rateLimitPerMinute']);
    expect(await issuePaths(create({ rateLimitPerMinute: 2.5 }))).toEqual(['rateLimitPerMinute']);
    expect(await issuePaths(create({ welcomeText: 'x'.repeat(501) }))).toEqual(['welcomeText']);
    expect(await issuePaths(create({ starterQuestions: Array.from({ length: 7 }, () => 'q') }))).toEqual(['starterQuestions']);
    expect(await issuePaths(create({ starterQuestions: ['ok', 'x'.repeat(201)] }))).toEqual(['starterQuestions.1']);
    expect(await issuePaths(create({ color: 'red' }))).toEqual(['color']);
    expect(await issuePaths(create({ color: '#12345' }))).toEqual(['color']);
    expect(await issuePaths(create({ lang: 'fr' as 'vi' }))).toEqual(['lang']);
    expect(await issuePaths(() => t.store.siteKeys.create({} as SiteKeyInput))).toEqual(['title']);

    const e = await storeError(create({ allowedOrigins: ['*'] }));
    expect(e.message).toMatch(/allowedOrigins\.0: wildcards are not supported/);
    expect(await t.store.siteKeys.list()).toEqual([]);

    const k = await t.store.siteKeys.create({ title: 'ok' });
    expect(await issuePaths(() => t.store.siteKeys.update(k.key, { rateLimitPerMinute: 10000, title: '' }))).toEqual([
      'title',
      'rateLimitPerMinute',
    ]);
  });

  it('the exported schemas work for routes on their own', () => {
    const parsed = siteKeyInputSchema.parse({
      title: 'T',
      allowedOrigins: ['https://a.vn', 'HTTPS://A.VN:443'],
      color: '#ABCDEF',
      extra: 1,
    });
    expect(parsed).toEqual({
      title: 'T',
      allowedOrigins: ['https://a.vn'],
      collections: [],
      rateLimitPerMinute: 300,
      welcomeText: '',
      starterQuestions: [],
      color: '#abcdef',
      lang: 'vi',
    });
    expect(siteKeyPatchSchema.parse({})).toEqual({});
    expect(siteKeyPatchSchema.parse({ lang: 'en' })).toEqual({ lang: 'en' });
    const bad = siteKeyPatchSchema.safeParse({ allowedOrigins: ['ftp://a.vn'] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['allowedOrigins', 0]);
  });
});

describe('origins', () => {
  it('normalises scheme + host + port and rejects everything else', () => {
    expect(normalizeOrigin('https://lms.example.edu.vn')).toBe('https://lms.example.edu.vn');
    expect(normalizeOrigin(' HTTPS://LMS.Example.edu.VN/ ')).toBe('https://lms.example.edu.vn');
    expect(normalizeOrigin('http://localhost:8080')).toBe('http://localhost:8080');
    expect(normalizeOrigin('https://lms.vn:443')).toBe('https://lms.vn');
    expect(normalizeOrigin('http://lms.vn:80')).toBe('http://lms.vn');
    expect(normalizeOrigin('https://lms.vn:8443')).toBe('https://lms.vn:8443');
    expect(normalizeOrigin('http://127.0.0.1:3000')).toBe('http://127.0.0.1:3000');
    // International names become punycode, as browsers send them in the Origin header.
    expect(normalizeOrigin('https://Trường.vn')).toBe(`https://${domainToASCII('trường.vn')}`);
    expect(normalizeOrigin('https://trường.vn')).toMatch(/^https:\/\/xn--[a-z0-9-]+\.vn$/);
    for (const bad of [
      '*',
      'https://*.edu.vn',
      'lms.example.edu.vn',
      'https://lms.vn/moodle',
      'https://lms.vn/?a=1',
      'https://lms.vn#x',
      'ftp://lms.vn',
      'https://user:pw@lms.vn',
      'null',
      '',
      'https://',
      'javascript:alert(1)',
      'https://lms.vn//',
    ]) {
      expect(normalizeOrigin(bad), bad).toBeUndefined();
    }
  });

  it('isOriginAllowed matches exactly after normalisation', async () => {
    const k = await t.store.siteKeys.create({ title: 'x', allowedOrigins: ['https://lms.example.edu.vn', 'http://localhost:8080'] });
    expect(isOriginAllowed(k, 'https://lms.example.edu.vn')).toBe(true);
    expect(isOriginAllowed(k, 'https://LMS.example.edu.vn:443')).toBe(true);
    expect(isOriginAllowed(k, 'http://localhost:8080')).toBe(true);
    expect(isOriginAllowed(k, 'http://lms.example.edu.vn')).toBe(false); // scheme matters
    expect(isOriginAllowed(k, 'http://localhost:8081')).toBe(false); // port matters
    expect(isOriginAllowed(k, 'https://evil.lms.example.edu.vn')).toBe(false); // no subdomains
    expect(isOriginAllowed(k, 'https://lms.example.edu.vn.evil.com')).toBe(false);
    expect(isOriginAllowed(k, 'null')).toBe(false);
    expect(isOriginAllowed(k, undefined)).toBe(false);
    expect(isOriginAllowed(k, '')).toBe(false);
    expect(isOriginAllowed({ allowedOrigins: [] }, 'https://lms.example.edu.vn')).toBe(false);
  });

  it('isStoreError narrows by code', () => {
    const e = new StoreError('site_key_not_found', 'x');
    expect(isStoreError(e)).toBe(true);
    expect(isStoreError(e, 'site_key_not_found')).toBe(true);
    expect(isStoreError(e, 'collection_exists')).toBe(false);
    expect(isStoreError(new Error('x'))).toBe(false);
  });
});
