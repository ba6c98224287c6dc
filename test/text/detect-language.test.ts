import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../src/text/index.js';

describe('detectLanguage', () => {
  it('recognises Vietnamese typed without diacritics', () => {
    expect(detectLanguage('hoc phi mot thang bao nhieu')).toBe('vi');
    expect(detectLanguage('lop hoc buoi toi bat dau luc may gio', 'en')).toBe('vi');
  });

  it('recognises Vietnamese from its letters alone', () => {
    expect(detectLanguage('Đăng ký', 'en')).toBe('vi');
    expect(detectLanguage('ưu tiên', 'en')).toBe('vi');
  });

  it('recognises an English question', () => {
    expect(detectLanguage('How much is the tuition fee for one month?')).toBe('en');
    expect(detectLanguage('What time does the evening class start?')).toBe('en');
  });

  it('falls back when nothing decides', () => {
    expect(detectLanguage('')).toBe('vi');
    expect(detectLanguage('', 'en')).toBe('en');
    expect(detectLanguage('12345 !!!', 'en')).toBe('en');
  });
});
