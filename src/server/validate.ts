import type { Context } from 'hono';
import type { z } from 'zod';
import { AppError } from './app-error.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function firstIssue(error: z.ZodError, root: string): { field: string; message: string; extra?: Record<string, unknown> } {
  const issue = error.issues[0]!;
  const field = issue.path.join('.') || root;
  // A schema's own check may word its message in Vietnamese too (site key addresses do).
  const params = issue.code === 'custom' ? (issue as { params?: Record<string, unknown> }).params : undefined;
  if (typeof params?.messageVi === 'string') return { field, message: issue.message, extra: { ...params } };
  if (issue.code === 'unrecognized_keys') return { field, message: `unknown field(s): ${(issue as { keys: string[] }).keys.join(', ')}` };
  // zod says "Invalid input: expected string, received undefined" for a missing field.
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) return { field, message: 'required' };
  return { field, message: issue.message };
}

/**
 * Parses a value with a zod schema; a failure is a 400 that names the field. `root` names the
 * value itself when the problem is not in one field (default `(body)`; `(query)` for query strings).
 */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown, root = '(body)'): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const { field, message, extra } = firstIssue(result.error, root);
    throw new AppError('invalid_field', `${field}: ${message}`, { field, ...extra });
  }
  return result.data;
}

/** Reads and validates a JSON body: wrong content type 415, malformed JSON 400, bad fields 400. */
export async function jsonBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new AppError('unsupported_media_type', 'send the body as application/json');
  }
  let text: string;
  try {
    // JSON is UTF-8 (RFC 8259). Decoding leniently turned broken bytes into U+FFFD and answered,
    // and stored, a question nobody typed.
    text = utf8.decode(await c.req.arrayBuffer());
  } catch {
    throw new AppError('invalid_json', 'the body is not valid UTF-8', { messageVi: 'Nội dung gửi lên không phải văn bản UTF-8 hợp lệ.' });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('invalid_json', 'the body is not valid JSON');
  }
  return parseWith(schema, value);
}

/** Validates the query string. */
export function queryParams<T extends z.ZodType>(c: Context, schema: T): z.infer<T> {
  return parseWith(schema, c.req.query(), '(query)');
}
