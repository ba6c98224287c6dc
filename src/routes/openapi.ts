import { z } from 'zod';
import { apiOperations } from './api-operations.js';
import { chatRequestSchema, chatResponseSchema, errorResponseSchema, feedbackRequestSchema, searchQuerySchema } from './schemas.js';

const json = (schema: z.ZodType) => ({ 'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) } });
const errors = {
  '4XX': {
    description: 'Bad input, not signed in, forbidden, unknown id, unknown site key, forbidden origin or rate limit',
    content: json(errorResponseSchema),
  },
};

/** Query parameters from a zod object schema. */
function parameters(schema: z.ZodObject) {
  const shape = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties: Record<string, unknown>;
    required?: string[];
  };
  return Object.entries(shape.properties).map(([name, s]) => ({
    name,
    in: 'query',
    required: shape.required?.includes(name) ?? false,
    schema: s,
  }));
}

/** The OpenAPI 3.1 description of the HTTP API (the learner routes in full, the others from api-operations.ts), generated from the same zod schemas the routes validate with. */
export function openApiDocument(maxQuestionChars: number) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'trogiang',
      version: '0.1.0',
      description:
        "A self-study assistant grounded in the center's materials. Admin routes (/api/admin/*) need `Authorization: Bearer <ADMIN_TOKEN>` or a teacher's session cookie from `POST /api/auth/login` (docs/accounts.md).",
    },
    paths: {
      '/api/chat': {
        post: {
          summary: 'Ask a question. Server-sent events (meta, sources, delta…, reset, done | error) unless Accept: application/json.',
          parameters: [{ name: 'x-site-key', in: 'header', required: false, schema: { type: 'string' } }],
          requestBody: { required: true, content: json(chatRequestSchema(maxQuestionChars)) },
          responses: {
            '200': {
              description: 'The answer',
              content: { ...json(chatResponseSchema), 'text/event-stream': { schema: { type: 'string' } } },
            },
            ...errors,
          },
        },
      },
      '/api/search': {
        get: {
          summary: 'Ranked passages with scores and matched terms',
          parameters: parameters(searchQuerySchema),
          responses: { '200': { description: 'Results' }, ...errors },
        },
      },
      '/api/feedback': {
        post: {
          summary: 'Thumbs up or down on an answer',
          requestBody: { required: true, content: json(feedbackRequestSchema) },
          responses: { '200': { description: 'Recorded' }, ...errors },
        },
      },
      '/docs/{id}': {
        get: {
          summary: 'The source document (PDF at #page=N, other formats as HTML with heading anchors)',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'The document' }, '404': { description: 'Unknown document' } },
        },
      },
      '/healthz': { get: { summary: 'Liveness', responses: { '200': { description: 'ok' } } } },
      '/readyz': {
        get: {
          summary: 'Readiness: store open, indexes loaded',
          responses: { '200': { description: 'ready' }, '503': { description: 'not ready' } },
        },
      },
      '/metrics': { get: { summary: 'Prometheus metrics', responses: { '200': { description: 'text exposition format' } } } },
      '/api/openapi.json': { get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1' } } } },
      ...operationPaths(),
    },
  };
}

/** `/a/:id/b` → `/a/{id}/b`. */
export const openApiPath = (honoPath: string) => honoPath.replace(/:(\w+)/g, '{$1}');

/** The paths of {@link apiOperations}, with their path parameters and the zod schemas the routes validate with. */
function operationPaths() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const o of apiOperations) {
    const pathParams = [...o.path.matchAll(/:(\w+)/g)].map((m) => ({
      name: m[1]!,
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const operation = {
      tags: [o.tag],
      summary: o.summary,
      ...(pathParams.length || o.query ? { parameters: [...pathParams, ...(o.query ? parameters(o.query) : [])] } : {}),
      ...(o.body ? { requestBody: { required: true, content: json(o.body) } } : {}),
      responses: { '2XX': { description: 'Done' }, ...errors },
    };
    (paths[openApiPath(o.path)] ??= {})[o.method.toLowerCase()] = operation;
  }
  return paths;
}
