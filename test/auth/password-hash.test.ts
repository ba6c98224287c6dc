import * as crypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';

// Wraps timingSafeEqual (and nothing else) so a test can see that verification compares with it.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const { defaultScryptParams, hashPassword, needsRehash, parsePasswordHash, verifyPassword } = await import('../../src/auth/index.js');

afterEach(() => vi.mocked(crypto.timingSafeEqual).mockClear());

describe('password hashes', () => {
  it('uses scrypt with N = 2^15, r = 8, p = 1 (32 MiB of memory) by default, with a 16-byte salt and a 32-byte key', async () => {
    expect(defaultScryptParams).toEqual({ N: 32768, r: 8, p: 1 });
    expect(128 * defaultScryptParams.N * defaultScryptParams.r).toBe(32 * 1024 * 1024);
    const stored = await hashPassword('mật khẩu dài đủ');
    expect(stored).toMatch(/^scrypt\$N=32768,r=8,p=1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    const parsed = parsePasswordHash(stored)!;
    expect(parsed.salt).toHaveLength(16);
    expect(parsed.key).toHaveLength(32);
    // The key is scrypt's, recomputed independently with the stored salt.
    const expected = crypto.scryptSync('mật khẩu dài đủ'.normalize('NFC'), parsed.salt, 32, {
      N: 32768,
      r: 8,
      p: 1,
      maxmem: 64 * 1024 * 1024,
    });
    expect(parsed.key.equals(expected)).toBe(true);
  });

  it('salts each hash: the same password hashes differently twice, and both verify', async () => {
    const params = { N: 1024, r: 8, p: 1 };
    const [a, b] = await Promise.all([hashPassword('cung-mot-mat-khau', params), hashPassword('cung-mot-mat-khau', params)]);
    expect(a).not.toBe(b);
    expect(parsePasswordHash(a)!.salt.equals(parsePasswordHash(b)!.salt)).toBe(false);
    expect(await verifyPassword('cung-mot-mat-khau', a)).toBe(true);
    expect(await verifyPassword('cung-mot-mat-khau', b)).toBe(true);
  });

  it('refuses a wrong password, one differing only in case or a last character, and the same text in another Unicode form verifies', async () => {
    const params = { N: 1024, r: 8, p: 1 };
    const stored = await hashPassword('Học phí 450.000', params);
    expect(await verifyPassword('học phí 450.000', stored)).toBe(false);
    expect(await verifyPassword('Học phí 450.001', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
    // Typed on a keyboard that sends decomposed marks (NFD): the same password.
    expect(await verifyPassword('Học phí 450.000'.normalize('NFD'), stored)).toBe(true);
  });

  it('compares keys with crypto.timingSafeEqual on equal-length buffers', async () => {
    const stored = await hashPassword('so-sanh-hang-thoi-gian', { N: 1024, r: 8, p: 1 });
    const spy = vi.mocked(crypto.timingSafeEqual);
    spy.mockClear();
    expect(await verifyPassword('sai-roi-mat-khau', stored)).toBe(false);
    expect(spy).toHaveBeenCalledTimes(1);
    const [a, b] = spy.mock.calls[0]! as [Buffer, Buffer];
    expect(a.length).toBe(32);
    expect(b.length).toBe(32);
  });

  it('refuses malformed or absurd stored hashes without computing them', async () => {
    for (const bad of [
      '',
      'plain-text-password',
      'scrypt$N=1000,r=8,p=1$AAAA$AAAA',
      'scrypt$N=4194304,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA==$AAAA',
      'bcrypt$2b$10$abc',
    ]) {
      expect(parsePasswordHash(bad), bad).toBeUndefined();
      expect(await verifyPassword('anything-at-all', bad), bad).toBe(false);
    }
  });

  it('asks for a re-hash when a stored hash has a lower cost than the current one', async () => {
    const weak = await hashPassword('nang-cap-chi-phi', { N: 1024, r: 8, p: 1 });
    expect(needsRehash(weak)).toBe(true);
    expect(needsRehash(weak, { N: 1024, r: 8, p: 1 })).toBe(false);
    expect(needsRehash('garbage')).toBe(true);
  });
});
