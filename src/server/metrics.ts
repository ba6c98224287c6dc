import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The service's Prometheus metrics, in their own registry (tests create several apps). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    requests: new Counter({
      name: 'trogiang_http_requests_total',
      help: 'HTTP requests by route and status',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'trogiang_http_request_duration_seconds',
      help: 'HTTP request duration (for streams: until the response starts)',
      labelNames: ['method', 'route'] as const,
      buckets: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    answers: new Counter({
      name: 'trogiang_answers_total',
      help: 'Answers by mode (extractive, llm, extractive-fallback) and whether the materials covered the question',
      labelNames: ['mode', 'answerable'] as const,
      registers: [registry],
    }),
    answerLatency: new Histogram({
      name: 'trogiang_answer_duration_seconds',
      help: 'Time to a complete answer',
      labelNames: ['mode'] as const,
      buckets: [0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30],
      registers: [registry],
    }),
    llmErrors: new Counter({
      name: 'trogiang_llm_errors_total',
      help: 'Failed calls to the language model by stage (rewrite, answer)',
      labelNames: ['stage'] as const,
      registers: [registry],
    }),
    documentRenders: new Counter({
      name: 'trogiang_document_renders_total',
      help: 'Non-PDF sources rendered as HTML for /docs (once per version of a document; then served from the store)',
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: 'trogiang_rate_limited_total',
      help: 'Requests refused by a rate limit (browser, ip, ip_cap or site_key)',
      labelNames: ['scope'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
