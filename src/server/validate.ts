import type { Context } from 'hono';
import type { z } from 'zod';
import { AppError } from './app-error.js';

function firstIssue(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0]!;
  const field = issue.path.join('.') || '(body)';
  return { field, message: issue.code === 'unrecognized_keys' ? `unknown field(s): ${(issue as { keys: string[] }).keys.join(', ')}` : issue.message };
}

/** Parses a value with a zod schema; a failure is a 400 that names the field. */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const { field, message } = firstIssue(result.error);
    throw new AppError('invalid_field', `${field}: ${message}`, { field });
  }
  return result.data;
}

/** Reads and validates a JSON body: wrong content type 415, malformed JSON 400, bad fields 400. */
export async function jsonBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new AppError('unsupported_media_type', 'send the body as application/json');
  }
  let value: unknown;
  try {
    value = JSON.parse(await c.req.text());
  } catch {
    throw new AppError('invalid_json', 'the body is not valid JSON');
  }
  return parseWith(schema, value);
}

/** Validates the query string. */
export function queryParams<T extends z.ZodType>(c: Context, schema: T): z.infer<T> {
  return parseWith(schema, c.req.query());
}
