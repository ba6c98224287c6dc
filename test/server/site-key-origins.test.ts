import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { originOfAddress } from '../../src/store/index.js';
import { startService, type RunningService } from '../support/start-service.js';

/**
 * Issue 14: a teacher pasting the address of the course page (what the browser's address bar
 * shows) got "must be an origin: http(s)://host[:port], without a path". The origin of the
 * address is what matters, so it is kept; truly invalid input gets a message in both languages.
 */
describe('allowed pages of a site key: a pasted page address keeps its origin', () => {
  let svc: RunningService;
  beforeAll(async () => {
    svc = await startService();
  });
  afterAll(async () => svc?.close());

  const post = (body: unknown) =>
    svc.admin('/site-keys', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('keeps the origin of a course page address, on create and on change', async () => {
    const res = await post({
      title: 'Moodle',
      allowedOrigins: [
        'https://lms.example.edu.vn/course/view.php?id=3',
        ' HTTPS://LMS.Example.edu.vn:443/ ',
        'http://192.168.1.20:8080/moodle/#top',
      ],
    });
    expect(res.status).toBe(201);
    const { siteKey } = await res.json();
    expect(siteKey.allowedOrigins).toEqual(['https://lms.example.edu.vn', 'http://192.168.1.20:8080']);
    const patched = await svc.admin(`/site-keys/${siteKey.key}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ allowedOrigins: ['https://hoc.gdtxhoaan.edu.vn/mod/page/view.php?id=12&lang=vi'] }),
    });
    expect(patched.status).toBe(200);
    expect((await patched.json()).siteKey.allowedOrigins).toEqual(['https://hoc.gdtxhoaan.edu.vn']);
    // The widget on that course page is then allowed.
    const chat = await fetch(`${svc.baseURL}/api/search?q=hoc+phi`, {
      headers: { origin: 'https://hoc.gdtxhoaan.edu.vn', 'x-site-key': siteKey.key },
    });
    expect(chat.status).toBe(200);
  });

  it.each([
    ['lms.example.edu.vn/course/view.php?id=3', 'no_scheme', 'https:// hoặc http://'],
    ['https://*.edu.vn', 'wildcard', 'dấu *'],
    ['https://admin:secret@lms.example.edu.vn/', 'credentials', 'tên đăng nhập hay mật khẩu'],
    ['ftp://lms.example.edu.vn', 'invalid', 'Không phải địa chỉ trang web hợp lệ'],
    ['https://', 'invalid', 'Không phải địa chỉ trang web hợp lệ'],
    ['https://a.vn;script-src/x', 'invalid', 'Không phải địa chỉ trang web hợp lệ'],
  ])('refuses %s (%s) with a message in both languages, and creates nothing', async (address, problem, vi) => {
    const before = (await svc.deps.engine.store.siteKeys.list()).length;
    const res = await post({ title: 'Sai', allowedOrigins: ['https://ok.edu.vn', address] });
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error).toMatchObject({ code: 'invalid_field', field: 'allowedOrigins.1', problem });
    expect(error.message).toMatch(/^allowedOrigins\.1: /);
    expect(error.messageVi).toContain(vi);
    expect(await svc.deps.engine.store.siteKeys.list()).toHaveLength(before);
  });
});

describe('originOfAddress', () => {
  it('gives the origin of page addresses and names the problem otherwise', () => {
    expect(originOfAddress('https://lms.example.edu.vn/course/view.php?id=3')).toEqual({ origin: 'https://lms.example.edu.vn' });
    expect(originOfAddress('https://Trường.vn/a')).toMatchObject({ origin: expect.stringMatching(/^https:\/\/xn--/) });
    expect(originOfAddress('http://localhost:8080')).toEqual({ origin: 'http://localhost:8080' });
    expect(originOfAddress('localhost:8080')).toEqual({ problem: 'invalid' }); // "localhost:" parses as a scheme
    expect(originOfAddress('www.lms.vn')).toEqual({ problem: 'no_scheme' });
    expect(originOfAddress('javascript:alert(1)')).toEqual({ problem: 'invalid' });
    expect(originOfAddress('null')).toEqual({ problem: 'no_scheme' });
  });
});
