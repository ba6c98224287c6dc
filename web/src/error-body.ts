import type { ErrorBody } from '../../src/contract/index.js';

/** The error of a server's error body (`{ error: { code, message, messageVi, … } }`); undefined for anything else. */
export function errorOf(body: unknown): Partial<ErrorBody['error']> | undefined {
  const error = body && typeof body === 'object' ? (body as { error?: unknown }).error : undefined;
  return error && typeof error === 'object' && typeof (error as { code?: unknown }).code === 'string'
    ? (error as ErrorBody['error'])
    : undefined;
}
