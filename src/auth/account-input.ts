import { z } from 'zod';

const issue = (message: string, messageVi: string) => ({ code: 'custom' as const, message, params: { messageVi } });

/**
 * A login name: 3-64 characters of a-z, 0-9, `.`, `_`, `-`, `@`, compared in lower case (so
 * `Lan.Nguyen` and `lan.nguyen` are one account).
 */
export const usernameSchema = z
  .string()
  .transform((s) => s.normalize('NFKC').trim().toLowerCase())
  .superRefine((s, ctx) => {
    if (!/^[a-z0-9][a-z0-9._@-]{2,63}$/.test(s)) {
      ctx.addIssue(
        issue(
          'a username has 3-64 characters: letters a-z without accents, digits, ".", "_", "-" or "@"',
          'Tên đăng nhập gồm 3-64 ký tự: chữ a-z không dấu, chữ số, ".", "_", "-" hoặc "@".',
        ),
      );
    }
  });

/** Minimum length of a new password (NIST SP 800-63B asks for at least 8; no composition rules). */
export const minPasswordLength = 10;

/** A new password: 10-256 characters, any script. */
export const newPasswordSchema = z.string().superRefine((s, ctx) => {
  const length = [...s].length;
  if (length < minPasswordLength) {
    ctx.addIssue(issue(`a password has at least ${minPasswordLength} characters`, `Mật khẩu cần ít nhất ${minPasswordLength} ký tự.`));
  } else if (length > 256) {
    ctx.addIssue(issue('a password has at most 256 characters', 'Mật khẩu dài tối đa 256 ký tự.'));
  }
});

/** A password as typed at login (checked against the hash, not against the rules above). */
export const loginPasswordSchema = z.string().min(1).max(1024);

/** The roles a center's account can have. */
export const centerRoleSchema = z.enum(['center_admin', 'teacher']);

/** Collections a teacher may change (ids as in `/api/admin/collections`); null or absent: all. */
export const collectionLimitSchema = z
  .array(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/))
  .min(1)
  .max(100)
  .nullable();

/** A center's display name. */
export const centerNameSchema = z.string().trim().min(1).max(120);
