import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePasswordHash } from '../../src/auth/index.js';
import { sqliteOf, startAccountsService, type AccountsService } from './accounts-service.js';

/** The service as started (default options): the real scrypt cost, and the timing of a login that fails. */
describe('accounts at the default cost', () => {
  let svc: AccountsService;
  beforeAll(async () => {
    svc = await startAccountsService({}, { TRUST_PROXY: 'true' });
  });
  afterAll(() => svc.close());

  const login = (username: string, password: string, ip: string) =>
    fetch(`${svc.baseURL}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify({ username, password }),
    });

  it('stores scrypt N=2^15 hashes, never the password, and salts two equal passwords differently', async () => {
    for (const username of ['hai.nguoi.a', 'hai.nguoi.b']) {
      expect(
        (await svc.operator('/api/admin/centers/default/users', 'POST', { username, password: 'cung-mat-khau-1', role: 'teacher' })).status,
      ).toBe(201);
    }
    const rows = sqliteOf(svc).prepare("SELECT password_hash FROM users WHERE username LIKE 'hai.nguoi.%'").all() as Array<{
      password_hash: string;
    }>;
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.password_hash).not.toContain('cung-mat-khau-1');
      expect(parsePasswordHash(r.password_hash)!.params).toEqual({ N: 32768, r: 8, p: 1 });
    }
    expect(rows[0]!.password_hash).not.toBe(rows[1]!.password_hash);
  }, 60_000);

  it('counts a burst of parallel guesses before checking them: at most 5 of 10 are even checked', async () => {
    expect(
      (
        await svc.operator('/api/admin/centers/default/users', 'POST', {
          username: 'song.song',
          password: 'mat-khau-dung-1',
          role: 'teacher',
        })
      ).status,
    ).toBe(201);
    // At this cost a check takes hundreds of ms, so all 10 arrive before the first finishes: a
    // throttle that counted failures only after checking let all 10 through.
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => login('song.song', `doan-${i}-mat-khau`, `192.0.2.${i}`)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBe(5);
    expect(statuses.filter((s) => s === 429).length).toBe(5);
  }, 60_000);

  it('takes about as long to refuse an unknown name as a wrong password (a hash either way)', async () => {
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const time = async (username: string, i: number) => {
      const started = performance.now();
      const res = await login(username, `sai-mat-khau-${i}`, `198.51.100.${i}`);
      expect(res.status).toBe(401);
      return performance.now() - started;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    // Interleaved, so a busy moment of the machine falls on both; 4 each (an account locks at 5).
    for (let i = 0; i < 4; i++) {
      known.push(await time('hai.nguoi.a', i));
      unknown.push(await time(`khong-co-${i}`, 10 + i));
    }
    const ratio = median(unknown) / median(known);
    console.log(
      `login refusal: known name ${median(known).toFixed(0)} ms, unknown name ${median(unknown).toFixed(0)} ms (ratio ${ratio.toFixed(2)})`,
    );
    // Without the dummy hash an unknown name answers in about 1 ms against tens or hundreds.
    expect(median(known)).toBeGreaterThan(20);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  }, 60_000);
});
