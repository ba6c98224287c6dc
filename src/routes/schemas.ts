import { z } from 'zod';
import { collectionIdShape } from '../store/collection-ids.js';

/** Request and response shapes of the public API; routes validate with them, OpenAPI is made from them. */

export const chatRequestSchema = (maxQuestionChars: number) =>
  z
    .object({
      message: z.string().trim().min(1, 'must not be empty').max(maxQuestionChars, `at most ${maxQuestionChars} characters`),
      conversationId: z.string().uuid().optional(),
      collection: z.string().min(1).max(128).optional(),
      lang: z.enum(['vi', 'en']).optional(),
    })
    .strict();

export const searchQuerySchema = z
  .object({
    q: z.string().trim().min(1, 'must not be empty').max(1000),
    collection: z.string().min(1).max(128).optional(),
    k: z.coerce.number().int().min(1).max(50).default(5),
    mode: z.enum(['bm25', 'vector', 'hybrid']).default('hybrid'),
    site: z.string().optional(),
  })
  .strict();

export const feedbackRequestSchema = z
  .object({
    messageId: z.string().uuid(),
    rating: z.enum(['up', 'down']),
    comment: z.string().trim().max(1000).optional(),
  })
  .strict();

export const citationSchema = z.object({
  n: z.number().int(),
  chunkId: z.string(),
  documentId: z.string(),
  title: z.string(),
  page: z.number().int().nullable(),
  headingPath: z.array(z.string()),
  link: z.string(),
});

export const chatResponseSchema = z.object({
  conversationId: z.string(),
  messageId: z.string(),
  answer: z.string(),
  citations: z.array(citationSchema),
  sources: z.array(citationSchema.extend({ snippet: z.string(), score: z.number() })),
  mode: z.enum(['extractive', 'llm', 'extractive-fallback', 'verified']),
  answerable: z.boolean(),
});

export const errorResponseSchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }).passthrough(),
});

export const questionsQuerySchema = z
  .object({
    unanswered: z.enum(['true', 'false']).optional(),
    thumbsDown: z.enum(['true', 'false']).optional(),
    from: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
      .optional(),
    to: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
      .optional(),
    collection: z.string().min(1).max(128).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export const collectionCreateSchema = z
  .object({
    id: z.string().regex(collectionIdShape, 'lower-case letters, digits, - and _ (at most 64), optionally after "<center>."'),
    name: z.string().trim().min(1).max(120),
  })
  .strict();

export const collectionRenameSchema = z.object({ name: z.string().trim().min(1).max(120) }).strict();
